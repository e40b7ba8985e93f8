package io.github.ae4j.spark;

import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.anomaly.DetectorConfig;
import io.github.ae4j.anomaly.StandardizedScorer;
import io.github.ae4j.anomaly.threshold.ThresholdStrategy;
import io.github.ae4j.anomaly.threshold.Thresholds;
import io.github.ae4j.core.AnomalyScorer;
import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.ModelSpec;
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
                    + config.calibrationFolds() + "), e.g. DetectorConfig.defaults().withEnsembleSize(1)"
                    + ".withCalibrationFolds(0)");
        }
        final long seed = config.training().seed();
        final double fraction = config.calibrationFraction();
        JavaRDD<float[]> train = normalRows.mapPartitionsWithIndex(
                (p, it) -> split(p, it, seed, fraction, false), true);
        JavaRDD<float[]> cal = normalRows.mapPartitionsWithIndex(
                (p, it) -> split(p, it, seed, fraction, true), true);
        SparkAutoencoderTrainer trainer = new SparkAutoencoderTrainer(sc, config.training(), spark, listeners);
        Autoencoder model = trainer.fit(spec, train);
        if (!config.scorer().supports(model)) {
            throw new IllegalArgumentException("scorer '" + config.scorer().id() + "' cannot score a " + model.kind()
                    + " model (" + model + ")");
        }
        AnomalyScorer scorer = fitted(config.scorer(), model, train, seed);
        for (int round = 1; round <= config.refitRounds(); round++) {
            AnomalyDetector provisional = provisional(model, scorer, train);
            double cut;
            long n;
            try (SparkScorer ss = SparkScorer.of(sc, provisional)) {
                JavaDoubleRDD s = ss.score(train);
                double[] sample = sample(s, DEFAULT_MAX_CALIBRATION_SCORES * 10, seed + round);
                n = s.count();
                Arrays.sort(sample);
                cut = quantile(sample, config.refitQuantile());
            }
            final double c = cut;
            final AnomalyDetector p0 = provisional;
            JavaRDD<float[]> kept = keep(sc, p0, train, c).persist(StorageLevel.MEMORY_AND_DISK_SER());
            long k = kept.count();
            if (k == n || k < 2) {
                kept.unpersist(false);
                LOG.info("refit {}/{}: no training row to drop, stopping", round, config.refitRounds());
                break;
            }
            LOG.info("refit {}/{}: dropping {} of {} training rows scoring above {}, retraining", round,
                    config.refitRounds(), n - k, n, cut);
            train = kept;
            model = trainer.fit(spec, train);
            scorer = fitted(config.scorer(), model, train, seed);
        }
        return calibrate(sc, model, scorer, cal, config.threshold(), DEFAULT_MAX_CALIBRATION_SCORES, seed);
    }

    /**
     * The scorer fitted to the model when it needs fitting (the {@link StandardizedScorer}): on a seeded
     * sample of at most {@link StandardizedScorer#referenceSize()} training rows taken to the driver.
     */
    private static AnomalyScorer fitted(AnomalyScorer scorer, Autoencoder model, JavaRDD<float[]> train, long seed) {
        if (!(scorer instanceof StandardizedScorer st) || st.isFitted()) {
            return scorer;
        }
        List<float[]> sample = train.takeSample(false, st.referenceSize(), seed);
        if (sample.size() < 3) {
            throw new IllegalArgumentException("the standardized score needs at least 3 training rows, got "
                    + sample.size());
        }
        return st.fit(model, Rows.matrix(sample, model.inputSize()), seed);
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

    private static JavaRDD<float[]> keep(JavaSparkContext sc, AnomalyDetector d, JavaRDD<float[]> rows, double cut) {
        SparkScorer scorer = SparkScorer.of(sc, d);
        JavaDoubleRDD s = scorer.score(rows);
        return rows.zip(s.map(Double::valueOf)).filter(t -> t._2() <= cut).map(t -> t._1());
    }

    static Iterator<float[]> split(int partition, Iterator<float[]> it, long seed, double fraction, boolean held) {
        List<float[]> out = new ArrayList<>();
        long i = 0;
        while (it.hasNext()) {
            float[] r = it.next();
            if (Rows.heldOut(seed, CALIBRATION_SALT, partition, i++, fraction) == held) {
                out.add(r);
            }
        }
        return out.iterator();
    }

    private static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
