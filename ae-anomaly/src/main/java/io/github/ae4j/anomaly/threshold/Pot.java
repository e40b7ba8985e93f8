package io.github.ae4j.anomaly.threshold;

/**
 * Peaks over threshold (Siffer et al., KDD 2017, algorithm POT): the initial threshold {@code t} is
 * the {@code level} empirical quantile of the scores; the excesses of the scores above it are
 * fitted with a {@link Gpd}; the threshold for risk {@code q} is
 * {@code z = t + sigma / gamma ((q n / N_t)^(-gamma) - 1)} ({@code t - sigma log(q n / N_t)} when
 * gamma = 0), with {@code n} scores of which {@code N_t} are above {@code t}.
 */
final class Pot {

    /** The fewest peaks a GPD is fitted on. */
    static final int MIN_PEAKS = 10;

    private Pot() {
    }

    /**
     * The initial threshold: the {@code level} quantile of sorted scores.
     *
     * @param sorted ascending scores
     * @param level  the quantile level
     * @return the threshold
     */
    static double initialThreshold(double[] sorted, double level) {
        return Stats.quantile(sorted, level);
    }

    /**
     * The fewest scores for which the peaks above the {@code level} quantile can reach MIN_PEAKS.
     *
     * @param level the quantile level
     * @return the number of scores
     */
    static int minScores(double level) {
        return (int) Math.ceil(MIN_PEAKS / (1 - level) - 1e-9);
    }

    /**
     * The threshold with tail risk q.
     *
     * @param t     the initial threshold
     * @param gpd   the fitted excess distribution
     * @param risk  q
     * @param n     observations
     * @param peaks N_t, observations above t
     * @return z_q
     */
    static double quantile(double t, Gpd gpd, double risk, long n, long peaks) {
        double r = risk * n / peaks;
        if (r >= 1) { // the risk is not in the modelled tail: t itself is exceeded with probability N_t/n < q
            return t;
        }
        return t + gpd.upperQuantile(r);
    }

    static String tooFew(double level, int got) {
        return "POT needs at least " + MIN_PEAKS + " peaks above the " + Thresholds.num(100 * level)
                + "% quantile, that is at least " + minScores(level) + " calibration scores, got " + got;
    }
}
