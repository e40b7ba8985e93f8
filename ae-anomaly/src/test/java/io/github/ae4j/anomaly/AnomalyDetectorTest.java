package io.github.ae4j.anomaly;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.anomaly.metrics.Metrics;
import io.github.ae4j.anomaly.threshold.Threshold;
import io.github.ae4j.anomaly.threshold.Thresholds;
import io.github.ae4j.core.AnomalyScorer;
import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.TrainingListener;
import io.github.ae4j.core.data.TabularSchema;
import io.github.ae4j.core.internal.Json;
import io.github.ae4j.core.ModelFile;
import io.github.ae4j.core.io.ModelFormatException;
import io.github.ae4j.core.testing.Synthetic;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The detector's contract, on one small model trained once. */
class AnomalyDetectorTest {

    private static final int D = 12;
    private static final int ROWS = 1500;

    private static AnomalyDetector detector;
    private static INDArray test;
    private static int[] testLabels;
    private static long[] listenerRows;

    @TempDir
    Path tmp;

    @BeforeAll
    static void train() {
        Synthetic.Labelled data = Synthetic.planted(ROWS + 600, D, 0.0, 0, null, 21);
        Synthetic.Labelled anomalies = Synthetic.planted(ROWS + 600, D, 1.0, 4, null, 21);
        double[][] x = Arrays.copyOf(data.x(), ROWS);
        double[][] t = new double[400][];
        testLabels = new int[400];
        for (int i = 0; i < 400; i++) { // 300 normal rows and 100 anomalies, none trained on
            boolean anomaly = i >= 300;
            t[i] = anomaly ? anomalies.x()[ROWS + i] : data.x()[ROWS + i];
            testLabels[i] = anomaly ? 1 : 0;
        }
        test = TestSpecs.matrix(t);
        listenerRows = new long[2];
        TrainingListener l = new TrainingListener() {
            @Override
            public void onStart(int maxEpochs, long trainRows, long validationRows) {
                listenerRows[0] = trainRows;
                listenerRows[1] = validationRows;
            }
        };
        detector = AnomalyDetector.fit(TestSpecs.dense(D, 3, 16), TestSpecs.matrix(x),
                DetectorConfig.legacy().withTraining(TrainingConfig.defaults().withEpochs(15)), l);
    }

    @Test
    void givenNormalRows_whenFit_thenThresholdCalibratedOnAHeldOutFifth() {
        double[] cal = detector.calibrationScores();
        assertEquals(300, cal.length);
        assertEquals(ROWS - 300, listenerRows[0] + listenerRows[1], "the calibration rows are not trained on");
        Threshold t = detector.threshold();
        assertEquals("percentile:99", t.spec());
        assertEquals(Thresholds.percentile(99).fit(cal), t);
        assertSame(AnomalyScorer.reconstructionError(), detector.scorer());
        assertTrue(Metrics.auroc(detector.score(test), testLabels) > 0.9);
    }

    @Test
    void givenDetector_whenScoring_thenScoresFlagsAndPValuesAgree() {
        double[] s = detector.score(test);
        int[] p = detector.predict(test);
        double[] pv = detector.pValues(test);
        assertArrayEquals(detector.model().reconstructionError(test).toDoubleVector(), s);
        for (int i = 0; i < s.length; i++) {
            assertEquals(s[i] >= detector.threshold().value() ? 1 : 0, p[i]);
            assertEquals(detector.conformal().pValue(s[i]), pv[i]);
            assertTrue(pv[i] >= 1.0 / 301 && pv[i] <= 1);
            assertEquals(detector.conformal().flag(s[i], 0.01), p[i] == 1, "percentile:99 flags exactly p <= 0.01");
        }
        double meanP = 0;
        for (int i = 300; i < 400; i++) {
            meanP += pv[i] / 100;
        }
        assertTrue(meanP < 0.05, "anomalies get small p-values, mean " + meanP);
    }

    @Test
    void givenDetector_whenSavedAndLoaded_thenIdenticalScoresFlagsAndThreshold() throws IOException {
        Path f = tmp.resolve("d.ae4j");
        detector.save(f);
        AnomalyDetector loaded = AnomalyDetector.load(f);
        assertArrayEquals(detector.score(test), loaded.score(test));
        assertArrayEquals(detector.predict(test), loaded.predict(test));
        assertArrayEquals(detector.pValues(test), loaded.pValues(test));
        assertEquals(detector.threshold(), loaded.threshold());
        assertArrayEquals(detector.calibrationScores(), loaded.calibrationScores());
        assertEquals(detector.scorer().id(), loaded.scorer().id());
        assertArrayEquals(detector.model().reconstructionError(test).toDoubleVector(),
                Autoencoder.load(f).reconstructionError(test).toDoubleVector(), "a detector file is also a model file");
    }

