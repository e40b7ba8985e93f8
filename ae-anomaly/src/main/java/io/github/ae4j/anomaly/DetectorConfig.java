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
 * @param ensembleSize        how many autoencoders (seeds {@code seed, seed + 1, ...}) are trained on
 *                            all rows; the detector's score is the mean of their scores, in [1, 16]
 * @param calibrationFolds    {@code 0}: hold out {@code calibrationFraction} of the rows for calibration
 *                            (the model never trains on them); {@code K >= 2}: cross-fitting: K fold
 *                            models, each trained on the rows outside its fold, score their fold, so
 *                            the threshold rests on out-of-fold scores of every row, and the ensemble
 *                            trains on all rows (K is lowered for many rows, see
 *                            {@link AnomalyDetector#effectiveFolds(int, long)}), in {0} or [2, 20]
 */
public record DetectorConfig(TrainingConfig training, double calibrationFraction, ThresholdStrategy threshold,
                             AnomalyScorer scorer, int refitRounds, double refitQuantile, int ensembleSize,
                             int calibrationFolds) {

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
        if (ensembleSize < 1 || ensembleSize > 16) {
            throw new IllegalArgumentException("ensembleSize must be in [1, 16], got " + ensembleSize);
        }
        if (calibrationFolds != 0 && (calibrationFolds < 2 || calibrationFolds > 20)) {
            throw new IllegalArgumentException("calibrationFolds must be 0 (hold-out) or in [2, 20], got "
                    + calibrationFolds);
        }
    }

    /**
     * The configuration of ae4j 0.1: one model, a held-out calibration split.
     *
     * @param training            how to train
     * @param calibrationFraction held-out fraction
     * @param threshold           threshold strategy
     * @param scorer              scorer
     * @param refitRounds         refit rounds
     * @param refitQuantile       refit quantile
     */
    public DetectorConfig(TrainingConfig training, double calibrationFraction, ThresholdStrategy threshold,
                          AnomalyScorer scorer, int refitRounds, double refitQuantile) {
        this(training, calibrationFraction, threshold, scorer, refitRounds, refitQuantile, 1, 0);
    }

    /**
     * {@link TrainingConfig#defaults()}, {@code percentile:99}, the {@link StandardizedScorer}
     * (standardised reconstruction term + latent nearest-codes term), an ensemble of
     * {@value #DEFAULT_ENSEMBLE} autoencoders, cross-fitted calibration on {@value #DEFAULT_FOLDS}
     * folds, no refitting (refit quantile 0.95 when turned on; calibration fraction 0.2 when
     * {@link #withCalibrationFolds(int) hold-out} is chosen). See {@code docs/notes/issue-14.md} for the
     * measurements behind each choice.
     *
     * @return the defaults
     */
    public static DetectorConfig defaults() {
        return new DetectorConfig(TrainingConfig.defaults(), 0.2, Thresholds.percentile(99),
                StandardizedScorer.defaults(), 0, 0.95, DEFAULT_ENSEMBLE, DEFAULT_FOLDS);
    }

    /**
     * The defaults for images: the {@link StandardizedScorer} (per-pixel standardised reconstruction
     * error + the latent nearest-codes term) of one model, calibrated on a 20% hold-out split. One model
     * and a hold-out split, not the ensemble and cross-fitting of {@link #defaults()}, because
     * convolutional training is what costs time on images: on MNIST one-class (3,000 images of a digit,
     * 2 cores) one model trains in about 45 s, the tables' default would take 6 of them. Measurements:
     * docs/notes/issue-14.md.
     *
     * @return the image defaults
     */
    public static DetectorConfig imageDefaults() {
        return new DetectorConfig(TrainingConfig.defaults(), 0.2, Thresholds.percentile(99),
                StandardizedScorer.defaults(), 0, 0.95, 1, 0);
    }

    /** Default ensemble size. */
    public static final int DEFAULT_ENSEMBLE = 3;
    /**
     * Default number of calibration folds: 10, fewer on larger sets ({@code AnomalyDetector.effectiveFolds}:
     * at most about 5,000 rows trained in all, so 10 folds below ~560 rows, 2 folds from ~2,500 rows on).
     * Each fold's model trains on 90% of the rows instead of 80% with 5 folds, so its out-of-fold scores
     * are closer to what the final models give new normal rows and the threshold sits less far above the
     * normal tail: on the six development tables (5 seeds) recall at {@code percentile:99} came to within
     * 0.040 of the oracle recall (mean over sets) against 0.063 with 5 folds, false alarms 0.68% vs 0.66%
     * pooled (docs/notes/issue-14.md).
     */
    public static final int DEFAULT_FOLDS = 10;

    /**
     * The defaults of ae4j 0.1: one model scored by its reconstruction error, calibrated on a 20%
     * hold-out split (the model file of such a detector loads in older ae4j versions too).
     *
     * @return the legacy defaults
     */
    public static DetectorConfig legacy() {
        return new DetectorConfig(TrainingConfig.defaults(), 0.2, Thresholds.percentile(99),
                AnomalyScorer.reconstructionError(), 0, 0.95, 1, 0);
    }

    /**
     * A copy with another ensemble size.
     *
     * @param v how many autoencoders, in [1, 16]
     * @return the copy
     */
    public DetectorConfig withEnsembleSize(int v) {
        return new DetectorConfig(training, calibrationFraction, threshold, scorer, refitRounds, refitQuantile, v,
                calibrationFolds);
    }

    /**
     * A copy with another calibration scheme.
     *
     * @param v 0 for a held-out split of {@link #calibrationFraction()}, else the number of
     *          cross-fitting folds, in [2, 20]
     * @return the copy
     */
    public DetectorConfig withCalibrationFolds(int v) {
        return new DetectorConfig(training, calibrationFraction, threshold, scorer, refitRounds, refitQuantile,
                ensembleSize, v);
    }

    /**
     * A copy with another value.
     *
     * @param v how to train
     * @return the copy
     */
    public DetectorConfig withTraining(TrainingConfig v) {
        return new DetectorConfig(v, calibrationFraction, threshold, scorer, refitRounds, refitQuantile, ensembleSize, calibrationFolds);
    }

    /**
     * A copy with another value.
     *
     * @param v the calibration fraction
     * @return the copy
     */
    public DetectorConfig withCalibrationFraction(double v) {
        return new DetectorConfig(training, v, threshold, scorer, refitRounds, refitQuantile, ensembleSize, calibrationFolds);
    }

    /**
     * A copy with another value.
     *
     * @param v the threshold strategy
     * @return the copy
     */
    public DetectorConfig withThreshold(ThresholdStrategy v) {
        return new DetectorConfig(training, calibrationFraction, v, scorer, refitRounds, refitQuantile, ensembleSize, calibrationFolds);
    }

    /**
     * A copy with another value.
     *
     * @param v the scorer
     * @return the copy
     */
    public DetectorConfig withScorer(AnomalyScorer v) {
        return new DetectorConfig(training, calibrationFraction, threshold, v, refitRounds, refitQuantile, ensembleSize, calibrationFolds);
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
        return new DetectorConfig(training, calibrationFraction, threshold, scorer, rounds, quantile, ensembleSize,
                calibrationFolds);
    }
}
