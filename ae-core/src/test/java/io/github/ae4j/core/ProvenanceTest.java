package io.github.ae4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.ae4j.core.data.TabularSchema;
import io.github.ae4j.core.testing.Models;
import io.github.ae4j.core.testing.Synthetic;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ProvenanceTest {

    private static final TrainingConfig QUICK = TrainingConfig.defaults().withEpochs(1).withBatchSize(32);

    @Test
    void givenRowsInAnotherOrder_whenFingerprinting_thenSameFingerprint_andAnotherValueChangesIt() {
        double[][] x = Synthetic.lowRank(50, 5, 2, 0.1, 1);
        DataFingerprint a = new DataFingerprint().add(Nd4j.create(x));
        DataFingerprint b = new DataFingerprint();
        for (int i = x.length - 1; i >= 0; i--) {
            float[] f = new float[5];
            for (int j = 0; j < 5; j++) {
                f[j] = (float) x[i][j];
            }
            b.add(f);
        }
        assertEquals(a.value(), b.value());
        assertEquals(50, a.rows());
        x[7][3] += 1e-3;
        assertNotEquals(a.value(), new DataFingerprint().add(Nd4j.create(x)).value());
        DataFingerprint half1 = new DataFingerprint().add(Nd4j.create(java.util.Arrays.copyOfRange(x, 0, 20)));
        DataFingerprint half2 = new DataFingerprint().add(Nd4j.create(java.util.Arrays.copyOfRange(x, 20, 50)));
        assertEquals(new DataFingerprint().add(Nd4j.create(x)).value(), half1.merge(half2).value());
    }

    @Test
    void givenTrainedModel_whenSavedAndLoaded_thenProvenanceNamesVersionsPlatformBackendAndData(@TempDir Path dir)
            throws Exception {
        INDArray x = Nd4j.create(Synthetic.lowRank(120, 6, 2, 0.1, 3)).castTo(DataType.FLOAT);
        Autoencoder m = Autoencoder.fit(Models.dense(6, 4, 2), x, QUICK);
        TabularSchema schema = new TabularSchema(List.of(
                new TabularSchema.Column("a", TabularSchema.Role.NUMERIC, List.of(), 0),
                new TabularSchema.Column("b", TabularSchema.Role.NUMERIC, List.of(), 0),
                new TabularSchema.Column("c", TabularSchema.Role.NUMERIC, List.of(), 0),
                new TabularSchema.Column("d", TabularSchema.Role.NUMERIC, List.of(), 0),
                new TabularSchema.Column("e", TabularSchema.Role.NUMERIC, List.of(), 0),
                new TabularSchema.Column("f", TabularSchema.Role.NUMERIC, List.of(), 0)), true);
        m = m.withSchema(schema);
        m.save(dir.resolve("m.ae4j"));

        Provenance p = Autoencoder.load(dir.resolve("m.ae4j")).info().provenance();

        assertNotNull(p);
        assertEquals(Ae4j.VERSION, p.ae4jVersion());
        assertEquals(Ae4j.DL4J_VERSION, p.dl4jVersion());
        assertEquals(System.getProperty("java.version"), p.javaVersion());
        assertEquals(System.getProperty("os.arch"), p.arch());
        assertEquals(Nd4j.getBackend().getClass().getName(), p.backend());
        assertEquals(new DataFingerprint().add(x).value(), p.data());
        assertEquals(Provenance.fingerprint(schema), p.schema());
        TabularSchema renamed = new TabularSchema(renameFirst(schema), true);
        assertNotEquals(p.schema(), Provenance.fingerprint(renamed));
        assertNull(Provenance.fingerprint(null));
    }

    private static List<TabularSchema.Column> renameFirst(TabularSchema s) {
        List<TabularSchema.Column> c = new java.util.ArrayList<>(s.columns());
        c.set(0, new TabularSchema.Column("z", TabularSchema.Role.NUMERIC, List.of(), 0));
        return c;
    }

    @Test
    void givenBuilder_whenBuilding_thenFieldsFromTheSpecAndDefaults() {
        AutoencoderSpec spec = Models.dense(6, 4, 2);
        ModelInfo i = ModelInfo.builder().spec(spec).latentSize(2).stopReason("max-epochs").build();
        assertEquals(spec.kind(), i.kind());
        assertEquals(6, i.inputSize());
        assertEquals(spec.loss().name(), i.loss());
        assertEquals(spec.decoderOutput(), i.decoderOutput());
        assertEquals(Ae4j.FORMAT_VERSION, i.formatVersion());
        assertEquals(List.of(), i.history());
        assertEquals(i, i.toBuilder().build().toBuilder().build());
    }
}
