package io.github.ae4j.anomaly.threshold;

import java.util.Objects;

/**
 * Streaming peaks-over-threshold (SPOT, Siffer, Fouque, Termier and Largouet, <i>Anomaly Detection
 * in Streams with Extreme Value Theory</i>, KDD 2017): an anomaly threshold {@code z_q} that a
 * stream of normal scores exceeds with probability about {@code q} (the risk), updated online as
 * the stream goes on.
 *
 * <p>{@link #fit(double[], Config)} runs POT on an initial batch: the initial threshold {@code t}
 * is the {@code level} quantile (0.98 by default), the excesses above it are fitted with a
 * {@link Gpd}, and {@code z_q = t + sigma/gamma ((q n / N_t)^(-gamma) - 1)}. Then every
 * {@link #step(double)}:
 * <ul>
 *   <li>a score {@code >= z_q} is an alarm;</li>
 *   <li>a score above {@code t} is a peak: its excess joins the peaks;</li>
 *   <li>after every {@link Config#refitInterval()} new tail events (peaks and alarms) the GPD and
 *       {@code z_q} are re-fitted (the paper re-fits after each peak; a few peaks in a window of a
 *       thousand move {@code z_q} far less than its statistical error).</li>
 * </ul>
 *
 * <p>Two departures from the paper, both for bounded memory:
 * <ul>
 *   <li>The excesses are kept in a ring buffer of {@link Config#maxPeaks()} (the most recent tail
 *       events); the peak rate {@code N_t / n} is kept as two counters over the whole stream. Memory
 *       is O(maxPeaks) however long the stream, and the tail shape follows slow changes.</li>
 *   <li>An alarm enters the buffer as a right-censored excess: the model learns that a score
 *       exceeded {@code z_q} (at {@code z_q - t}), never by how much, so an extreme anomaly cannot
 *       stretch the tail ({@link Gpd#fitCensored}). The paper leaves alarms out altogether; its peak
 *       sample is then truncated at {@code z_q}, the fitted tail comes out too light and {@code z_q}
 *       too low, and once the window holds only truncated peaks this feeds on itself: measured on
 *       10^6 Gaussian scores at risk 1e-3, a false-alarm rate of 1.06% instead of 0.1%. Censoring is
 *       the unbiased way to use "exceeded, value withheld"; its cost is that a long burst of true
 *       anomalies raises {@code z_q} until normal peaks replace it in the window.</li>
 * </ul>
 *
 * <p>Not thread-safe: one instance per stream. {@link DSpot} adds drift correction.
 */
public final class Spot {

    /**
     * SPOT settings.
     *
     * @param risk          q, the probability of a normal score exceeding the threshold, in
     *                      (0, 1 - level)
     * @param level         the quantile of the initial batch used as the initial threshold t, in
     *                      [0.5, 1)
     * @param maxPeaks      the most excesses kept (memory bound), at least 10
     * @param refitInterval re-fit the GPD after this many new tail events (peaks and alarms), at
     *                      least 1 (1 = after each, as the paper)
     */
    public record Config(double risk, double level, int maxPeaks, int refitInterval) {

        /** Validates the record. */
        public Config {
            if (!(level >= 0.5 && level < 1)) {
                throw new IllegalArgumentException("level must be in [0.5, 1), got " + level);
            }
            if (!(risk > 0 && risk < (1 - level) * (1 - 1e-9))) {
                throw new IllegalArgumentException("risk must be in (0, " + Thresholds.num(1 - level)
                        + ") (below the tail probability of the initial threshold at level " + Thresholds.num(level)
                        + "), got " + risk);
            }
            if (maxPeaks < Pot.MIN_PEAKS) {
                throw new IllegalArgumentException("maxPeaks must be >= " + Pot.MIN_PEAKS + ", got " + maxPeaks);
            }
            if (refitInterval < 1) {
                throw new IllegalArgumentException("refitInterval must be >= 1, got " + refitInterval);
            }
        }

        /**
         * Level 0.98, at most 1,000 peaks, re-fit after every 10 tail events.
         *
         * @param risk q
         * @return the settings
         */
        public static Config of(double risk) {
            return new Config(risk, 0.98, 1000, 10);
        }

        /**
         * A copy with another value.
         *
         * @param v the level
         * @return the copy
         */
        public Config withLevel(double v) {
            return new Config(risk, v, maxPeaks, refitInterval);
        }

        /**
         * A copy with another value.
         *
         * @param v the most peaks kept
         * @return the copy
         */
        public Config withMaxPeaks(int v) {
            return new Config(risk, level, v, refitInterval);
        }

