package io.github.ae4j.examples;

import io.github.ae4j.anomaly.metrics.Metrics;
import io.github.ae4j.conv.series.LstmSeriesAutoencoder;
import io.github.ae4j.conv.series.SlidingWindows;
import io.github.ae4j.conv.series.WindowScores;
import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.AutoencoderSpec;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.TrainingListener;
import java.awt.Color;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Example 7: an LSTM encoder-decoder autoencoder (Malhotra et al. 2016) on a real multivariate
 * series: R's EuStockMarkets (DAX, SMI, CAC, FTSE, 1,860 trading days, bundled) with anomalies
 * planted by {@code data/series/plant.py} (seed 1: spikes, level shifts, one index going flat, one
 * out of phase). The model sees daily log returns in windows of 16 days, trains on days 1..749,
 * takes its threshold (99th percentile) from the untouched days 750..929 and scores the rest; each
 * day's score is the mean error of the windows covering it. Prints AUROC and event recall next to a
 * rolling z-score baseline and writes {@code eustockmarkets.png}: the four indices (log, rebased)
 * with the planted days marked, and the scores with the threshold.
 *
 * <pre>java -cp ae-examples/target/ae-examples-0.1.0-SNAPSHOT.jar io.github.ae4j.examples.LstmSeriesExample [--out DIR] [--smoke]</pre>
 */
public final class LstmSeriesExample {

    static final int WINDOW = 16;
    static final int CAL_START = 750;
    static final int TEST_START = 930;
    static final String[] NAMES = {"DAX", "SMI", "CAC", "FTSE"};

    private static final Color[] SERIES_COLOURS = {Plots.PALETTE[0], Plots.PALETTE[2], Plots.PALETTE[3],
        new Color(0x7f7f7f)};

    private LstmSeriesExample() {
    }

    /**
     * What the example measured on days 930..1859.
     *
     * @param auroc         per-day AUROC of the LSTM scores
     * @param baselineAuroc per-day AUROC of the rolling z-score
     * @param eventRecall   planted events with a day at or above the threshold
     * @param threshold     the threshold
     */
    public record Result(double auroc, double baselineAuroc, double eventRecall, double threshold) {
    }

    /**
     * Runs the example.
     *
     * @param args {@code [--out DIR] [--smoke]}
     * @throws IOException when the data cannot be read or the plot written
     */
    public static void main(String[] args) throws IOException {
        ExampleArgs a = ExampleArgs.parse(args, "lstm-series");
        run(a.out(), a.smoke(), System.out, ExampleArgs.progress());
    }

    /**
     * Loads, trains, scores, plots, reports.
     *
     * @param out       the folder for the plot
     * @param smoke     fewer epochs
     * @param report    where the report goes
     * @param listeners training progress listeners
     * @return the measurements
     * @throws IOException when the data cannot be read or the plot written
     */
    public static Result run(Path out, boolean smoke, PrintStream report, TrainingListener... listeners)
            throws IOException {
        Files.createDirectories(out);
        List<double[]> rows = new ArrayList<>();
        List<int[]> marks = new ArrayList<>();
        try (InputStream in = LstmSeriesExample.class.getResourceAsStream("/data/series/eustockmarkets-planted-seed1.csv")) {
            if (in == null) {
                throw new IOException("bundled data/series/eustockmarkets-planted-seed1.csv is not on the class path");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            r.readLine();
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.split(",");
                rows.add(new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                    Double.parseDouble(f[4])});
                marks.add(new int[] {Integer.parseInt(f[5]), Integer.parseInt(f[6])});
            }
        }
        int n = rows.size();
        double[][] logp = new double[n][4];
        double[][] ret = new double[n][4];
        int[] label = new int[n];
        int[] event = new int[n];
        for (int t = 0; t < n; t++) {
            for (int c = 0; c < 4; c++) {
                logp[t][c] = Math.log(rows.get(t)[c]);
                ret[t][c] = t == 0 ? 0 : logp[t][c] - logp[t - 1][c];
            }
            label[t] = marks.get(t)[0];
            event[t] = marks.get(t)[1];
        }
        ret[0] = ret[1].clone();
        int[] eventChannel = new int[Arrays.stream(event).max().orElse(0) + 1];
        try (InputStream in = LstmSeriesExample.class.getResourceAsStream("/data/series/eustockmarkets-planted-events.csv")) {
            if (in == null) {
                throw new IOException("bundled data/series/eustockmarkets-planted-events.csv is not on the class path");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            r.readLine();
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.split(",");
                if (f[0].equals("1")) {
                    eventChannel[Integer.parseInt(f[1])] = Arrays.asList(NAMES).indexOf(f[3]);
                }
            }
        }

