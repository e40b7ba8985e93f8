package io.github.ae4j.anomaly.threshold;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A fitted threshold: rows with {@code score >= value} are anomalies.
 *
 * @param value           the threshold, finite
 * @param spec            the strategy that produced it, in command-line form (e.g. {@code percentile:99})
 * @param calibrationSize how many scores it was fitted on (0 for {@code fixed})
 * @param details         what the strategy computed on the way, by name (e.g. {@code mean} and
 *                        {@code sd} for {@code zscore}, {@code gamma} and {@code sigma} for
 *                        {@code pot}), finite; read-only, in insertion order
 */
public record Threshold(double value, String spec, int calibrationSize, Map<String, Double> details) {

    /** Validates the record. */
    public Threshold {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("threshold value must be finite, got " + value);
        }
        Objects.requireNonNull(spec, "spec");
        if (calibrationSize < 0) {
            throw new IllegalArgumentException("calibrationSize must be >= 0, got " + calibrationSize);
        }
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details == null ? Map.of() : details));
        for (Map.Entry<String, Double> e : details.entrySet()) {
            if (e.getKey() == null || e.getValue() == null || !Double.isFinite(e.getValue())) {
                throw new IllegalArgumentException("threshold details must be named finite numbers, got "
                        + e.getKey() + "=" + e.getValue());
            }
        }
    }

    /**
     * A threshold without details.
     *
     * @param value           the value
     * @param spec            the strategy's spec
     * @param calibrationSize the number of calibration scores
     * @return the threshold
     */
    public static Threshold of(double value, String spec, int calibrationSize) {
        return new Threshold(value, spec, calibrationSize, Map.of());
    }

    /**
     * Whether a score is an anomaly.
     *
     * @param score the score
     * @return {@code score >= value()}
     */
    public boolean isAnomaly(double score) {
        return score >= value;
    }

    /**
     * Flags scores.
     *
     * @param scores the scores
     * @return 1 where {@code score >= value()}, else 0
     */
    public int[] predict(double[] scores) {
        Objects.requireNonNull(scores, "scores");
        int[] p = new int[scores.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = scores[i] >= value ? 1 : 0;
        }
        return p;
    }
}
