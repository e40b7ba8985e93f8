package io.github.ae4j.examples.cli;

import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.conv.series.SlidingWindows;
import io.github.ae4j.conv.series.WindowPolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Explanations of a window (time-series) detector's point scores by channel, for {@code ae4j score
 * --explain K} and {@code ae4j serve}. A point's score is the mean score of the windows covering it
 * ({@link SeriesTraining#pointScores}); each window's score is split over its values by the detector's
 * own per-feature shares ({@link AnomalyDetector#contributions}), a channel's part of a window is the sum
 * over the window's time steps of its values' parts, and a channel's part of a point is the mean of its
 * parts of the covering windows. The parts of all channels add up to the point's score times the
 * explained share of the detector's scorer (the whole score for the reconstruction error that window
 * models use).
 */
final class SeriesExplain {

    /** Windows explained per batch (bounds the memory of the per-feature shares). */
    static final int CHUNK = 4096;

    private SeriesExplain() {
    }

    /**
     * Each channel's share of each point's score.
     *
     * @param det    the window detector
     * @param wm     its window layout
     * @param series {@code [steps][channels]}, at least one window
     * @return {@code [steps][channels]}: channel part / point score (0 where the score is 0)
     */
    static double[][] channelShares(AnomalyDetector det, WindowModel wm, double[][] series) {
        int c = wm.channelCount();
        int len = wm.window();
        SlidingWindows w = SlidingWindows.over(series, len, 1);
        INDArray windows = w.extract(series);
        int count = w.count();
        double[] windowScores = det.score(windows);
        // per channel: each window's part, repeated over its steps (what toPoints averages per point)
        double[][][] perStep = new double[c][count][len];
        for (int from = 0; from < count; from += CHUNK) {
            int to = Math.min(count, from + CHUNK);
            double[][] shares = det.contributions(windows.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()));
            for (int i = 0; i < shares.length; i++) {
                for (int ch = 0; ch < c; ch++) {
                    double part = 0;
                    for (int s = 0; s < len; s++) {
                        part += shares[i][s * c + ch];     // a window row is time-major: step s, channel ch
                    }
                    java.util.Arrays.fill(perStep[ch][from + i], part * windowScores[from + i]);
                }
            }
        }
        double[][] out = new double[series.length][c];
        double[] scores = SeriesTraining.pointScores(x -> windowScores, series, len);
        for (int ch = 0; ch < c; ch++) {
            double[] parts = w.toPoints(perStep[ch], WindowPolicy.MEAN);
            for (int t = 0; t < series.length; t++) {
                out[t][ch] = scores[t] > 0 ? parts[t] / scores[t] : 0;
            }
        }
        return out;
    }

    /**
     * The {@code k} channels with the largest shares of each point's score, largest first.
     *
     * @param det    the window detector
     * @param wm     its window layout
     * @param series the series
     * @param k      channels per point, at least 1 (capped at the channel count)
     * @return per point, its top channels
     */
    static List<List<RowWriter.Part>> topChannels(AnomalyDetector det, WindowModel wm, double[][] series, int k) {
        double[][] shares = channelShares(det, wm, series);
        List<List<RowWriter.Part>> out = new ArrayList<>(shares.length);
        int top = Math.min(k, wm.channelCount());
        for (double[] row : shares) {
            List<RowWriter.Part> parts = new ArrayList<>(row.length);
            for (int ch = 0; ch < row.length; ch++) {
                parts.add(new RowWriter.Part(wm.channels().get(ch), row[ch]));
            }
            parts.sort(Comparator.comparingDouble(RowWriter.Part::share).reversed());
            out.add(List.copyOf(parts.subList(0, top)));
        }
        return out;
    }
}
