package io.github.ae4j.core.testing;

import java.util.Arrays;

/**
 * Baselines for per-point anomaly scores of a multivariate series, computed in the tests that
 * assert a window model beats them (ae-conv's series tests, ae-examples' series CLI tests): each
 * point against the {@code w} points before it, the largest over the channels.
 */
public final class SeriesBaselines {

    private SeriesBaselines() {
    }

    /**
     * Rolling z-score of every point against the {@code w} points before it, max over channels.
     *
     * @param s the series
     * @param w the trailing window
     * @return scores
     */
    public static double[] rollingZ(double[][] s, int w) {
        double[] out = new double[s.length];
        for (int t = 0; t < s.length; t++) {
            int lo = Math.max(0, t - w);
            int n = t - lo;
            if (n < 2) {
                continue;
            }
            for (int c = 0; c < s[t].length; c++) {
                double m = 0;
                for (int i = lo; i < t; i++) {
                    m += s[i][c];
                }
                m /= n;
                double v = 0;
                for (int i = lo; i < t; i++) {
                    v += (s[i][c] - m) * (s[i][c] - m);
                }
                double sd = Math.sqrt(v / (n - 1)) + 1e-12;
                out[t] = Math.max(out[t], Math.abs(s[t][c] - m) / sd);
            }
        }
        return out;
    }

    /**
     * |x - rolling median| / (1.4826 rolling MAD) over the {@code w} points before it, max over
     * channels.
     *
     * @param s the series
     * @param w the trailing window
     * @return scores
     */
    public static double[] rollingMedian(double[][] s, int w) {
        double[] out = new double[s.length];
        for (int t = 0; t < s.length; t++) {
            int lo = Math.max(0, t - w);
            int n = t - lo;
            if (n < 3) {
                continue;
            }
            for (int c = 0; c < s[t].length; c++) {
                double[] win = new double[n];
                for (int i = lo; i < t; i++) {
                    win[i - lo] = s[i][c];
                }
                Arrays.sort(win);
                double med = win[n / 2];
                for (int i = 0; i < n; i++) {
                    win[i] = Math.abs(win[i] - med);
                }
                Arrays.sort(win);
                double mad = 1.4826 * win[n / 2] + 1e-12;
                out[t] = Math.max(out[t], Math.abs(s[t][c] - med) / mad);
            }
        }
        return out;
    }
}
