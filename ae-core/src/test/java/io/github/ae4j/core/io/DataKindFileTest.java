package io.github.ae4j.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.ModelFile;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.data.DataKind;
import io.github.ae4j.core.testing.Models;
import io.github.ae4j.core.testing.Synthetic;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kind of data a model was trained on is a typed field of the model file; old extras still load. */
class DataKindFileTest {

    @TempDir
    Path dir;

    @Test
    void givenDataKind_whenSavedAndLoaded_thenTypedFieldRoundTripsAndLegacyExtrasAreRead() throws IOException {
        Autoencoder m = Autoencoder.fit(Models.dense(6, 5, 2), Synthetic.lowRank(100, 6, 2, 0.05, 3),
                TrainingConfig.defaults().withEpochs(1));
        assertEquals(DataKind.rows(), m.data());
        Path p = dir.resolve("img.ae4j");
        m.withData(DataKind.image(3, 2, 1)).save(p);
        Autoencoder back = Autoencoder.load(p);
        assertEquals(DataKind.image(3, 2, 1), back.data());
        assertFalse(back.info().extras() != null && back.info().extras().containsKey(DataKind.LEGACY_EXTRAS_KEY));
        // a file written by ae4j 0.1's command line: the kind is only in the extras
        // (what ModelFile does when model.json has no typed field)
        Autoencoder legacy = m.withExtra(DataKind.LEGACY_EXTRAS_KEY, Map.of("type", "image", "image", List.of(2, 3, 1)));
        Autoencoder old = Autoencoder.restore(legacy.sharedGraph(), legacy.normalizer(), legacy.info(), null, null);
        assertEquals(DataKind.image(2, 3, 1), old.data());
        Path o = dir.resolve("old.ae4j");
        old.save(o);
        assertEquals(DataKind.image(2, 3, 1), Autoencoder.load(o).data());
        assertEquals(DataKind.table(), DataKind.fromLegacyExtras(Map.of(DataKind.LEGACY_EXTRAS_KEY,
                Map.of("type", "table"))).orElseThrow());
        assertThrows(IllegalArgumentException.class, () -> m.withData(DataKind.image(5, 5, 1)));
    }
}
