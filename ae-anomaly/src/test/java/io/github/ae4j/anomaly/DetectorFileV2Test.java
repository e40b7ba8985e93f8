package io.github.ae4j.anomaly;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.internal.Json;
import io.github.ae4j.core.ModelFile;
import io.github.ae4j.core.io.ModelFormatException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Detector file format 2: the binary member entries are checked, and a damaged one is a clear error. */
class DetectorFileV2Test {

    @Test
    void givenFloatMatrix_whenEncodedAndDecoded_thenSameValues_andBadBytesAreClearErrors() {
        float[][] m = {{1f, 2f, 3f}, {4f, 5f, 6f}};
        assertArrayEquals(m, FloatMatrix.decode(FloatMatrix.encode(m), "m"));
        byte[] b = FloatMatrix.encode(m);
        byte[] shortened = java.util.Arrays.copyOf(b, b.length - 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FloatMatrix.decode(shortened, "codes"));
        assertTrue(e.getMessage().contains("declares 2 x 3 values"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FloatMatrix.decode(new byte[3], "codes"));
        float[][] nan = {{Float.NaN}};
        assertThrows(IllegalArgumentException.class, () -> FloatMatrix.decode(FloatMatrix.encode(nan), "codes"));
    }

    @Test
    void givenSmallEnsemble_whenAMemberEntryIsMissing_thenModelFormatExceptionNamingIt(@TempDir Path dir)
            throws Exception {
        Random r = new Random(3);
        double[][] x = new double[120][6];
        for (double[] row : x) {
            double a = r.nextGaussian();
            for (int j = 0; j < 6; j++) {
                row[j] = a * (j + 1) + 0.1 * r.nextGaussian();
            }
        }
        INDArray rows = Nd4j.createFromArray(x);
        AnomalyDetector d = AnomalyDetector.fit(TestSpecs.dense(6, 2, 4), rows, DetectorConfig.defaults()
                .withEnsembleSize(2).withCalibrationFolds(2).withTraining(TrainingConfig.defaults().withEpochs(3)));
        IllegalArgumentException unfitted = assertThrows(IllegalArgumentException.class, () -> AnomalyDetector.of(
                d.model(), StandardizedScorer.defaults(), rows, io.github.ae4j.anomaly.threshold.Thresholds.percentile(99)));
        assertTrue(unfitted.getMessage().contains("unfitted template"), unfitted.getMessage());
        Path good = dir.resolve("good.ae4j");
        d.save(good);
        AnomalyDetector back = AnomalyDetector.load(good);
        assertEquals(2, back.members().size());
        assertArrayEquals(d.score(rows), back.score(rows), 1e-9);
        assertEquals("cross-fitted, 2 folds", back.calibration());

        // the same detector entry, but without the second member's weights
        ModelFile.Contents c = ModelFile.read(good);
        Map<String, byte[]> extras = new LinkedHashMap<>();
        for (String name : new String[] {AnomalyDetector.ENTRY, "detector-codes-0.bin", "detector-codes-1.bin"}) {
            extras.put(name, c.entry(name).orElseThrow());
        }
        Path bad = dir.resolve("bad.ae4j");
        ModelFile.write(bad, c.model(), extras);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> AnomalyDetector.load(bad));
        assertTrue(e.getMessage().contains("detector-member-1.bin"), e.getMessage());

        // a detector entry claiming more members than it lists
        Map<String, Object> json = ModelFile.readJsonMap(c.entry(AnomalyDetector.ENTRY).orElseThrow());
        json.put("ensembleSize", 5);
        extras.put(AnomalyDetector.ENTRY, Json.MAPPER.writeValueAsBytes(json));
        Path bad2 = dir.resolve("bad2.ae4j");
        ModelFile.write(bad2, c.model(), extras);
        ModelFormatException e2 = assertThrows(ModelFormatException.class, () -> AnomalyDetector.load(bad2));
        assertTrue(e2.getMessage().contains("ensemble size 5"), e2.getMessage());
    }
}