    @Test
    void givenScorerWithParams_whenSavedAndLoaded_thenRecreatedByIdWithItsParams() throws IOException {
        AnomalyDetector d = AnomalyDetector.of(detector.model(), new PowerErrorScorer(3), test.getRows(
                java.util.stream.IntStream.range(0, 300).toArray()), Thresholds.zscore(3));
        Path f = tmp.resolve("p.ae4j");
        d.save(f);
        AnomalyDetector loaded = AnomalyDetector.load(f);
        PowerErrorScorer s = assertInstanceOf(PowerErrorScorer.class, loaded.scorer());
        assertEquals(3.0, s.power());
        assertArrayEquals(d.score(test), loaded.score(test));
        assertNotEquals(detector.score(test)[0], loaded.score(test)[0]);
        assertEquals(d.threshold(), loaded.threshold());
    }

    @Test
    void givenPlainModelFile_whenLoadedAsDetector_thenIOExceptionSaysItIsAModel() throws IOException {
        Path f = tmp.resolve("m.ae4j");
        detector.model().save(f);
        IOException e = assertThrows(IOException.class, () -> AnomalyDetector.load(f));
        assertTrue(e.getMessage().contains("model file, not a detector"), e.getMessage());
    }

    @Test
    void givenDetectorPartNamingAnUnknownScorer_whenLoaded_thenModelFormatException() throws IOException {
        Path f = tmp.resolve("u.ae4j");
        Map<String, Object> j = Map.of("format", "ae4j-detector", "formatVersion", 1, "scorer", "no-such-scorer",
                "thresholdSpec", "fixed:1", "thresholdValue", 1.0, "calibrationSize", 1, "calibrationScores", List.of(0.5));
        ModelFile.write(f, detector.model(), Map.of(AnomalyDetector.ENTRY, Json.MAPPER.writeValueAsBytes(j)));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> AnomalyDetector.load(f));
        assertTrue(e.getMessage().contains("no-such-scorer"), e.getMessage());
        Path g = tmp.resolve("v.ae4j");
        ModelFile.write(g, detector.model(), Map.of(AnomalyDetector.ENTRY,
                Json.MAPPER.writeValueAsBytes(Map.of("format", "ae4j-detector", "formatVersion", 99))));
        e = assertThrows(ModelFormatException.class, () -> AnomalyDetector.load(g));
        assertTrue(e.getMessage().contains("newer"), e.getMessage());
    }

    @Test
    void givenBadRows_whenUsingTheDetector_thenClearIllegalArgument() {
        INDArray narrow = Nd4j.rand(5, D - 1);
        INDArray nan = Nd4j.rand(5, D);
        nan.putScalar(1, 2, Double.NaN);
        INDArray empty = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, 0, D);
        List<Executable> calls = new ArrayList<>();
        for (INDArray bad : new INDArray[] {narrow, nan, empty}) {
            calls.add(() -> detector.score(bad));
            calls.add(() -> detector.predict(bad));
            calls.add(() -> detector.pValues(bad));
            calls.add(() -> detector.explain(bad, 2));
            calls.add(() -> detector.contributions(bad));
            calls.add(() -> detector.recalibrate(bad, Thresholds.percentile(99)));
            calls.add(() -> AnomalyDetector.of(detector.model(), AnomalyScorer.reconstructionError(), bad,
                    Thresholds.percentile(99)));
            calls.add(() -> AnomalyDetector.fit(TestSpecs.dense(D, 3, 16), bad, DetectorConfig.legacy()));
        }
        String[] expected = {"expected 12 features per row, got 11", "non-finite value (NaN) at row 1, column 2", "empty"};
        for (int i = 0; i < calls.size(); i++) {
            String want = expected[i / 8];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, calls.get(i), "call " + i);
            assertTrue(e.getMessage().contains(want), () -> "'" + e.getMessage() + "' lacks '" + want + "'");
        }
    }

    @Test
    void givenDetector_whenRecalibrated_thenNewThresholdSameModelAndScores() {
        AnomalyDetector d95 = detector.recalibrate(Thresholds.parse("percentile:95"));
        assertSame(detector.model(), d95.model());
        assertArrayEquals(detector.calibrationScores(), d95.calibrationScores());
        assertEquals(Thresholds.percentile(95).fit(detector.calibrationScores()), d95.threshold());
        assertTrue(d95.threshold().value() < detector.threshold().value());
        int[] before = detector.predict(test);
        int[] after = d95.predict(test);
        assertTrue(Arrays.stream(after).sum() >= Arrays.stream(before).sum());
        assertEquals("percentile:99", detector.threshold().spec(), "the original is unchanged");
    }

    @Test
    void givenLabelledScores_whenRecalibratedForF1_thenBestF1ThresholdAndNormalsKept() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> detector.recalibrate(Thresholds.f1()));
        assertTrue(e.getMessage().contains("labelled"), e.getMessage());
        double[] s = detector.score(test);
        AnomalyDetector f1 = detector.recalibrate(Thresholds.parse("f1"), s, testLabels);
        assertEquals(Metrics.bestF1(s, testLabels).threshold(), f1.threshold().value());
        assertEquals("f1", f1.threshold().spec());
        assertArrayEquals(Arrays.copyOf(s, 300), f1.calibrationScores());
        double f1AtDefault = Metrics.confusion(s, testLabels, detector.threshold().value()).f1();
        assertTrue(Metrics.confusion(s, testLabels, f1.threshold().value()).f1() >= f1AtDefault);
    }

    @Test
    void givenNewCalibrationRows_whenRecalibrated_thenTheirScoresAreKept() {
        INDArray normals = test.getRows(java.util.stream.IntStream.range(0, 300).toArray());
        AnomalyDetector d = detector.recalibrate(normals, Thresholds.parse("mad:3.5"));
        assertArrayEquals(detector.score(normals), d.calibrationScores());
        assertEquals(Thresholds.mad(3.5).fit(d.calibrationScores()), d.threshold());
        AnomalyDetector o = AnomalyDetector.of(detector.model(), AnomalyScorer.reconstructionError(), normals,
                Thresholds.parse("mad:3.5"));
        assertEquals(d.threshold(), o.threshold());
    }

    @Test
    void givenModelWithoutSchema_whenExplained_thenTopFeaturesNamedByIndexLargestFirst() {
        Explanation[] ex = detector.explain(test, 3);
        double[][] shares = detector.contributions(test);
        double[] s = detector.score(test);
        assertEquals(400, ex.length);
        for (int i = 0; i < ex.length; i++) {
            Explanation e = ex[i];
            assertEquals(i, e.row());
            assertEquals(s[i], e.score());
            assertEquals(detector.threshold().isAnomaly(s[i]), e.anomaly());
            assertEquals(3, e.features().size());
            double total = Arrays.stream(shares[i]).sum();
            assertEquals(1.0, total, 1e-9);
            for (int k = 0; k < 3; k++) {
                Explanation.Contribution c = e.features().get(k);
                assertEquals("f" + c.feature(), c.name());
                assertEquals(shares[i][c.feature()], c.share(), 1e-12);
                if (k > 0) {
                    assertTrue(c.share() <= e.features().get(k - 1).share());
                }
            }
            double third = e.features().get(2).share();
            for (int j = 0; j < D; j++) {
                final int jj = j;
                if (Arrays.stream(e.featureIndices()).noneMatch(f -> f == jj)) {
                    assertTrue(shares[i][j] <= third, "feature " + j + " outside the top 3 has a larger share");
                }
            }
        }
        assertEquals(D, detector.explain(test, 100)[0].features().size(), "topK is capped at the feature count");
        assertThrows(IllegalArgumentException.class, () -> detector.explain(test, 0));
    }

    @Test
    void givenDetectorWithSchema_whenExplainedAndReloaded_thenSchemaFeatureNames() throws IOException {
        List<TabularSchema.Column> cols = new ArrayList<>();
        for (int j = 0; j < D; j++) {
            cols.add(new TabularSchema.Column("sensor_" + j, TabularSchema.Role.NUMERIC, List.of(), 0));
        }
        cols.add(new TabularSchema.Column("label", TabularSchema.Role.LABEL, List.of(), 0));
        AnomalyDetector d = detector.withSchema(new TabularSchema(cols, true));
        assertArrayEquals(detector.score(test), d.score(test));
        assertEquals(detector.threshold(), d.threshold());
        Path f = tmp.resolve("s.ae4j");
        d.save(f);
        for (AnomalyDetector x : new AnomalyDetector[] {d, AnomalyDetector.load(f)}) {
            Explanation e = x.explain(test, 2)[350];
            for (Explanation.Contribution c : e.features()) {
                assertEquals("sensor_" + c.feature(), c.name());
            }
            assertEquals("sensor_0", x.featureNames().get(0));
        }
        assertEquals("f0", detector.featureNames().get(0));
    }

    @Test
    void givenInvalidConfig_whenCreated_thenIllegalArgument() {
        DetectorConfig c = DetectorConfig.legacy();
        assertEquals(0.2, c.calibrationFraction());
        assertEquals("percentile:99", c.threshold().spec());
        assertThrows(IllegalArgumentException.class, () -> c.withCalibrationFraction(0));
        assertThrows(IllegalArgumentException.class, () -> c.withCalibrationFraction(0.95));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.withThreshold(Thresholds.f1()));
        assertTrue(e.getMessage().contains("recalibrate"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.withRefit(-1, 0.9));
        assertThrows(IllegalArgumentException.class, () -> c.withRefit(1, 1.0));
        assertThrows(IllegalArgumentException.class, () -> c.withTrimFraction(0.6));
        assertEquals(0.05, c.withTrimFraction(0.05).training().trimFraction());
        IllegalArgumentException few = assertThrows(IllegalArgumentException.class,
                () -> AnomalyDetector.fit(TestSpecs.dense(D, 3, 16), Nd4j.rand(2, D), c));
        assertTrue(few.getMessage().contains("too few rows"), few.getMessage());
        IllegalArgumentException pot = assertThrows(IllegalArgumentException.class, () -> AnomalyDetector.fit(
                TestSpecs.dense(D, 3, 16), Nd4j.rand(1000, D), c.withThreshold(Thresholds.parse("pot:0.001"))));
        assertTrue(pot.getMessage().contains("needs at least 500 calibration rows"), pot.getMessage());
    }
}
