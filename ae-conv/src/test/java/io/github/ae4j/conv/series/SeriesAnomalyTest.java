package io.github.ae4j.conv.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.testing.Ranks;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The 1-D model on a synthetic two-channel sine mixture: trained on a clean stretch, it ranks
 * injected spikes and level shifts in a later stretch above the normal points.
 *
 * <p>Floors: AUROC over all points of at least 0.95, and above the classic |x - rolling median|
 * detector computed in the same test. Random ranking gives 0.5; the rolling median catches the
 * spikes but not the inside of a level shift (the median follows the new level after a few
 * points), which is where most injected points are; a model of the normal waveform sees every
 * shifted point as off its learnt manifold. On spikes alone the floor is 0.95 too, so that the model
 * does not trade spikes for shifts.
 */
class SeriesAnomalyTest {

    static final int WINDOW = 64;
    static double[][] train;
    static double[][] test;
    static int[] labels;
    static int[] spikeLabels;
    static Autoencoder model;

    /** Two channels: sines of periods 50 and 13 (and 50 and 7.3), noise 0.05. */
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

    @BeforeAll
    static void trainOnCleanStretch() {
        Random r = new Random(11);
        train = sineMixture(3000, 0, r);
        test = sineMixture(2000, 3000, r);
        labels = new int[test.length];
        spikeLabels = new int[test.length];
        Random a = new Random(5);
        for (int k = 0; k < 12; k++) {          // spikes of 1.5 to 2.5 on one channel
            int t = 20 + a.nextInt(1960);
            test[t][a.nextInt(2)] += (a.nextBoolean() ? 1 : -1) * (1.5 + a.nextDouble());
            labels[t] = 1;
            spikeLabels[t] = 1;
        }
        for (int k = 0; k < 4; k++) {           // level shifts of 0.6 to 1.0 for 20 to 50 points
            int t0 = 100 + a.nextInt(1800);
            int len = 20 + a.nextInt(30);
            int c = a.nextInt(2);
            double shift = (a.nextBoolean() ? 1 : -1) * (0.6 + 0.4 * a.nextDouble());
            for (int t = t0; t < Math.min(test.length, t0 + len); t++) {
                test[t][c] += shift;
                labels[t] = 1;
            }
        }
        SlidingWindows w = SlidingWindows.over(train, WINDOW, 4);
        model = Autoencoder.fit(SeriesAutoencoder.builder(WINDOW, 2).build(), w.extract(train),
                TrainingConfig.defaults().withEpochs(8).withBatchSize(32).withSeed(3).withPatience(0));
    }

    /** |x - median of the 11 points around it| in training standard deviations, max over channels. */
    static double[] rollingMedianScores(double[][] s, double[][] reference) {
        double[] out = new double[s.length];
        for (int c = 0; c < s[0].length; c++) {
            final int ch = c;
            double mu = Arrays.stream(reference).mapToDouble(x -> x[ch]).average().orElseThrow();
            double sd = Math.sqrt(Arrays.stream(reference).mapToDouble(x -> (x[ch] - mu) * (x[ch] - mu)).average()
                    .orElseThrow());
            for (int t = 0; t < s.length; t++) {
                int lo = Math.max(0, t - 5);
                int hi = Math.min(s.length, t + 6);
                double[] win = new double[hi - lo];
                for (int i = lo; i < hi; i++) {
                    win[i - lo] = s[i][c];
                }
                Arrays.sort(win);
                out[t] = Math.max(out[t], Math.abs(s[t][c] - win[win.length / 2]) / sd);
            }
        }
        return out;
    }

    private static double auroc(double[] scores, int[] positives, int[] exclude) {
        // points labelled in exclude but not in positives are left out (e.g. shifts when scoring spikes)
        int n = 0;
        for (int i = 0; i < scores.length; i++) {
            if (positives[i] == 1 || exclude[i] == 0) {
                n++;
            }
        }
        double[] s = new double[n];
        int[] y = new int[n];
        int j = 0;
        for (int i = 0; i < scores.length; i++) {
            if (positives[i] == 1 || exclude[i] == 0) {
                s[j] = scores[i];
                y[j++] = positives[i];
            }
        }
        return Ranks.auroc(s, y);
    }

    @Test
    void givenSpikesAndLevelShifts_whenScoringPoints_thenInjectedPointsRankAboveNormalAndAboveRollingMedian() {
        SlidingWindows w = SlidingWindows.over(test, WINDOW, 4);
        double[] max = SeriesAutoencoder.pointScores(model, test, w, WindowPolicy.MAX);
        double[] mean = SeriesAutoencoder.pointScores(model, test, w, WindowPolicy.MEAN);
        double[] baseline = rollingMedianScores(test, train);
        double aeMax = Ranks.auroc(max, labels);
        double aeMean = Ranks.auroc(mean, labels);
        double base = Ranks.auroc(baseline, labels);
        double spikesMax = auroc(max, spikeLabels, labels);
        double spikesBase = auroc(baseline, spikeLabels, labels);
        String report = String.format("AUROC all points: AE max %.4f, AE mean %.4f, rolling median %.4f; spikes only:"
                + " AE max %.4f, rolling median %.4f", aeMax, aeMean, base, spikesMax, spikesBase);
        org.slf4j.LoggerFactory.getLogger(SeriesAnomalyTest.class).info(report);
        assertTrue(aeMax >= 0.95 && aeMax > base, report);
        assertTrue(aeMean >= 0.95 && aeMean > base, report);
        assertTrue(spikesMax >= 0.95, report);
    }

    @Test
    void givenSeriesLengthNotAMultipleOfTheStride_whenScoring_thenEveryPointGetsAScoreIncludingBothEnds() {
        double[][] s = Arrays.copyOf(test, 1001);       // (1001 - 64) % 5 != 0
        SlidingWindows w = SlidingWindows.over(s, WINDOW, 5);
        assertTrue((s.length - WINDOW) % 5 != 0);
        INDArray steps = SeriesAutoencoder.stepErrors(model, w.extract(s));
        assertArrayEquals(new long[] {w.count(), WINDOW}, steps.shape());
        double[] p = SeriesAutoencoder.pointScores(model, s, w, WindowPolicy.MAX);
        assertEquals(1001, p.length);
        assertTrue(Arrays.stream(p).allMatch(v -> Double.isFinite(v) && v >= 0));
        // the first point is only in the first window, the last only in the end-aligned extra window
        assertEquals(steps.getDouble(0, 0), p[0], 1e-6);
        assertEquals(steps.getDouble(w.count() - 1, WINDOW - 1), p[1000], 1e-6);
        // MEAN at the ends equals MAX there: one window each
        double[] m = SeriesAutoencoder.pointScores(model, s, w, WindowPolicy.MEAN);
        assertEquals(p[0], m[0], 1e-9);
        assertEquals(p[1000], m[1000], 1e-9);
    }
}
