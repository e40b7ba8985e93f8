package io.github.ae4j.core.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.testing.Models;
import io.github.ae4j.core.testing.Synthetic;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writer killed with SIGKILL in the middle of a save leaves the previous model intact and loadable. */
class KillMidSaveTest {

    @TempDir
    Path dir;

    @Test
    void givenAWriterKilledMidSave_whenLoadingTheTarget_thenThePreviousModelIsIntact() throws Exception {
        double[][] x = Synthetic.lowRank(300, 10, 2, 0.05, 1);
        Autoencoder old = Autoencoder.fit(Models.dense(10, 8, 2), x, TrainingConfig.defaults().withEpochs(1));
        Path target = dir.resolve("model.ae4j");
        old.save(target);
        byte[] before = Files.readAllBytes(target);
        // a different, bigger model as the new content
        Autoencoder replacement = Autoencoder.fit(Models.dense(10, 400, 3), x, TrainingConfig.defaults().withEpochs(1));
        Path next = dir.resolve("next.ae4j");
        replacement.save(next);

        Process p = ChildJvm.builder(SlowSaveMain.class, target.toString(), next.toString()).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line = r.readLine();
            assertEquals("HALF", line, "the child signals that half the temporary file is written");
            try (var files = Files.list(dir)) {
                assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith(".model.ae4j.")),
                        "a temporary file is being written next to the target");
            }
            p.destroyForcibly(); // SIGKILL
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(137, p.exitValue(), "killed by SIGKILL");
        assertArrayEquals(before, Files.readAllBytes(target), "the previous file is untouched");
        Autoencoder loaded = Autoencoder.load(target);
        assertArrayEquals(old.reconstructionError(x), loaded.reconstructionError(x), 0.0);
    }
}