        double[][] train = Arrays.copyOfRange(ret, 1, CAL_START);
        SlidingWindows tw = SlidingWindows.over(train, WINDOW, 1);
        AutoencoderSpec spec = LstmSeriesAutoencoder.builder(WINDOW, 4).hidden(32).latent(12).build();
        long t0 = System.nanoTime();
        Autoencoder m = Autoencoder.fit(spec, tw.extract(train),
                TrainingConfig.defaults().withEpochs(smoke ? 2 : 12).withBatchSize(32).withSeed(7), listeners);
        double secs = (System.nanoTime() - t0) / 1e9;
        double[] scores = WindowScores.pointScores(m, ret, SlidingWindows.over(ret, WINDOW, 1));
        double[] cal = Arrays.copyOfRange(scores, CAL_START, TEST_START);
        Arrays.sort(cal);
        double threshold = cal[(int) Math.ceil(0.99 * (cal.length - 1))];
        double[] z = rollingZ(ret, 30);
        double[] testScores = Arrays.copyOfRange(scores, TEST_START, n);
        int[] testLabels = Arrays.copyOfRange(label, TEST_START, n);
        int events = Arrays.stream(event).max().orElse(0);
        int hit = 0;
        for (int k = 1; k <= events; k++) {
            for (int t = 0; t < n; t++) {
                if (event[t] == k && scores[t] >= threshold) {
                    hit++;
                    break;
                }
            }
        }
        Result res = new Result(Metrics.auroc(testScores, testLabels),
                Metrics.auroc(Arrays.copyOfRange(z, TEST_START, n), testLabels), events == 0 ? 0 : (double) hit / events,
                threshold);
        report.printf("EuStockMarkets (R datasets), planted seed 1: %s, trained on days 1..%d (%d windows, %.1f s)%n",
                spec.name(), CAL_START - 1, tw.count(), secs);
        report.printf("days %d..%d: LSTM AUROC %.3f, rolling z-score AUROC %.3f; threshold %.4g (99th percentile of"
                + " days %d..%d): %d of %d planted events found%n", TEST_START, n - 1, res.auroc(), res.baselineAuroc(),
                threshold, CAL_START, TEST_START - 1, hit, events);
        Path png = out.resolve("eustockmarkets.png");
        plot(png, logp, event, eventChannel, scores, threshold, n);
        report.println("plot written to " + png.toAbsolutePath());
        return res;
    }

    static double[] rollingZ(double[][] s, int w) {
        double[] out = new double[s.length];
        for (int t = 2; t < s.length; t++) {
            int lo = Math.max(0, t - w);
            for (int c = 0; c < s[t].length; c++) {
                double mean = 0;
                for (int i = lo; i < t; i++) {
                    mean += s[i][c];
                }
                mean /= t - lo;
                double v = 0;
                for (int i = lo; i < t; i++) {
                    v += (s[i][c] - mean) * (s[i][c] - mean);
                }
                out[t] = Math.max(out[t], Math.abs(s[t][c] - mean) / (Math.sqrt(v / (t - lo - 1)) + 1e-12));
            }
        }
        return out;
    }

    private static void plot(Path png, double[][] logp, int[] event, int[] eventChannel, double[] scores,
                             double threshold, int n)
            throws IOException {
        int len = n - TEST_START;
        double[] t = new double[len];
        XYChart top = chart("EuStockMarkets, days " + TEST_START + ".." + (n - 1)
                + ": log price rebased to day " + TEST_START + " (offset per index); red: planted anomalies (on the index changed)", "log price");
        List<double[]> mx = new ArrayList<>();
        List<double[]> my = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            double[] y = new double[len];
            for (int i = 0; i < len; i++) {
                t[i] = TEST_START + i;
                y[i] = logp[TEST_START + i][c] - logp[TEST_START][c] + 0.5 * c;
                int e = event[TEST_START + i];
                if (e > 0 && eventChannel[e] == c) {
                    mx.add(new double[] {t[i]});
                    my.add(new double[] {y[i]});
                }
            }
            Plots.line(top, NAMES[c], t, y, SERIES_COLOURS[c]);
        }
        if (!mx.isEmpty()) {
            XYSeries s = top.addSeries("planted", mx.stream().mapToDouble(v -> v[0]).toArray(),
                    my.stream().mapToDouble(v -> v[0]).toArray());
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(Plots.PALETTE[1]);
        }
        XYChart bottom = chart("LSTM autoencoder score per day (mean window error, log scale) and threshold", "score");
        bottom.getStyler().setYAxisLogarithmic(true);
        Plots.line(bottom, "score", t, Arrays.stream(Arrays.copyOfRange(scores, TEST_START, n)).map(v -> Math.max(v, 1e-6))
                .toArray(), Plots.PALETTE[4]);
        double[] th = new double[len];
        Arrays.fill(th, Math.max(threshold, 1e-6));
        Plots.line(bottom, "threshold", t, th, Plots.PALETTE[1]);
        Plots.saveStacked(png, top, bottom);
    }

    private static XYChart chart(String title, String y) {
        return Plots.wideChart(title, "day", y, 400, 5);
    }
}
