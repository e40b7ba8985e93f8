package io.github.ae4j.anomaly.threshold;

import java.util.Objects;

/**
 * How a threshold is chosen from calibration scores: scores of held-out normal rows that the model
 * never trained on. Implementations are immutable and thread-safe; the built-in ones come from
 * {@link Thresholds} (and {@link Thresholds#parse(String)} for the command-line forms).
 */
public interface ThresholdStrategy {

    /**
     * Fits the threshold on calibration scores of normal rows.
     *
     * @param calibrationScores scores of held-out normal rows (finite)
     * @return the threshold
     * @throws IllegalArgumentException on empty or non-finite scores, too few scores for this
     *                                  strategy, or a strategy that {@link #requiresLabels() needs labels}
     */
    Threshold fit(double[] calibrationScores);

    /** @return true when the strategy needs labelled scores ({@link #fit(double[], int[])}), e.g. {@code f1} */
    default boolean requiresLabels() {
        return false;
    }

    /**
     * Fits the threshold on labelled scores (1 = anomaly). Strategies that do not use labels fit on
     * the scores of the normal rows (label 0) only, except {@code contamination}, whose fraction
     * refers to the data as it comes and which fits on all scores.
     *
     * @param scores scores of labelled rows
     * @param labels one 0/1 label per score
     * @return the threshold
     * @throws IllegalArgumentException on invalid scores or labels, or no normal rows
     */
    default Threshold fit(double[] scores, int[] labels) {
        return fit(normalScores(scores, labels));
    }

    /** @return the command-line form of this strategy, e.g. {@code percentile:99} */
    String spec();

    /**
     * The fewest calibration scores this strategy can be fitted on (checked by
     * {@code AnomalyDetector.fit} before training, so that a too-small calibration split fails fast).
     *
     * @return at least 1 (2 for {@code zscore}; 500 for {@code pot}, to have 10 peaks above the 98%
     *         quantile)
     */
    default int minCalibrationScores() {
        return 1;
    }

    /**
     * The scores whose label is 0, after checking the labels.
     *
     * @param scores the scores
     * @param labels one 0/1 label per score
     * @return the normal rows' scores
     * @throws IllegalArgumentException on mismatched lengths, labels other than 0/1, or no normal row
     */
    static double[] normalScores(double[] scores, int[] labels) {
        Objects.requireNonNull(scores, "scores");
        Objects.requireNonNull(labels, "labels");
        if (scores.length != labels.length) {
            throw new IllegalArgumentException("expected as many labels as scores, got " + labels.length
                    + " labels for " + scores.length + " scores");
        }
        int normals = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 0 && labels[i] != 1) {
                throw new IllegalArgumentException("labels must be 0 or 1, got " + labels[i] + " at index " + i);
            }
            normals += 1 - labels[i];
        }
        if (normals == 0) {
            throw new IllegalArgumentException("no normal rows (label 0) among " + labels.length
                    + " labelled scores: a threshold is calibrated on normal rows");
        }
        double[] out = new double[normals];
        for (int i = 0, j = 0; i < labels.length; i++) {
            if (labels[i] == 0) {
                out[j++] = scores[i];
            }
        }
        return out;
    }
}
