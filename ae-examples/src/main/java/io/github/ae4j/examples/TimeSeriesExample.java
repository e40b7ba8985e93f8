package io.github.ae4j.examples;

import io.github.ae4j.anomaly.metrics.Confusion;
import io.github.ae4j.anomaly.metrics.Metrics;
import io.github.ae4j.anomaly.threshold.Threshold;
import io.github.ae4j.anomaly.threshold.Thresholds;
import io.github.ae4j.conv.series.SeriesAutoencoder;
import io.github.ae4j.conv.series.SlidingWindows;
import io.github.ae4j.conv.series.WindowPolicy;
import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.AutoencoderSpec;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.TrainingListener;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Example 6: anomaly detection in a multivariate time series with a 1-D convolutional autoencoder
 * over sliding windows. The series (two channels, a mixture of sines plus noise) is synthetic, so
 * that the injected anomalies are known: spikes (one point) and level shifts (20-50 points). The
 * model trains on a clean first stretch, the threshold is the 99.9th percentile of the point scores
 * on a second clean stretch, and the third stretch, with the anomalies, is scored: every point gets
 * the mean per-step reconstruction error of the windows covering it ({@link WindowPolicy#MEAN};
 * {@link WindowPolicy#MAX} is reported too). Writes {@code series.png} (the series with the true
 * anomalies marked, the point scores on a log scale and the threshold) and prints AUROC, precision,
 * recall and F1 next to a rolling-median baseline.
 *
 * <pre>java -cp ae-examples/target/ae-examples-0.1.0-SNAPSHOT.jar io.github.ae4j.examples.TimeSeriesExample [--out DIR] [--smoke]</pre>
 */
public final class TimeSeriesExample {

    /** Points per window. */
    public static final int WINDOW = 64;

    private TimeSeriesExample() {
    }

    /**
     * What the example measured.
     *
     * @param auroc         AUROC of the point scores (mean policy) on the test stretch
     * @param aurocMax      AUROC of the point scores with the max policy
     * @param baselineAuroc AUROC of |x - rolling median| on the same points
     * @param precision     precision at the threshold
     * @param recall        recall at the threshold
     * @param f1            F1 at the threshold
     * @param threshold     the threshold
     * @param points        test points
     * @param anomalies     injected anomalous points among them
     */
    public record Result(double auroc, double aurocMax, double baselineAuroc, double precision, double recall, double f1,
                         double threshold, int points, int anomalies) {
    }

    /**
     * Runs the example.
     *
     * @param args {@code [--out DIR] [--smoke]}
     * @throws IOException when the plot cannot be written
     */
    public static void main(String[] args) throws IOException {
        ExampleArgs a = ExampleArgs.parse(args, "time-series");
        run(a.out(), a.smoke(), System.out, ExampleArgs.progress());
    }

    /**
     * Generates the series, trains, calibrates, scores, plots and prints a report.
     *
     * @param out       the folder for the plot
     * @param smoke     tiny and fast
     * @param report    where the report goes
     * @param listeners training progress listeners
     * @return the measurements
     * @throws IOException when the plot cannot be written
     */
    public static Result run(Path out, boolean smoke, PrintStream report, TrainingListener... listeners)
            throws IOException {
        Files.createDirectories(out);
        int nTrain = smoke ? 1200 : 4000;
        int nCal = smoke ? 600 : 2000;
        int nTest = smoke ? 800 : 2000;
        Random noise = new Random(11);
        double[][] train = sineMixture(nTrain, 0, noise);
        double[][] cal = sineMixture(nCal, nTrain, noise);
        double[][] test = sineMixture(nTest, nTrain + nCal, noise);
        boolean[][] hit = new boolean[nTest][2];
        int[] labels = inject(test, hit, new Random(5), smoke ? 4 : 12, smoke ? 2 : 4);

        SlidingWindows tw = SlidingWindows.over(train, WINDOW, smoke ? 8 : 4);
        AutoencoderSpec spec = SeriesAutoencoder.builder(WINDOW, 2).build();
        TrainingConfig tc = TrainingConfig.defaults().withEpochs(smoke ? 2 : 12).withBatchSize(32).withPatience(4);
        long t0 = System.nanoTime();
        Autoencoder m = Autoencoder.fit(spec, tw.extract(train), tc, listeners);
        double secs = (System.nanoTime() - t0) / 1e9;

        SlidingWindows cw = SlidingWindows.over(cal, WINDOW, 4);
        SlidingWindows sw = SlidingWindows.over(test, WINDOW, 4);
        Threshold th = Thresholds.parse("percentile:99.9").fit(SeriesAutoencoder.pointScores(m, cal, cw, WindowPolicy.MEAN));
        double[] scores = SeriesAutoencoder.pointScores(m, test, sw, WindowPolicy.MEAN);
        double[] maxScores = SeriesAutoencoder.pointScores(m, test, sw, WindowPolicy.MAX);
        double[] baseline = rollingMedian(test, train);
        Confusion c = Metrics.confusion(scores, labels, th.value());
        Result r = new Result(Metrics.auroc(scores, labels), Metrics.auroc(maxScores, labels),
                Metrics.auroc(baseline, labels), c.precision(), c.recall(), c.f1(), th.value(), test.length,
                Arrays.stream(labels).sum());

        report.printf("time series: 2 channels; trained on %d points (%d windows of %d, %.1f s, %s)%n", nTrain,
                tw.count(), WINDOW, secs, spec.name());
        report.printf("threshold %.4f = %s of %d clean calibration points%n", th.value(), th.spec(), nCal);
        report.printf("test: %d points, %d injected anomalous (spikes and level shifts)%n", r.points(), r.anomalies());
        report.printf("autoencoder (per-point mean window error): AUROC %.3f  precision %.3f  recall %.3f  F1 %.3f%n",
                r.auroc(), r.precision(), r.recall(), r.f1());
        report.printf("autoencoder (per-point max window error): AUROC %.3f%n", r.aurocMax());
        report.printf("|x - rolling median| baseline: AUROC %.3f%n", r.baselineAuroc());
        plot(out.resolve("series.png"), test, hit, scores, th.value());
        report.println("plot written to " + out.resolve("series.png").toAbsolutePath());
        return r;
    }

    /** Two channels: sines of periods 50 and 13 (and 50 and 7.3), Gaussian noise 0.05. */
    static double[][] sineMixture(int n, int offset, Random r) {
        double[][] s = new double[n][2];
        for (int i = 0; i < n; i++) {
            int t = i + offset;
            s[i][0] = Math.sin(2 * Math.PI * t / 50.0) + 0.5 * Math.sin(2 * Math.PI * t / 13.0 + 0.7)
                    + 0.05 * r.nextGaussian();
            s[i][1] = 0.8 * Math.cos(2 * Math.PI * t / 50.0) + 0.4 * Math.sin(2 * Math.PI * t / 7.3)
                    + 0.05 * r.nextGaussian();
        }
        return s;
    }

    /**
     * Adds spikes (1.5 to 2.5) and level shifts (0.6 to 1.0 for 20-50 points) to random channels.
     *
     * @return the 0/1 label of every point; {@code hit[t][c]} marks the changed values
     */
    static int[] inject(double[][] s, boolean[][] hit, Random a, int spikes, int shifts) {
        int[] labels = new int[s.length];
        for (int k = 0; k < spikes; k++) {
            int t = 20 + a.nextInt(s.length - 40);
            int c = a.nextInt(2);
            s[t][c] += (a.nextBoolean() ? 1 : -1) * (1.5 + a.nextDouble());
            labels[t] = 1;
            hit[t][c] = true;
        }
        for (int k = 0; k < shifts; k++) {
            int t0 = 100 + a.nextInt(s.length - 200);
            int len = 20 + a.nextInt(30);
            int c = a.nextInt(2);
            double shift = (a.nextBoolean() ? 1 : -1) * (0.6 + 0.4 * a.nextDouble());
            for (int t = t0; t < Math.min(s.length, t0 + len); t++) {
                s[t][c] += shift;
                labels[t] = 1;
                hit[t][c] = true;
            }
        }
        return labels;
    }

    /** |x - median of the 11 points around it| in training standard deviations, max over channels. */
    static double[] rollingMedian(double[][] s, double[][] reference) {
        double[] out = new double[s.length];
        for (int c = 0; c < s[0].length; c++) {
            final int ch = c;
            double mu = Arrays.stream(reference).mapToDouble(x -> x[ch]).average().orElseThrow();
            double sd = Math.sqrt(Arrays.stream(reference).mapToDouble(x -> (x[ch] - mu) * (x[ch] - mu)).average()
                    .orElseThrow());
            for (int t = 0; t < s.length; t++) {
                double[] w = new double[Math.min(s.length, t + 6) - Math.max(0, t - 5)];
                for (int i = 0; i < w.length; i++) {
                    w[i] = s[Math.max(0, t - 5) + i][c];
                }
                Arrays.sort(w);
                out[t] = Math.max(out[t], Math.abs(s[t][c] - w[w.length / 2]) / sd);
            }
        }
        return out;
    }

    /** Two stacked charts in one PNG: the channels with the true anomalies, the scores with the threshold. */
    private static void plot(Path png, double[][] s, boolean[][] hit, double[] scores, double threshold)
            throws IOException {
        double[] t = new double[s.length];
        double[][] ch = new double[2][s.length];
        for (int i = 0; i < s.length; i++) {
            t[i] = i;
            ch[0][i] = s[i][0];
            ch[1][i] = s[i][1] + 3;       // offset so the channels do not overlap
        }
        XYChart top = chart("Test series (channel 2 offset by +3); red: injected anomalies", "value");
        Plots.line(top, "channel 1", t, ch[0], Plots.PALETTE[0]);
        Plots.line(top, "channel 2", t, ch[1], Plots.PALETTE[2]);
        double[][] marks = marks(t, ch, hit);
        if (marks[0].length > 0) {
            XYSeries m = top.addSeries("anomalous points", marks[0], marks[1]);
            m.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            m.setMarker(SeriesMarkers.CIRCLE);
            m.setMarkerColor(Plots.PALETTE[1]);
        }
        XYChart bottom = chart("Anomaly score per point (mean window reconstruction error, log scale) and threshold",
                "score");
        bottom.getStyler().setYAxisLogarithmic(true);
        Plots.line(bottom, "score", t, Arrays.stream(scores).map(v -> Math.max(v, 1e-6)).toArray(), Plots.PALETTE[4]);
        double[] th = new double[t.length];
        Arrays.fill(th, Math.max(threshold, 1e-6));
        Plots.line(bottom, "threshold", t, th, Plots.PALETTE[1]);
        Plots.saveStacked(png, top, bottom);
    }

    private static XYChart chart(String title, String y) {
        return Plots.wideChart(title, "time", y, 380, 6);
    }

    private static double[][] marks(double[] t, double[][] ch, boolean[][] hit) {
        int n = 0;
        for (boolean[] h : hit) {
            n += (h[0] ? 1 : 0) + (h[1] ? 1 : 0);
        }
        double[][] m = new double[2][n];
        int k = 0;
        for (int i = 0; i < hit.length; i++) {
            for (int c = 0; c < 2; c++) {
                if (hit[i][c]) {
                    m[0][k] = t[i];
                    m[1][k++] = ch[c][i];
                }
            }
        }
        return m;
    }
}
