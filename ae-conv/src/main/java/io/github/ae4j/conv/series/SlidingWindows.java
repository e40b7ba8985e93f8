package io.github.ae4j.conv.series;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Sliding windows over a (multivariate) time series of {@code seriesLength} points with
 * {@code channels} values each, and the way back from per-window results to per-point ones.
 *
 * <p>Windows of {@code length} points start at 0, {@code stride}, {@code 2 stride}, ...; when the
 * last of these does not end at the last point (the series length minus the window length is not a
 * multiple of the stride), one more window, ending exactly at the last point, is added. So every
 * point, the first and the last included, is covered by at least one window.
 *
 * <p>A window is one row of {@code length * channels} values, time-major: point 0's channels, then
 * point 1's, ... (the HWC order of an image of height 1, width {@code length} and {@code channels}
 * channels, which is how {@link SeriesAutoencoder} sees it).
 *
 * @param seriesLength points in the series, at least {@code length}
 * @param length       points per window, at least 1
 * @param stride       points between window starts, at least 1
 * @param channels     values per point, at least 1
 */
public record SlidingWindows(int seriesLength, int length, int stride, int channels) {

    /** Validates the record. */
    public SlidingWindows {
        if (length < 1) {
            throw new IllegalArgumentException("window length must be >= 1, got " + length);
        }
        if (stride < 1) {
            throw new IllegalArgumentException("stride must be >= 1, got " + stride);
        }
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be >= 1, got " + channels);
        }
        if (seriesLength < length) {
            throw new IllegalArgumentException("the series has " + seriesLength + " points, fewer than one window of "
                    + length);
        }
        if ((long) length * channels > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("windows of " + length + " x " + channels + " values are too large");
        }
    }

    /**
     * Windows over a series held as {@code [points][channels]}.
     *
     * @param series the series
     * @param length points per window
     * @param stride points between window starts
     * @return the windows
     */
    public static SlidingWindows over(double[][] series, int length, int stride) {
        Objects.requireNonNull(series, "series");
        if (series.length == 0 || series[0] == null) {
            throw new IllegalArgumentException("the series is empty");
        }
        return new SlidingWindows(series.length, length, stride, series[0].length);
    }

    /** @return the start of every window, ascending */
    public int[] starts() {
        int regular = (seriesLength - length) / stride + 1;
        boolean extra = (seriesLength - length) % stride != 0;
        int[] s = new int[regular + (extra ? 1 : 0)];
        for (int i = 0; i < regular; i++) {
            s[i] = i * stride;
        }
        if (extra) {
            s[regular] = seriesLength - length;
        }
        return s;
    }

    /** @return the number of windows */
    public int count() {
        return starts().length;
    }

    /** @return values per window row, {@code length * channels} */
    public int rowSize() {
        return length * channels;
    }

    /**
     * Cuts the windows out of a series.
     *
     * @param series {@code [seriesLength][channels]}
     * @return rows, shape [count(), length * channels], float, time-major
     * @throws IllegalArgumentException when the series does not have this shape or holds NaN/infinite values
     */
    public INDArray extract(double[][] series) {
        Objects.requireNonNull(series, "series");
        if (series.length != seriesLength) {
            throw new IllegalArgumentException("expected a series of " + seriesLength + " points, got " + series.length);
        }
        for (int t = 0; t < series.length; t++) {
            if (series[t] == null || series[t].length != channels) {
                throw new IllegalArgumentException("expected " + channels + " channels at point " + t + ", got "
                        + (series[t] == null ? 0 : series[t].length));
            }
            for (int c = 0; c < channels; c++) {
                if (!Double.isFinite(series[t][c])) {
                    throw new IllegalArgumentException("point " + t + ", channel " + c + " is " + series[t][c]
                            + ": expected a finite value");
                }
            }
        }
        int[] s = starts();
        float[] out = new float[Math.multiplyExact(s.length, rowSize())];
        for (int w = 0; w < s.length; w++) {
            int o = w * rowSize();
            for (int t = 0; t < length; t++) {
                for (int c = 0; c < channels; c++) {
                    out[o++] = (float) series[s[w] + t][c];
                }
            }
        }
        return Nd4j.create(out, new long[] {s.length, rowSize()}, 'c');
    }

    /**
     * Cuts the windows out of a series held as an array.
     *
     * @param series shape [seriesLength, channels] (or [seriesLength] for one channel)
     * @return rows, shape [count(), length * channels]
     */
    public INDArray extract(INDArray series) {
        Objects.requireNonNull(series, "series");
        INDArray s = series.rank() == 1 ? series.reshape(series.length(), 1) : series;
        if (s.rank() != 2) {
            throw new IllegalArgumentException("expected a series of shape [points, channels], got "
                    + Arrays.toString(series.shape()));
        }
        return extract(s.castTo(DataType.DOUBLE).toDoubleMatrix());
    }

    /**
     * Maps per-window, per-step values (e.g. reconstruction errors) back to every point of the series.
     *
     * @param perStep values, shape [count(), length] (one per window and step), or
     *                [count(), length * channels] (averaged over channels first)
     * @param policy  how the windows covering a point are combined
     * @return one value per point, length {@link #seriesLength()}
     */
    public double[] toPoints(INDArray perStep, WindowPolicy policy) {
        Objects.requireNonNull(perStep, "perStep");
        Objects.requireNonNull(policy, "policy");
        int[] s = starts();
        INDArray p = perStep;
        if (p.length() == (long) s.length * rowSize() && channels > 1) {
            p = p.reshape('c', s.length, length, channels).mean(2);
        }
        if (p.length() != (long) s.length * length) {
            throw new IllegalArgumentException("expected " + s.length + " windows x " + length + " steps, got shape "
                    + Arrays.toString(perStep.shape()));
        }
        return toPoints(p.castTo(DataType.DOUBLE).reshape('c', s.length, length).toDoubleMatrix(), policy);
    }

    /**
     * Maps per-window, per-step values back to every point of the series.
     *
     * @param perStep {@code [count()][length]}
     * @param policy  how the windows covering a point are combined
     * @return one value per point
     */
    public double[] toPoints(double[][] perStep, WindowPolicy policy) {
        Objects.requireNonNull(perStep, "perStep");
        Objects.requireNonNull(policy, "policy");
        int[] s = starts();
        if (perStep.length != s.length) {
            throw new IllegalArgumentException("expected values for " + s.length + " windows, got " + perStep.length);
        }
        double[] acc = new double[seriesLength];
        int[] n = new int[seriesLength];
        if (policy == WindowPolicy.MAX) {
            Arrays.fill(acc, Double.NEGATIVE_INFINITY);
        }
        for (int w = 0; w < s.length; w++) {
            if (perStep[w].length != length) {
                throw new IllegalArgumentException("expected " + length + " steps in window " + w + ", got "
                        + perStep[w].length);
            }
            for (int k = 0; k < length; k++) {
                int t = s[w] + k;
                double v = perStep[w][k];
                acc[t] = policy == WindowPolicy.MAX ? Math.max(acc[t], v) : acc[t] + v;
                n[t]++;
            }
        }
        for (int t = 0; t < seriesLength; t++) {
            if (n[t] == 0) {
                throw new IllegalStateException("point " + t + " is covered by no window");
            }
            if (policy == WindowPolicy.MEAN) {
                acc[t] /= n[t];
            }
        }
        return acc;
    }
}
