package io.github.ae4j.anomaly.threshold;

import java.util.Objects;

/**
 * Conformal p-values from calibration scores of normal rows: the p-value of a score {@code s} is
 *
 * <pre>p(s) = (1 + #{calibration scores >= s}) / (n + 1)</pre>
 *
 * <p>When calibration and new normal rows are exchangeable (drawn alike, scored by a model trained
 * on neither), {@code P(p(s) <= alpha) <= alpha} for a new normal row, for any alpha: flagging
 * rows with {@code p <= alpha} keeps the false-positive rate at most alpha, and at least
 * {@code alpha - 1/(n + 1)}. (Vovk, Gammerman and Shafer, <i>Algorithmic Learning in a Random
 * World</i>, 2005; Bates et al., <i>Testing for outliers with conformal p-values</i>, Annals of
 * Statistics 2023.)
 *
 * <p>{@link #flag(double, double)} is that rule computed exactly in integers;
 * {@link #thresholdAtFpr(double)} is the equivalent score threshold, the one {@code percentile:P}
 * fits with {@code alpha = 1 - P/100}. Immutable and thread-safe.
 */
public final class Conformal {

    private final double[] sorted;

    private Conformal(double[] sorted) {
        this.sorted = sorted;
    }

    /**
     * Creates the p-value function of calibration scores.
     *
     * @param calibrationScores scores of held-out normal rows, finite, at least one
     * @return the function
     * @throws IllegalArgumentException on empty or non-finite scores
     */
    public static Conformal of(double[] calibrationScores) {
        return new Conformal(Stats.sortedCopy(calibrationScores, "calibration scores", 1));
    }

    /** @return the number of calibration scores */
    public int size() {
        return sorted.length;
    }

    /**
     * How many calibration scores are at or above a score.
     *
     * @param score the score
     * @return {@code #{calibration scores >= score}}
     */
    public int countAtOrAbove(double score) {
        if (Double.isNaN(score)) {
            throw new IllegalArgumentException("score must not be NaN");
        }
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) { // first index with sorted[i] >= score
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < score) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return sorted.length - lo;
    }

    /**
     * The conformal p-value of a score.
     *
     * @param score the score (not NaN)
     * @return {@code (1 + #{calibration >= score}) / (n + 1)}, in {@code [1/(n+1), 1]}
     */
    public double pValue(double score) {
        return (1.0 + countAtOrAbove(score)) / (sorted.length + 1.0);
    }

    /**
     * P-values of many scores.
     *
     * @param scores the scores
     * @return one p-value per score
     */
    public double[] pValues(double[] scores) {
        Objects.requireNonNull(scores, "scores");
        double[] p = new double[scores.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = pValue(scores[i]);
        }
        return p;
    }

    /**
     * The largest number {@code K} with {@code K / (n + 1) <= alpha}: a score is flagged at rate
     * alpha when {@code 1 + #{calibration >= s} <= K}. Computed with a relative tolerance of 1e-12
     * so that e.g. {@code alpha = 1 - 0.9} with 9 scores gives 1, not 0.
     *
     * @param alpha the false-positive rate, in (0, 1)
     * @param n     the number of calibration scores
     * @return K, in [0, n]
     */
    static int maxRank(double alpha, int n) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha (the false-positive rate) must be in (0, 1), got " + alpha);
        }
        return (int) Math.min(n, Math.floor(alpha * (n + 1.0) * (1 + 1e-12)));
    }

    /**
     * Whether a score is flagged at false-positive rate alpha: {@code p(s) <= alpha}, computed
     * exactly as {@code 1 + #{calibration >= s} <= floor(alpha (n + 1))}.
     *
     * @param score the score (not NaN)
     * @param alpha the false-positive rate, in (0, 1)
     * @return true when flagged
     */
    public boolean flag(double score, double alpha) {
        return 1 + countAtOrAbove(score) <= maxRank(alpha, sorted.length);
    }

    /**
     * Flags many scores at false-positive rate alpha.
     *
     * @param scores the scores
     * @param alpha  the false-positive rate, in (0, 1)
     * @return 1 where flagged, else 0
     */
    public int[] flag(double[] scores, double alpha) {
        Objects.requireNonNull(scores, "scores");
        int[] f = new int[scores.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = flag(scores[i], alpha) ? 1 : 0;
        }
        return f;
    }

    /**
     * The score threshold equivalent to {@link #flag(double, double)}: for every score {@code s},
     * {@code s >= thresholdAtFpr(alpha)} exactly when {@code flag(s, alpha)}. It is the smallest
     * double above the {@code (n + 1 - K)}-th smallest calibration score, with
     * {@code K = floor(alpha (n + 1))}.
     *
     * @param alpha the false-positive rate, in (0, 1)
     * @return the threshold, or positive infinity when {@code alpha < 1/(n + 1)} (too few calibration
     *         scores to flag anything at that rate)
     */
    public double thresholdAtFpr(double alpha) {
        int k = maxRank(alpha, sorted.length);
        return k == 0 ? Double.POSITIVE_INFINITY : Math.nextUp(sorted[sorted.length - k]);
    }

    /**
     * The sorted calibration scores.
     *
     * @return a copy, ascending
     */
    public double[] sortedScores() {
        return sorted.clone();
    }
}
