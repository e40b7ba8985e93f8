package io.github.ae4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.anomaly.DetectorConfig;
import io.github.ae4j.anomaly.metrics.Metrics;
import io.github.ae4j.anomaly.threshold.Thresholds;
import io.github.ae4j.core.AnomalyScorer;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.testing.Models;
import io.github.ae4j.core.testing.Synthetic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

class SparkScorerTest {

    private static final int D = 12;
    private static SparkSession spark;
    private static JavaSparkContext sc;
    private static Synthetic.Labelled data;
    private static AnomalyDetector detector;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("SparkScorerTest");
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        data = Synthetic.planted(1500, D, 0.05, 4.0, null, 5);
        List<double[]> normal = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            if (data.y()[i] == 0) {
                normal.add(data.x()[i]);
            }
        }
        detector = AnomalyDetector.fit(Models.dense(D, 8, 3), Nd4j.create(normal.toArray(new double[0][])),
                DetectorConfig.legacy().withTraining(TrainingConfig.defaults().withEpochs(8).withBatchSize(32)));
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void givenDetector_whenScoringTableInThreePartitions_thenScoresAndFlagsEqualOneMachineRowByRow() {
        double[][] x = Arrays.copyOfRange(data.x(), 1000, 1500);
        Dataset<Row> table = table(x).repartition(3);
        List<String> features = features();
        long loadsBefore = ModelCache.loads();
        List<Row> scored;
        try (SparkScorer scorer = SparkScorer.of(sc, detector)) {
            scored = scorer.score(table, features).collectAsList();
        }
        double[] expected = detector.score(Nd4j.create(x));
        int[] flags = detector.predict(Nd4j.create(x));
        assertEquals(x.length, scored.size());
        boolean[] seen = new boolean[x.length];
        for (Row r : scored) {
            int id = r.getInt(0);
            seen[id] = true;
            LocalSpark.assertRelativelyClose(expected[id], r.getDouble(D + 1), 1e-5, "score of row " + id);
            assertEquals(flags[id], r.getInt(D + 2), "flag of row " + id);
        }
        for (boolean s : seen) {
            assertTrue(s);
        }
        // the broadcast model is loaded once in this (driver-and-executor) JVM, not once per partition
        assertEquals(1, ModelCache.loads() - loadsBefore);
    }

    @Test
    void givenHeldOutRows_whenCalibratingDistributed_thenSameThresholdAsOneMachine() {
        double[][] cal = Arrays.copyOfRange(data.x(), 1000, 1300);
        AnomalyDetector local = AnomalyDetector.of(detector.model(), AnomalyScorer.reconstructionError(),
                Nd4j.create(cal), Thresholds.parse("percentile:95"));
        AnomalyDetector distributed = SparkDetectors.calibrate(sc, detector.model(), AnomalyScorer.reconstructionError(),
                sc.parallelize(LocalSpark.floats(cal), 3), Thresholds.parse("percentile:95"), 100_000, 1);
        LocalSpark.assertRelativelyClose(local.threshold().value(), distributed.threshold().value(), 1e-5, "threshold");
        assertEquals(300, distributed.calibrationScores().length);
        assertEquals("percentile:95", distributed.threshold().spec());
    }

    @Test
    void givenNormalRows_whenFittingDetectorDistributed_thenFlagsPlantedAnomaliesAndRoundTrips(@TempDir Path dir)
            throws Exception {
        List<float[]> normal = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            if (data.y()[i] == 0) {
                normal.add(LocalSpark.floats(new double[][] {data.x()[i]}).get(0));
            }
        }
        AnomalyDetector d = SparkDetectors.fit(sc, Models.dense(D, 8, 3), sc.parallelize(normal, 2),
                DetectorConfig.legacy().withTraining(TrainingConfig.defaults().withEpochs(8).withBatchSize(32)),
                SparkTrainingConfig.defaults().withWorkers(2).withAveragingFrequency(4));
        double[][] test = Arrays.copyOfRange(data.x(), 1000, 1500);
        int[] y = Arrays.copyOfRange(data.y(), 1000, 1500);
        double auroc = Metrics.auroc(d.score(Nd4j.create(test)), y);
        double localAuroc = Metrics.auroc(detector.score(Nd4j.create(test)), y);
        System.err.printf("AUROC on planted anomalies: distributed %.4f, one machine %.4f, random 0.5%n", auroc, localAuroc);
        assertTrue(auroc >= 0.9, "AUROC " + auroc);
        assertTrue(auroc >= localAuroc - 0.05, "AUROC " + auroc + " vs one machine " + localAuroc);
        // about 20% of the normal rows were held out for calibration, as on one machine
        int n = d.calibrationScores().length;
        assertTrue(n > 0.15 * normal.size() && n < 0.25 * normal.size(), "calibration rows " + n);
        Path f = dir.resolve("d.ae4j");
        d.save(f);
        AnomalyDetector back = AnomalyDetector.load(f);
        assertArrayEquals(d.score(Nd4j.create(test)), back.score(Nd4j.create(test)), 0.0);
        assertEquals(d.threshold().value(), back.threshold().value());
    }

    @Test
    void givenFeaturesInOneArrayColumn_whenScoring_thenSameScoresAsNumericColumns() {
        double[][] x = Arrays.copyOfRange(data.x(), 1000, 1100);
        Dataset<Row> table = table(x);
        org.apache.spark.sql.Column[] cols = features().stream().map(org.apache.spark.sql.functions::col)
                .toArray(org.apache.spark.sql.Column[]::new);
        Dataset<Row> arrays = table.select(org.apache.spark.sql.functions.col("id"),
                org.apache.spark.sql.functions.array(cols).as("x"));
        double[] expected = detector.score(Nd4j.create(x));
        try (SparkScorer scorer = SparkScorer.of(sc, detector).withPValues(true)) {
            List<Row> scored = scorer.score(arrays, List.of("x")).collectAsList();
            double[] p = detector.pValues(Nd4j.create(x));
            for (Row r : scored) {
                int id = r.getInt(0);
                LocalSpark.assertRelativelyClose(expected[id], r.getDouble(2), 1e-5, "score of row " + id);
                LocalSpark.assertRelativelyClose(p[id], r.getDouble(4), 1e-9, "p-value of row " + id);
            }
            assertEquals(100, scored.size());
        }
    }

    @Test
    void givenContaminatedRows_whenFittingWithRefit_thenDetectorStillSeparatesAnomalies() {
        // the training rows include the planted anomalies: one refit round drops the top 5% and retrains
        List<float[]> all = LocalSpark.floats(Arrays.copyOfRange(data.x(), 0, 1000));
        AnomalyDetector d = SparkDetectors.fit(sc, Models.dense(D, 8, 3), sc.parallelize(all, 2),
                DetectorConfig.legacy().withTraining(TrainingConfig.defaults().withEpochs(4).withBatchSize(32))
                        .withRefit(1, 0.95),
                SparkTrainingConfig.defaults().withWorkers(2).withAveragingFrequency(8));
        double[][] test = Arrays.copyOfRange(data.x(), 1000, 1500);
        double auroc = Metrics.auroc(d.score(Nd4j.create(test)), Arrays.copyOfRange(data.y(), 1000, 1500));
        System.err.printf("AUROC after a distributed refit on contaminated rows: %.4f%n", auroc);
        assertTrue(auroc >= 0.8, "AUROC " + auroc);
    }

    @Test
    void givenBadTables_whenScoring_thenIllegalArgumentNamingTheColumn() {
        Dataset<Row> table = table(Arrays.copyOfRange(data.x(), 0, 10));
        try (SparkScorer scorer = SparkScorer.of(sc, detector)) {
            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                    () -> scorer.score(table, List.of("f0", "nope")));
            assertTrue(missing.getMessage().contains("no column 'nope'"), missing.getMessage());
            IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
                    () -> scorer.score(table, List.of("f0", "f1", "f2")));
            assertTrue(width.getMessage().contains("expected " + D + " feature columns"), width.getMessage());
            Dataset<Row> withNull = table.withColumn("f2", org.apache.spark.sql.functions.lit(null).cast("double"));
            SparkException e = assertThrows(SparkException.class,
                    () -> scorer.score(withNull, features()).collectAsList());
            assertTrue(rootMessage(e).contains("null value in column 'f2'"), rootMessage(e));
        }
    }

    private static List<String> features() {
        List<String> f = new ArrayList<>();
        for (int j = 0; j < D; j++) {
            f.add("f" + j);
        }
        return f;
    }

    /** A table with an int id column then D double columns f0.. */
    private static Dataset<Row> table(double[][] x) {
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("id", DataTypes.IntegerType, false));
        for (int j = 0; j < D; j++) {
            fields.add(DataTypes.createStructField("f" + j, DataTypes.DoubleType, true));
        }
        StructType schema = DataTypes.createStructType(fields);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            Object[] v = new Object[D + 1];
            v[0] = i;
            for (int j = 0; j < D; j++) {
                v[j + 1] = x[i][j];
            }
            rows.add(RowFactory.create(v));
        }
        return spark.createDataFrame(rows, schema);
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null) {
            r = r.getCause();
        }
        return r.getMessage();
    }
}