        /**
         * A copy with another value.
         *
         * @param v peaks between re-fits
         * @return the copy
         */
        public Config withRefitInterval(int v) {
            return new Config(risk, level, maxPeaks, v);
        }
    }

    private final Config config;
    private final double t;
    private final double[] peaks;
    private final boolean[] censored;
    private int count;
    private int observedInBuffer;
    private int next;
    private long n;
    private long nt;
    private long steps;
    private long alarms;
    private int sinceFit;
    private Gpd gpd;
    private double z;

    private Spot(Config config, double t, double[] peaks, int count, long n, long nt) {
        this.config = config;
        this.t = t;
        this.peaks = peaks;
        this.censored = new boolean[peaks.length];
        this.count = count;
        this.observedInBuffer = count;
        this.next = (int) (nt % peaks.length); // the oldest excess, overwritten first
        this.n = n;
        this.nt = nt;
        refit();
    }

    /**
     * Starts SPOT on an initial batch of normal scores (the calibration step).
     *
     * @param initial the initial scores, finite; enough for {@value Pot#MIN_PEAKS} peaks above the
     *                level quantile (500 at level 0.98)
     * @param config  the settings
     * @return the streaming detector, ready for {@link #step(double)}
     * @throws IllegalArgumentException on too few or non-finite scores, or scores without a tail
     */
    public static Spot fit(double[] initial, Config config) {
        Objects.requireNonNull(config, "config");
        double[] x = Stats.checked(initial, "initial scores", 1);
        double[] sorted = x.clone();
        java.util.Arrays.sort(sorted);
        if (x.length < Pot.minScores(config.level())) {
            throw new IllegalArgumentException(Pot.tooFew(config.level(), x.length));
        }
        double t = Pot.initialThreshold(sorted, config.level());
        double[] buffer = new double[config.maxPeaks()];
        long nt = 0;
        for (double v : x) { // in stream order; the ring keeps the most recent
            if (v > t) {
                buffer[(int) (nt % buffer.length)] = v - t;
                nt++;
            }
        }
        if (nt < Pot.MIN_PEAKS) {
            throw new IllegalArgumentException("only " + nt + " of " + x.length + " initial scores are above the "
                    + Thresholds.num(100 * config.level()) + "% quantile (too many ties): SPOT needs at least "
                    + Pot.MIN_PEAKS);
        }
        int count = (int) Math.min(nt, buffer.length);
        return new Spot(config, t, buffer, count, x.length, nt);
    }

    /**
     * Starts SPOT with the default settings for a risk ({@link Config#of(double)}).
     *
     * @param initial the initial scores
     * @param risk    q
     * @return the streaming detector
     */
    public static Spot fit(double[] initial, double risk) {
        return fit(initial, Config.of(risk));
    }

    /**
     * Processes the next score of the stream.
     *
     * @param score the score (not NaN)
     * @return true when it is an alarm ({@code score >= threshold()} before the call)
     * @throws IllegalArgumentException when the score is NaN
     */
    public boolean step(double score) {
        if (Double.isNaN(score)) {
            throw new IllegalArgumentException("score must not be NaN (step " + steps + ")");
        }
        steps++;
        n++;
        if (score >= z) {
            alarms++;
            push(Math.max(0, z - t), true);
            return true;
        }
        if (score > t) {
            push(score - t, false);
        }
        return false;
    }

    private void push(double excess, boolean isCensored) {
        if (count == peaks.length && !censored[next]) {
            observedInBuffer--;
        } else if (count < peaks.length) {
            count++;
        }
        peaks[next] = excess;
        censored[next] = isCensored;
        if (!isCensored) {
            observedInBuffer++;
        }
        next = (next + 1) % peaks.length;
        nt++;
        if (++sinceFit >= config.refitInterval() && observedInBuffer >= 2) {
            refit();
        }
    }

    private void refit() {
        gpd = Gpd.fitCensored(peaks, censored, count);
        z = Pot.quantile(t, gpd, config.risk(), n, nt);
        sinceFit = 0;
    }

    /** @return the current alarm threshold z_q (a score at or above it is an alarm) */
    public double threshold() {
        return z;
    }

    /** @return the initial threshold t (scores above it are peaks) */
    public double initialThreshold() {
        return t;
    }

    /** @return the current fit of the excesses */
    public Gpd gpd() {
        return gpd;
    }

    /** @return the number of excesses (observed or censored) held in memory, at most {@link #maxPeaks()} */
    public int peakCount() {
        return count;
    }

