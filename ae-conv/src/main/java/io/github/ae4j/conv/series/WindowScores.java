package io.github.ae4j.conv.series;

import io.github.ae4j.core.Autoencoder;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Window-level scores of a window model ({@link SeriesAutoencoder}, {@link LstmSeriesAutoencoder})
 * and their mapping to points.
 *
 * <p>{@link SeriesAutoencoder#pointScores} maps per-step errors to points: sharp, best for
 * one-point anomalies (spikes). An anomaly that lasts (a sensor stuck, one channel out of step with
 * the others) raises every step's error a little, within the noise of single steps; the mean error
 * of a whole window averages that noise out. {@link #pointScores} gives every point the mean, over
 * the windows covering it, of those windows' mean errors (with stride 1, a moving average of window
 * errors centred on the point).
 */
public final class WindowScores {

    private WindowScores() {
    }

    /**
     * Mean reconstruction error of each window (over its steps and channels).
     *
     * @param model   a window model (input shape {@code [1, length, channels]})
     * @param windows raw window rows, shape [n, length * channels]
     * @return one error per window
     */
    public static double[] windowErrors(Autoencoder model, INDArray windows) {
        INDArray e = SeriesAutoencoder.stepErrors(model, windows);
        return e.mean(1).toDoubleVector();
    }

    /**
     * One score per point: the mean, over the windows covering it, of the windows' mean errors.
     *
     * @param model   a window model trained on windows of {@code windows.length()} points
     * @param series  the series, {@code [points][channels]}
     * @param windows the windowing
     * @return one score per point, higher = more anomalous
     */
    public static double[] pointScores(Autoencoder model, double[][] series, SlidingWindows windows) {
        Objects.requireNonNull(windows, "windows");
        double[] w = windowErrors(model, windows.extract(series));
        double[][] perStep = new double[w.length][windows.length()];
        for (int i = 0; i < w.length; i++) {
            Arrays.fill(perStep[i], w[i]);
        }
        return windows.toPoints(perStep, WindowPolicy.MEAN);
    }
}
