package io.github.ae4j.anomaly;

import io.github.ae4j.anomaly.threshold.ThresholdStrategy;
import io.github.ae4j.anomaly.threshold.Thresholds;
import io.github.ae4j.core.AnomalyScorer;
import io.github.ae4j.core.TrainingConfig;
import java.util.Objects;

/**
 * How {@link AnomalyDetector#fit} trains and calibrates a detector. Immutable; {@code withX}
 * methods return copies. Start from {@link #defaults()}.
 *
 * <p>Robust training, for training data that already contains some anomalies:
 * <ul>
 *   <li>trimmed loss ({@link #withTrimFraction(double)}, stored in {@link TrainingConfig#trimFraction()}):
 *       in every mini-batch the rows with the largest loss, a fraction q of the batch, are left out of
 *       the gradient, so that a few anomalies cannot pull the model towards reconstructing them;</li>
 *   <li>refitting ({@link #withRefit(int, double)}): after training, the training rows scoring above
 *       the {@code refitQuantile} quantile of the training scores are dropped and a new model is
 *       trained from scratch on the rest, {@code refitRounds} times.</li>
 * </ul>
 * Calibration still assumes normal calibration rows: on contaminated data prefer a
 * {@code contamination:C} threshold.
 *
 * @param training            how to train the autoencoder
 * @param calibrationFraction fraction of the normal rows held out (never trained on) to calibrate the
 *                            threshold, in (0, 0.9]
 * @param threshold           how the threshold is chosen from the calibration scores (one that needs
 *                            labels, such as {@code f1}, cannot be used here: recalibrate with labels)
 * @param scorer              how rows are scored, higher = more anomalous
 * @param refitRounds         how many times to drop high-scoring training rows and retrain, >= 0
 *                            (0: no refitting)
 * @param refitQuantile       training rows scoring above this quantile of the training scores are
 *                            dropped before a refit, in [0.5, 1)
 */
public record DetectorConfig(TrainingConfig training, double calibrationFraction, ThresholdStrategy threshold,
                             AnomalyScorer scorer, int refitRounds, double refitQuantile) {

    /** Validates the record. */
    public DetectorConfig {
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(threshold, "threshold");
        Objects.requireNonNull(scorer, "scorer");
        if (!(calibrationFraction > 0 && calibrationFraction <= 0.9)) {
            throw new IllegalArgumentException("calibrationFraction must be in (0, 0.9], got " + calibrationFraction);
        }
        if (threshold.requiresLabels()) {
            throw new IllegalArgumentException("threshold " + threshold.spec() + " needs labels and cannot be"
                    + " calibrated on normal rows: fit with another threshold, then recalibrate with labelled"
                    + " scores (AnomalyDetector.recalibrate(strategy, scores, labels))");
        }
        if (refitRounds < 0 || refitRounds > 10) {
            throw new IllegalArgumentException("refitRounds must be in [0, 10], got " + refitRounds);
        }
        if (!(refitQuantile >= 0.5 && refitQuantile < 1)) {
            throw new IllegalArgumentException("refitQuantile must be in [0.5, 1), got " + refitQuantile);
        }
    }

    /**
     * {@link TrainingConfig#defaults()}, 20% of the rows for calibration, {@code percentile:99},
     * the reconstruction error, no refitting (refit quantile 0.95 when turned on).
     *
     * @return the defaults
     */
    public static DetectorConfig defaults() {
        return new DetectorConfig(TrainingConfig.defaults(), 0.2, Thresholds.percentile(99),
                AnomalyScorer.reconstructionError(), 0, 0.95);
    }

    /**
     * A copy with another value.
     *
     * @param v how to train
     * @return the copy
     */
    public DetectorConfig withTraining(TrainingConfig v) {
        return new DetectorConfig(v, calibrationFraction, threshold, scorer, refitRounds, refitQuantile);
    }

    /**
     * A copy with another value.
     *
     * @param v the calibration fraction
     * @return the copy
     */
    public DetectorConfig withCalibrationFraction(double v) {
        return new DetectorConfig(training, v, threshold, scorer, refitRounds, refitQuantile);
    }

    /**
     * A copy with another value.
     *
     * @param v the threshold strategy
     * @return the copy
     */
    public DetectorConfig withThreshold(ThresholdStrategy v) {
        return new DetectorConfig(training, calibrationFraction, v, scorer, refitRounds, refitQuantile);
    }

    /**
     * A copy with another value.
     *
     * @param v the scorer
     * @return the copy
     */
    public DetectorConfig withScorer(AnomalyScorer v) {
        return new DetectorConfig(training, calibrationFraction, threshold, v, refitRounds, refitQuantile);
    }

    /**
     * Trimmed loss: ignore the fraction {@code q} of rows with the largest loss in each batch.
     *
     * @param q the fraction, in [0, 0.5); about the expected contamination, or a little more
     * @return a copy (with {@code training().withTrimFraction(q)})
     */
    public DetectorConfig withTrimFraction(double q) {
        return withTraining(training.withTrimFraction(q));
    }

    /** @return the trimmed fraction of each batch ({@link TrainingConfig#trimFraction()}) */
    public double trimFraction() {
        return training.trimFraction();
    }

    /**
     * Refitting: after training, drop the training rows scoring above the {@code quantile} quantile
     * and retrain, {@code rounds} times.
     *
     * @param rounds   how many refits, in [0, 10]
     * @param quantile the quantile above which rows are dropped, in [0.5, 1)
     * @return a copy
     */
    public DetectorConfig withRefit(int rounds, double quantile) {
        return new DetectorConfig(training, calibrationFraction, threshold, scorer, rounds, quantile);
    }
}