    /** @return the capacity of the peak buffer */
    public int maxPeaks() {
        return peaks.length;
    }

    /** @return observations counted in the peak rate (initial batch included) */
    public long observations() {
        return n;
    }

    /** @return tail events (peaks and alarms) over the whole stream, initial batch included */
    public long peaksSeen() {
        return nt;
    }

    /** @return scores passed to {@link #step(double)} */
    public long steps() {
        return steps;
    }

    /** @return alarms raised by {@link #step(double)} */
    public long alarms() {
        return alarms;
    }

    /** @return the settings */
    public Config config() {
        return config;
    }

    /**
     * Everything a running SPOT holds, so that a stream can be stopped and resumed identically
     * ({@link #state()}, {@link #restore(State)}): plain values and arrays, for JSON.
     *
     * @param risk          the settings' risk
     * @param level         the settings' level
     * @param maxPeaks      the settings' peak buffer capacity
     * @param refitInterval the settings' re-fit interval
     * @param t             the initial threshold
     * @param peaks         the excesses held, in buffer order (length = the number held)
     * @param censored      which of them are censored (alarms), same length
     * @param next          the buffer slot written next
     * @param n             observations counted in the peak rate
     * @param nt            tail events counted in the peak rate
     * @param steps         scores processed
     * @param alarms        alarms raised
     * @param sinceFit      tail events since the last re-fit
     * @param gamma         the current GPD shape
     * @param sigma         the current GPD scale
     * @param logLikelihood the current GPD fit's log-likelihood (NaN if unknown)
     * @param z             the current alarm threshold
     */
    public record State(double risk, double level, int maxPeaks, int refitInterval, double t, double[] peaks,
                        boolean[] censored, int next, long n, long nt, long steps, long alarms, int sinceFit,
                        double gamma, double sigma, double logLikelihood, double z) {
    }

    /** @return a copy of this detector's state */
    public State state() {
        return new State(config.risk(), config.level(), config.maxPeaks(), config.refitInterval(), t,
                java.util.Arrays.copyOf(peaks, count), java.util.Arrays.copyOf(censored, count), next, n, nt, steps,
                alarms, sinceFit, gpd.gamma(), gpd.sigma(), gpd.logLikelihood(), z);
    }

    /**
     * A detector continuing exactly from a saved state.
     *
     * @param s the state
     * @return the detector
     * @throws IllegalArgumentException when the state is inconsistent (e.g. edited by hand)
     */
    public static Spot restore(State s) {
        Objects.requireNonNull(s, "state");
        Config c = new Config(s.risk(), s.level(), s.maxPeaks(), s.refitInterval());
        if (s.peaks() == null || s.censored() == null || s.peaks().length != s.censored().length
                || s.peaks().length > c.maxPeaks() || s.next() < 0 || s.next() >= c.maxPeaks()
                || s.n() < 1 || s.nt() < s.peaks().length || s.nt() > s.n() || s.steps() < 0 || s.alarms() < 0
                || s.alarms() > s.steps() || s.sinceFit() < 0 || !Double.isFinite(s.t()) || Double.isNaN(s.z())) {
            throw new IllegalArgumentException("inconsistent SPOT state (counts, buffer or thresholds out of range)");
        }
        for (double v : s.peaks()) {
            if (!(v >= 0) || !Double.isFinite(v)) {
                throw new IllegalArgumentException("inconsistent SPOT state: an excess is " + v);
            }
        }
        return new Spot(c, s);
    }

    private Spot(Config config, State s) {
        this.config = config;
        this.t = s.t();
        this.peaks = java.util.Arrays.copyOf(s.peaks(), config.maxPeaks());
        this.censored = java.util.Arrays.copyOf(s.censored(), config.maxPeaks());
        this.count = s.peaks().length;
        int observed = 0;
        for (int i = 0; i < count; i++) {
            if (!censored[i]) {
                observed++;
            }
        }
        this.observedInBuffer = observed;
        this.next = s.next();
        this.n = s.n();
        this.nt = s.nt();
        this.steps = s.steps();
        this.alarms = s.alarms();
        this.sinceFit = s.sinceFit();
        this.gpd = new Gpd(s.gamma(), s.sigma(), s.logLikelihood());
        this.z = s.z();
    }

    @Override
    public String toString() {
        return "Spot[risk " + config.risk() + ", t " + t + ", z " + z + ", " + gpd + ", peaks " + count + "/"
                + peaks.length + ", steps " + steps + ", alarms " + alarms + "]";
    }
}
