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
        return pointScores(windowErrors(model, windows.extract(series)), windows);
    }

    /**
     * One score per point from one score per window (e.g. a detector's scores of the window rows):
     * the mean, over the windows covering each point, of their scores; the mapping of
     * {@link #pointScores(Autoencoder, double[][], SlidingWindows)}.
     *
     * @param windowScores one score per window of {@code windows}, in window order
     * @param windows      the windowing
     * @return one score per point
     * @throws IllegalArgumentException when there is not one score per window
     */
    public static double[] pointScores(double[] windowScores, SlidingWindows windows) {
        Objects.requireNonNull(windowScores, "windowScores");
        Objects.requireNonNull(windows, "windows");
        double[][] perStep = new double[windowScores.length][windows.length()];
        for (int i = 0; i < windowScores.length; i++) {
            Arrays.fill(perStep[i], windowScores[i]);
        }
        return windows.toPoints(perStep, WindowPolicy.MEAN);
    }
}
