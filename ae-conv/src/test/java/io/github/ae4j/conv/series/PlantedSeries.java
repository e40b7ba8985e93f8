package io.github.ae4j.conv.series;

import io.github.ae4j.core.testing.TestData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The bundled EuStockMarkets series with planted anomalies ({@code data/series/plant.py}): prices,
 * per-row labels and event numbers, and the daily log returns the window models see.
 *
 * @param prices {@code [1860][4]}
 * @param label  1 = a planted row
 * @param event  0 or the planted event's number
 */
record PlantedSeries(double[][] prices, int[] label, int[] event) {

    /** Rows before this one are unplanted (training and calibration). */
    static final int TEST_START = 930;

    static PlantedSeries load(int seed) {
        List<double[]> p = new ArrayList<>();
        List<int[]> le = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                TestData.resource("series/eustockmarkets-planted-seed" + seed + ".csv"), StandardCharsets.UTF_8))) {
            String line = r.readLine();
            if (!line.startsWith("time,DAX,SMI,CAC,FTSE,label,event")) {
                throw new IllegalStateException("unexpected header " + line);
            }
            while ((line = r.readLine()) != null) {
                String[] f = line.split(",");
                p.add(new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                    Double.parseDouble(f[4])});
                le.add(new int[] {Integer.parseInt(f[5]), Integer.parseInt(f[6])});
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new PlantedSeries(p.toArray(new double[0][]), le.stream().mapToInt(a -> a[0]).toArray(),
                le.stream().mapToInt(a -> a[1]).toArray());
    }

    /** @return the kind (spike, level, flat, phase) of each planted event of a seed, by event number */
    static java.util.Map<Integer, String> kinds(int seed) {
        java.util.Map<Integer, String> m = new java.util.TreeMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                TestData.resource("series/eustockmarkets-planted-events.csv"), StandardCharsets.UTF_8))) {
            r.readLine();
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.split(",");
                if (Integer.parseInt(f[0]) == seed) {
                    m.put(Integer.parseInt(f[1]), f[2]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    /** @return log returns; row t (t >= 1) is log p[t] - log p[t-1]; row 0 is a copy of row 1 */
    double[][] returns() {
        double[][] r = new double[prices.length][prices[0].length];
        for (int t = 1; t < prices.length; t++) {
            for (int c = 0; c < r[t].length; c++) {
                r[t][c] = Math.log(prices[t][c]) - Math.log(prices[t - 1][c]);
            }
        }
        r[0] = r[1].clone();
        return r;
    }

    /**
     * Log returns divided, per index, by their standard deviation over the {@code w} days before
     * (a causal volatility scaling: 1991-1998 holds calm and turbulent years, and a model trained on
     * the calm ones would otherwise flag every turbulent day). The first {@code w} rows use the first
     * {@code w} days' deviation.
     *
     * @param w the trailing window
     * @return the scaled returns
     */
    double[][] scaledReturns(int w) {
        double[][] r = returns();
        double[][] out = new double[r.length][r[0].length];
        for (int c = 0; c < r[0].length; c++) {
            for (int t = 0; t < r.length; t++) {
                int lo = t < w ? 0 : t - w;
                int hi = t < w ? w : t;
                double m = 0;
                for (int i = lo; i < hi; i++) {
                    m += r[i][c];
                }
                m /= hi - lo;
                double v = 0;
                for (int i = lo; i < hi; i++) {
                    v += (r[i][c] - m) * (r[i][c] - m);
                }
                out[t][c] = r[t][c] / (Math.sqrt(v / (hi - lo - 1)) + 1e-12);
            }
        }
        return out;
    }

    /** @return rows [from, to) of a matrix */
    static double[][] rows(double[][] m, int from, int to) {
        return Arrays.copyOfRange(m, from, to);
    }

    /** @return values [from, to) */
    static double[] part(double[] v, int from, int to) {
        return Arrays.copyOfRange(v, from, to);
    }

    /** @return ints [from, to) */
    static int[] part(int[] v, int from, int to) {
        return Arrays.copyOfRange(v, from, to);
    }

    /** @see io.github.ae4j.core.testing.SeriesBaselines#rollingZ */
    static double[] rollingZ(double[][] s, int w) {
        return io.github.ae4j.core.testing.SeriesBaselines.rollingZ(s, w);
    }

    /** @see io.github.ae4j.core.testing.SeriesBaselines#rollingMedian */
    static double[] rollingMedian(double[][] s, int w) {
        return io.github.ae4j.core.testing.SeriesBaselines.rollingMedian(s, w);
    }

    /** @return the {@code p}-th percentile (0..100) of values, linear interpolation */
    static double percentile(double[] v, double p) {
        double[] s = v.clone();
        Arrays.sort(s);
        double pos = p / 100 * (s.length - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(s.length - 1, i + 1);
        return s[i] + (pos - i) * (s[j] - s[i]);
    }

    /** @return planted events with at least one row at or above the threshold, over all events */
    double eventRecall(double[] scores, double threshold) {
        int events = Arrays.stream(event).max().orElse(0);
        int hit = 0;
        for (int k = 1; k <= events; k++) {
            for (int t = 0; t < event.length; t++) {
                if (event[t] == k && scores[t] >= threshold) {
                    hit++;
                    break;
                }
            }
        }
        return events == 0 ? 0 : (double) hit / events;
    }
}
