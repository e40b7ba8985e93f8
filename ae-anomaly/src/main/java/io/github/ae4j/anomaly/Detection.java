package io.github.ae4j.anomaly;

import java.util.Objects;

/**
 * What a detector says about a batch of rows, in one call ({@link AnomalyDetector#detect}): per row
 * the anomaly score, the flag at the detector's threshold, the conformal p-value, and explanations
 * when asked.
 *
 * @param scores       anomaly scores, higher = more anomalous
 * @param flags        1 where {@code score >= threshold}, else 0
 * @param pValues      conformal p-values against the calibration scores, small = anomalous
 * @param explanations the features that contribute most to each row's error, or null when not asked
 */
public record Detection(double[] scores, int[] flags, double[] pValues, Explanation[] explanations) {

    /** Validates the record. */
    public Detection {
        Objects.requireNonNull(scores, "scores");
        Objects.requireNonNull(flags, "flags");
        Objects.requireNonNull(pValues, "pValues");
        if (flags.length != scores.length || pValues.length != scores.length
                || explanations != null && explanations.length != scores.length) {
            throw new IllegalArgumentException("one score, flag, p-value (and explanation) per row");
        }
    }

    /** @return the number of rows */
    public int rows() {
        return scores.length;
    }

    /** @return how many rows are flagged */
    public long flagged() {
        long n = 0;
        for (int f : flags) {
            n += f;
        }
        return n;
    }
}
