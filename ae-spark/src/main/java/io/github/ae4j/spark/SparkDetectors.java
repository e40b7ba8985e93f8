package io.github.ae4j.spark;

import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.anomaly.DetectorConfig;
import io.github.ae4j.anomaly.DetectorTraining;
import io.github.ae4j.anomaly.Detectors;
import io.github.ae4j.anomaly.StandardizedScorer;
import io.github.ae4j.anomaly.threshold.ThresholdStrategy;
import io.github.ae4j.anomaly.threshold.Thresholds;
import io.github.ae4j.core.AnomalyScorer;
import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.ModelSpec;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.data.DataKind;
import io.github.ae4j.core.TrainingListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaDoubleRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anomaly detectors trained and calibrated on Spark: the distributed counterpart of
 * {@link AnomalyDetector#fit} and {@link AnomalyDetector#of}. The result is an ordinary
 * {@link AnomalyDetector}: it saves, loads and scores exactly like one trained on one machine.
 *
 * <p>As on one machine, a fraction of the normal rows is held out (a seeded hash of each row's
 * position, {@link DetectorConfig#calibrationFraction()}), never trained on, and scored to calibrate
 * the threshold; the scores are computed on the executors and the threshold is fitted on the driver
 * from all of them, or from a seeded sample of at most {@code maxCalibrationScores} when there are
 * more (the threshold strategies are quantile-like, so a sample of 10^5 scores places a
 * percentile:99 threshold within about 0.03 percentage points). The kept calibration scores are
 * those the threshold was fitted on.
 */
public final class SparkDetectors {

    private static final Logger LOG = LoggerFactory.getLogger(SparkDetectors.class);
    /** Default cap on the calibration scores collected to the driver. */
    public static final int DEFAULT_MAX_CALIBRATION_SCORES = 100_000;
    /** Rows collected to the driver for an architecture to size itself from ({@link #sizingRows}). */
    public static final int SIZING_ROWS = 5000;
    /** Salt of the calibration split hash (different from the validation split's). */
    static final long CALIBRATION_SALT = 0xCA11B;

    private SparkDetectors() {
    }

    /**
     * Trains a detector on normal rows held in an RDD: one model (distributed training), calibrated on
     * a held-out split of the rows. A {@link StandardizedScorer} template is fitted to the trained model
     * on a seeded sample of at most {@link StandardizedScorer#referenceSize()} training rows collected to
     * the driver.
     *
     * @param sc         the Spark context
     * @param spec       the architecture
     * @param normalRows raw normal rows of {@code spec.inputSize()} values (a deterministic RDD: it is
     *                   traversed several times)
     * @param config     training, calibration and threshold settings (trimmed loss is not supported;
     *                   ensemble size 1 and calibration folds 0: neither is distributed)
     * @param spark      how training is distributed
     * @param listeners  training progress listeners (driver side)
     * @return the detector
     * @throws IllegalArgumentException on invalid rows, too few rows to split, trimmed loss, an ensemble
     *                                  or cross-fitting, or a scorer that cannot score the model
     */
    public static AnomalyDetector fit(JavaSparkContext sc, ModelSpec spec, JavaRDD<float[]> normalRows,
                                      DetectorConfig config, SparkTrainingConfig spark, TrainingListener... listeners) {
        Objects.requireNonNull(sc, "sc");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(normalRows, "normalRows");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(spark, "spark");
        if (config.ensembleSize() != 1 || config.calibrationFolds() != 0) {
            throw new IllegalArgumentException("a Spark detector is one model calibrated on a held-out split:"
                    + " ensembleSize must be 1 and calibrationFolds 0 (got " + config.ensembleSize() + " and "
                    + config.calibrationFolds() + "), e.g. DetectorTraining.singleModel(DetectorConfig.defaults())");
        }
        return DetectorTraining.heldOut(normalRows, config, new RddRows(sc, spec, spark, listeners));
    }

    /**
     * Trains a detector on a table read for training ({@link SparkCsv#readForTraining}), as {@code ae4j train}
     * does on one machine: the rows labelled 1 are left out of training; a threshold that needs labels
     * (e.g. {@code f1}) is fitted on the held-out normal rows' and the labelled anomalies' scores after
     * calibrating with {@link Detectors#unlabelled}; the detector records the table's schema. The detector
     * settings are {@link DetectorConfig#defaults()} with {@code training}, as one model on a held-out split
     * ({@link DetectorTraining#singleModel}), trained by {@link #fit}.
     *
     * @param sc        the Spark context
     * @param table     the table (its rows are cached while training)
     * @param spec      the architecture, for {@code table.schema().featureCount()} values
     * @param training  how to train
     * @param threshold the threshold to end with
     * @param spark     how training is distributed
     * @param listeners training progress listeners (driver side)
     * @return the detector
     * @throws IllegalArgumentException when the threshold needs labelled anomalies and there are none, or as
     *                                  {@link #fit}
     */
    public static AnomalyDetector fitTable(JavaSparkContext sc, SparkCsv.Encoded table, ModelSpec spec,
                                           TrainingConfig training, ThresholdStrategy threshold,
                                           SparkTrainingConfig spark, TrainingListener... listeners) {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(threshold, "threshold");
        DetectorConfig config = DetectorTraining.singleModel(DetectorConfig.defaults()).withTraining(training)
                .withThreshold(Detectors.unlabelled(threshold));
        JavaRDD<SparkCsv.Record> records = table.rows().persist(StorageLevel.MEMORY_AND_DISK_SER());
        try {
            JavaRDD<float[]> normal = records.filter(r -> r.label() != 1).map(SparkCsv.Record::features);
            AnomalyDetector det = fit(sc, spec, normal, config, spark, listeners)
                    .withSchema(table.schema()).withData(DataKind.table());
            if (!threshold.requiresLabels()) {
                return det;
            }
            JavaRDD<float[]> anomalies = records.filter(r -> r.label() == 1).map(SparkCsv.Record::features);
            double[] scores;
            try (SparkScorer s = SparkScorer.of(sc, det)) {
                scores = sample(s.score(anomalies), DEFAULT_MAX_CALIBRATION_SCORES, training.seed());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("threshold " + threshold.spec() + " needs labelled anomalies"
                        + " (label 1)");
            }
            return det.recalibrateWithAnomalies(threshold, scores);
        } finally {
            records.unpersist(false);
        }
    }

    /**
     * The rows an architecture sizes itself from ({@link io.github.ae4j.core.plugin.ArchitectureRequest#rows()}):
     * every row of the table, as {@code ae4j train} passes them, or a seeded sample of {@value #SIZING_ROWS}
     * beyond that (the dense provider reads at most that many), so the same data gives the same model on
     * Spark as on one machine.
     *
     * @param table the encoded table
     * @param seed  the sample's seed
     * @return the rows, shape [n, features], or null for an empty table
     */
    public static org.nd4j.linalg.api.ndarray.INDArray sizingRows(SparkCsv.Encoded table, long seed) {
        List<float[]> rows = table.rows().map(SparkCsv.Record::features).takeSample(false, SIZING_ROWS, seed);
        return rows.isEmpty() ? null : org.nd4j.linalg.factory.Nd4j.create(rows.toArray(new float[0][]));
    }

    /**
     * {@link DetectorTraining}'s rows in an RDD: training distributed ({@link SparkAutoencoderTrainer}),
     * scores computed on the executors and sampled to the driver, the held-out split by a seeded hash of
     * each row's position.
     */
    private static final class RddRows implements DetectorTraining.Rows<JavaRDD<float[]>> {
        private final JavaSparkContext sc;
        private final ModelSpec spec;
        private final SparkTrainingConfig spark;
        private final TrainingListener[] listeners;

        RddRows(JavaSparkContext sc, ModelSpec spec, SparkTrainingConfig spark, TrainingListener... listeners) {
            this.sc = sc;
            this.spec = spec;
            this.spark = spark;
            this.listeners = listeners;
        }

        @Override
        public Autoencoder train(JavaRDD<float[]> rows, TrainingConfig config) {
            return new SparkAutoencoderTrainer(sc, config, spark, listeners).fit(spec, rows);
        }

        /** Fitted on a seeded sample of at most {@link StandardizedScorer#referenceSize()} rows taken to the driver. */
        @Override
        public AnomalyScorer fitScorer(StandardizedScorer template, Autoencoder model, JavaRDD<float[]> rows,
                                       long seed) {
            List<float[]> sample = rows.takeSample(false, template.referenceSize(), seed);
            if (sample.size() < 3) {
                throw new IllegalArgumentException("the standardized score needs at least 3 training rows, got "
                        + sample.size());
            }
            return template.fit(model, Rows.matrix(sample, model.inputSize()), seed);
        }

        @Override
        public DetectorTraining.Scores<JavaRDD<float[]>> score(Autoencoder model, AnomalyScorer scorer,
                                                               JavaRDD<float[]> rows, long sampleSeed) {
            // the scorer's broadcast stays until the context ends: the kept rows may be recomputed from it
            JavaDoubleRDD s = SparkScorer.of(sc, provisional(model, scorer, rows)).score(rows);
            double[] sample = sample(s, DEFAULT_MAX_CALIBRATION_SCORES * 10, sampleSeed);
            long n = s.count();
            return new DetectorTraining.Scores<>() {
                @Override
                public double[] sample() {
                    return sample;
                }

                @Override
                public long count() {
                    return n;
                }

                @Override
                public DetectorTraining.Kept<JavaRDD<float[]>> keepAtMost(double cut) {
                    JavaRDD<float[]> kept = rows.zip(s.map(Double::valueOf)).filter(t -> t._2() <= cut)
                            .map(t -> t._1()).persist(StorageLevel.MEMORY_AND_DISK_SER());
                    long k = kept.count();
                    if (k == n) {
                        kept.unpersist(false);
                        return new DetectorTraining.Kept<>(rows, k);
                    }
                    return new DetectorTraining.Kept<>(kept, k);
                }
            };
        }

        @Override
        public DetectorTraining.Split<JavaRDD<float[]>> holdOut(JavaRDD<float[]> rows, DetectorConfig config) {
            final long seed = config.training().seed();
            final double fraction = config.calibrationFraction();
            return new DetectorTraining.Split<>(
                    rows.mapPartitionsWithIndex((p, it) -> Rows.split(p, it, seed, CALIBRATION_SALT, fraction, false),
                            true),
                    rows.mapPartitionsWithIndex((p, it) -> Rows.split(p, it, seed, CALIBRATION_SALT, fraction, true),
                            true));
        }

        @Override
        public double[] calibrationScores(List<DetectorTraining.Member> members, JavaRDD<float[]> rows, long seed) {
            if (members.size() != 1) {
                throw new IllegalArgumentException("a Spark detector is one model, got " + members.size());
            }
            DetectorTraining.Member m = members.get(0);
            try (SparkScorer s = SparkScorer.of(sc, provisional(m.model(), m.scorer(), rows))) {
                double[] scores = sample(s.score(rows), DEFAULT_MAX_CALIBRATION_SCORES, seed);
                LOG.info("calibrating on {} held-out scores", scores.length);
                return scores;
            } catch (Exception e) {
                throw Rows.unwrap(e);
            }
        }
    }

    /**
     * Makes a detector from a trained model and held-out normal rows in an RDD: the rows are scored
     * on the executors and the threshold is fitted on the driver.
     *
     * @param sc                   the Spark context
     * @param model                the trained model
     * @param scorer               how rows are scored
     * @param calibrationRows      held-out normal rows, raw
     * @param t                    how the threshold is chosen (not one that needs labels)
     * @param maxCalibrationScores the most scores collected to the driver (a seeded sample beyond)
     * @param seed                 the sampling seed
     * @return the detector
     * @throws IllegalArgumentException on no calibration rows, a strategy that needs labels, or a
     *                                  scorer that cannot score the model
     */
    public static AnomalyDetector calibrate(JavaSparkContext sc, Autoencoder model, AnomalyScorer scorer,
                                            JavaRDD<float[]> calibrationRows, ThresholdStrategy t,
                                            int maxCalibrationScores, long seed) {
        Objects.requireNonNull(sc, "sc");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(scorer, "scorer");
        Objects.requireNonNull(calibrationRows, "calibrationRows");
        Objects.requireNonNull(t, "t");
        if (t.requiresLabels()) {
            throw new IllegalArgumentException("threshold " + t.spec() + " needs labelled scores: calibrate with"
                    + " another strategy, then AnomalyDetector.recalibrate(strategy, scores, labels)");
        }
        if (maxCalibrationScores < 1) {
            throw new IllegalArgumentException("maxCalibrationScores must be >= 1, got " + maxCalibrationScores);
        }
        AnomalyDetector provisional = provisional(model, scorer, calibrationRows);
        double[] scores;
        try (SparkScorer s = SparkScorer.of(sc, provisional)) {
            scores = sample(s.score(calibrationRows), maxCalibrationScores, seed);
        } catch (Exception e) {
            throw Rows.unwrap(e);
        }
        LOG.info("calibrating threshold {} on {} held-out scores", t.spec(), scores.length);
        return AnomalyDetector.of(model, scorer, scores, t);
    }

    /** A detector with the model and scorer (threshold to be fitted): made from one row of the data. */
    private static AnomalyDetector provisional(Autoencoder model, AnomalyScorer scorer, JavaRDD<float[]> rows) {
        List<float[]> first = rows.take(1);
        if (first.isEmpty()) {
            throw new IllegalArgumentException("no calibration rows: expected held-out normal rows of "
                    + model.inputSize() + " values (increase calibrationFraction or the data)");
        }
        return AnomalyDetector.of(model, scorer, Rows.matrix(first, model.inputSize()), Thresholds.fixed(0));
    }

    /** All values, or a seeded sample of about {@code max} when there are more. */
    static double[] sample(JavaDoubleRDD scores, int max, long seed) {
        long n = scores.count();
        if (n == 0) {
            throw new IllegalArgumentException("no rows to score");
        }
        List<Double> l = n <= max ? scores.collect() : scores.sample(false, Math.min(1.0, (double) max / n), seed).collect();
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = l.get(i);
        }
        return out;
    }


}
