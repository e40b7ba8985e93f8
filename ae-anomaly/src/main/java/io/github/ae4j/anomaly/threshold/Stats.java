package io.github.ae4j.anomaly.threshold;

import java.util.Arrays;
import java.util.Objects;

/** Order statistics and moments of score arrays, with input checks. */
final class Stats {

    private Stats() {
    }

    /**
     * Checks scores and returns a sorted copy (with -0.0 turned into 0.0).
     *
     * @param scores  the scores
     * @param what    what they are, for messages
     * @param minSize the fewest scores accepted
     * @return the sorted copy
     */
    static double[] sortedCopy(double[] scores, String what, int minSize) {
        double[] s = checked(scores, what, minSize);
        Arrays.sort(s);
        return s;
    }

    /**
     * Checks scores: non-null, at least {@code minSize}, all finite.
     *
     * @return a copy (with -0.0 turned into 0.0)
     */
    static double[] checked(double[] scores, String what, int minSize) {
        Objects.requireNonNull(scores, what);
        if (scores.length < minSize) {
            throw new IllegalArgumentException(scores.length == 0
                    ? what + " are empty: expected at least " + minSize + " score" + (minSize == 1 ? "" : "s")
                    : "expected at least " + minSize + " " + what + ", got " + scores.length);
        }
        double[] s = new double[scores.length];
        for (int i = 0; i < s.length; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new IllegalArgumentException(what + " must be finite, got " + scores[i] + " at index " + i);
            }
            s[i] = scores[i] + 0.0;
        }
        return s;
    }

    /**
     * The p-quantile of sorted values with linear interpolation between order statistics
     * (Hyndman and Fan's type 7, the default of R and NumPy).
     *
     * @param sorted ascending values, non-empty
     * @param p      in [0, 1]
     * @return the quantile
     */
    static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        double frac = h - lo;
        return frac == 0 ? sorted[lo] : sorted[lo] + frac * (sorted[hi] - sorted[lo]);
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** Sample standard deviation (n - 1 in the denominator). */
    static double sd(double[] v, double mean) {
        double s = 0;
        for (double x : v) {
            s += (x - mean) * (x - mean);
        }
        return Math.sqrt(s / (v.length - 1));
    }

    /** Median absolute deviation from {@code median} (unscaled). */
    static double mad(double[] v, double median) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = Math.abs(v[i] - median);
        }
        Arrays.sort(d);
        return quantile(d, 0.5);
    }
}
