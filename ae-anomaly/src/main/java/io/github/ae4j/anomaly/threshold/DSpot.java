package io.github.ae4j.anomaly.threshold;

import java.util.Objects;

/**
 * Drift-aware SPOT (DSPOT, Siffer et al., KDD 2017): SPOT applied to the deviation of each score
 * from the mean of the {@code depth} most recent normal scores, so that a slowly drifting level
 * does not turn into a stream of alarms.
 *
 * <p>For the score {@code X_i}, with {@code M_i} the mean of the last {@code depth} scores that were
 * not alarms, {@link Spot} runs on {@code X_i - M_i}; an alarm is {@code X_i - M_i >= z_q}, that is
 * {@code X_i >= M_i + z_q} ({@link #threshold()}). Scores that are not alarms enter the window.
 * Memory is O(depth + maxPeaks).
 *
 * <p>Not thread-safe: one instance per stream.
 */
public final class DSpot {

    private final Spot spot;
    private final double[] window;
    private int next;
    private double sum;
    private int sinceResum;

    private DSpot(Spot spot, double[] window) {
        this.spot = spot;
        this.window = window;
        resum();
    }

    /**
     * Starts DSPOT on an initial batch.
     *
     * @param initial the initial scores, in stream order, finite: at least {@code depth} plus enough
     *                for SPOT's initial fit (500 at level 0.98)
     * @param depth   the window of the local mean, at least 1
     * @param config  the SPOT settings
     * @return the streaming detector
     * @throws IllegalArgumentException on too few or non-finite scores, or a depth below 1
     */
    public static DSpot fit(double[] initial, int depth, Spot.Config config) {
        Objects.requireNonNull(config, "config");
        if (depth < 1) {
            throw new IllegalArgumentException("depth must be >= 1, got " + depth);
        }
        double[] x = Stats.checked(initial, "initial scores", 1);
        int needed = depth + Pot.minScores(config.level());
        if (x.length < needed) {
            throw new IllegalArgumentException("DSPOT with depth " + depth + " needs at least " + needed
                    + " initial scores (the window plus SPOT's initial batch), got " + x.length);
        }
        double[] residuals = new double[x.length - depth];
        double s = 0;
        for (int i = 0; i < depth; i++) {
            s += x[i];
        }
        for (int i = depth; i < x.length; i++) {
            residuals[i - depth] = x[i] - s / depth;
            s += x[i] - x[i - depth];
        }
        double[] window = java.util.Arrays.copyOfRange(x, x.length - depth, x.length);
        return new DSpot(Spot.fit(residuals, config), window);
    }

    /**
     * Processes the next score of the stream.
     *
     * @param score the score (not NaN)
     * @return true when it is an alarm ({@code score >= threshold()} before the call)
     */
    public boolean step(double score) {
        if (Double.isNaN(score)) {
            throw new IllegalArgumentException("score must not be NaN (step " + spot.steps() + ")");
        }
        boolean alarm = spot.step(score - localMean());
        if (!alarm && Double.isFinite(score)) {
            sum += score - window[next];
            window[next] = score;
            next = (next + 1) % window.length;
            if (++sinceResum >= window.length) {
                resum();
            }
        }
        return alarm;
    }

    private void resum() { // bounds the rounding error of the running sum
        double s = 0;
        for (double v : window) {
            s += v;
        }
        sum = s;
        sinceResum = 0;
    }

    /** @return the mean of the current window, M_i */
    public double localMean() {
        return sum / window.length;
    }

    /** @return the current alarm threshold on the score scale: {@code localMean() + z_q} */
    public double threshold() {
        return localMean() + spot.threshold();
    }

    /** @return the threshold on the deviations from the local mean, z_q */
    public double deviationThreshold() {
        return spot.threshold();
    }

    /** @return the window size */
    public int depth() {
        return window.length;
    }

    /** @return the number of excesses held in memory */
    public int peakCount() {
        return spot.peakCount();
    }

    /** @return the capacity of the peak buffer */
    public int maxPeaks() {
        return spot.maxPeaks();
    }

    /** @return scores passed to {@link #step(double)} */
    public long steps() {
        return spot.steps();
    }

    /** @return alarms raised */
    public long alarms() {
        return spot.alarms();
    }

    /** @return the current fit of the excesses of the deviations */
    public Gpd gpd() {
        return spot.gpd();
    }

    /**
     * Everything a running DSPOT holds ({@link #state()}, {@link #restore(State)}).
     *
     * @param spot       the SPOT on the deviations
     * @param window     the recent normal scores, in buffer order
     * @param next       the window slot written next
     * @param sum        the running sum of the window
     * @param sinceResum updates since the sum was last recomputed
     */
    public record State(Spot.State spot, double[] window, int next, double sum, int sinceResum) {
    }

    /** @return a copy of this detector's state */
    public State state() {
        return new State(spot.state(), window.clone(), next, sum, sinceResum);
    }

    /**
     * A detector continuing exactly from a saved state.
     *
     * @param s the state
     * @return the detector
     * @throws IllegalArgumentException when the state is inconsistent
     */
    public static DSpot restore(State s) {
        Objects.requireNonNull(s, "state");
        if (s.window() == null || s.window().length < 1 || s.next() < 0 || s.next() >= s.window().length
                || !Double.isFinite(s.sum()) || s.sinceResum() < 0 || s.sinceResum() > s.window().length) {
            throw new IllegalArgumentException("inconsistent DSPOT state (window, position or sum out of range)");
        }
        for (double v : s.window()) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("inconsistent DSPOT state: a window value is " + v);
            }
        }
        DSpot d = new DSpot(Spot.restore(s.spot()), s.window().clone());
        d.next = s.next();
        d.sum = s.sum();
        d.sinceResum = s.sinceResum();
        return d;
    }

    @Override
    public String toString() {
        return "DSpot[depth " + window.length + ", mean " + localMean() + ", " + spot + "]";
    }
}
