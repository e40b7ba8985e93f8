package io.github.ae4j.anomaly.stream;

import io.github.ae4j.anomaly.threshold.Spot;

/**
 * Settings of a {@link StreamingDetector}.
 *
 * @param risk          SPOT's q: the probability that a normal score is flagged, in (0, 1 - level)
 * @param level         the quantile of the calibration scores used as SPOT's initial threshold
 * @param depth         0 for SPOT; for DSPOT (drift-aware) the window of recent normal scores
 *                      whose mean is subtracted, at least 1
 * @param maxPeaks      the most excesses SPOT keeps
 * @param refitInterval tail events between GPD re-fits
 */
public record StreamConfig(double risk, double level, int depth, int maxPeaks, int refitInterval) {

    /** The largest peak buffer and DSPOT window accepted (memory bound for states read from files). */
    public static final int MAX_BUFFER = 1_000_000;

    /** Validates the record (through SPOT's own checks). */
    public StreamConfig {
        if (depth < 0 || depth > MAX_BUFFER) {
            throw new IllegalArgumentException("depth must be 0 (SPOT) or 1.." + MAX_BUFFER + " (DSPOT), got " + depth);
        }
        if (maxPeaks > MAX_BUFFER) {
            throw new IllegalArgumentException("maxPeaks must be at most " + MAX_BUFFER + ", got " + maxPeaks);
        }
        spotConfig(risk, level, maxPeaks, refitInterval);
    }

    /**
     * SPOT at risk 1e-3, level 0.98, at most 1,000 peaks, re-fit after every 10 tail events.
     *
     * @return the defaults
     */
    public static StreamConfig defaults() {
        return new StreamConfig(1e-3, 0.98, 0, 1000, 10);
    }

    /** @param v the risk @return a copy */
    public StreamConfig withRisk(double v) {
        return new StreamConfig(v, level, depth, maxPeaks, refitInterval);
    }

    /** @param v the level @return a copy */
    public StreamConfig withLevel(double v) {
        return new StreamConfig(risk, v, depth, maxPeaks, refitInterval);
    }

    /** @param v 0 for SPOT, else DSPOT's window @return a copy */
    public StreamConfig withDepth(int v) {
        return new StreamConfig(risk, level, v, maxPeaks, refitInterval);
    }

    /** @return the SPOT settings */
    public Spot.Config spot() {
        return spotConfig(risk, level, maxPeaks, refitInterval);
    }

    private static Spot.Config spotConfig(double risk, double level, int maxPeaks, int refitInterval) {
        return new Spot.Config(risk, level, maxPeaks, refitInterval);
    }
}
