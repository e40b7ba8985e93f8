package io.github.ae4j.core;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * Per-feature count, mean, sum of squared deviations (M2), minimum and maximum of rows: what a
 * {@link Normalizer} is fitted from. Rows are added with Welford's update; statistics of disjoint
 * row sets merge with the pairwise formula of Chan, Golub and LeVeque ("Algorithms for computing
 * the sample variance", 1983), so a distributed pass (e.g. Spark's {@code treeAggregate}) gives the
 * single-machine fit up to floating-point summation order. Values are accumulated as given (float),
 * in double precision. Mutable; not thread-safe.
 */
public final class FeatureStatistics implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int features;
    private long n;
    private final double[] mean;
    private final double[] m2;
    private final double[] min;
    private final double[] max;

    /**
     * Empty statistics.
     *
     * @param features the row width, at least 1
     */
    public FeatureStatistics(int features) {
        if (features < 1) {
            throw new IllegalArgumentException("features must be >= 1, got " + features);
        }
        this.features = features;
        this.mean = new double[features];
        this.m2 = new double[features];
        this.min = new double[features];
        this.max = new double[features];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
    }

    /**
     * Adds one row.
     *
     * @param row the row's values
     * @return this
     * @throws IllegalArgumentException on a row of the wrong width
     */
    public FeatureStatistics add(float[] row) {
        Objects.requireNonNull(row, "row");
        if (row.length != features) {
            throw new IllegalArgumentException("expected rows of " + features + " features, got " + row.length);
        }
        return add(row, 1);
    }

    /**
     * Adds a block of rows stored row-major.
     *
     * @param data {@code rows * features()} values, row-major
     * @param rows the number of rows in the block
     * @return this
     */
    public FeatureStatistics add(float[] data, int rows) {
        for (int r = 0; r < rows; r++) {
            n++;
            int base = r * features;
            for (int j = 0; j < features; j++) {
                double v = data[base + j];
                double d = v - mean[j];
                mean[j] += d / n;
                m2[j] += d * (v - mean[j]);
                if (v < min[j]) {
                    min[j] = v;
                }
                if (v > max[j]) {
                    max[j] = v;
                }
            }
        }
        return this;
    }

    /**
     * Merges the statistics of other rows into these.
     *
     * @param o statistics of other rows, of the same width
     * @return this
     */
    public FeatureStatistics merge(FeatureStatistics o) {
        Objects.requireNonNull(o, "o");
        if (o.features != features) {
            throw new IllegalArgumentException("cannot merge statistics of " + o.features + " features into " + features);
        }
        if (o.n == 0) {
            return this;
        }
        if (n == 0) {
            n = o.n;
            System.arraycopy(o.mean, 0, mean, 0, features);
            System.arraycopy(o.m2, 0, m2, 0, features);
            System.arraycopy(o.min, 0, min, 0, features);
            System.arraycopy(o.max, 0, max, 0, features);
            return this;
        }
        long total = n + o.n;
        for (int j = 0; j < features; j++) {
            double d = o.mean[j] - mean[j];
            mean[j] += d * o.n / total;
            m2[j] += o.m2[j] + d * d * ((double) n * o.n / total);
            min[j] = Math.min(min[j], o.min[j]);
            max[j] = Math.max(max[j], o.max[j]);
        }
        n = total;
        return this;
    }

    /** @return the number of rows seen */
    public long count() {
        return n;
    }

    /** @return the row width */
    public int features() {
        return features;
    }

    /** @return a copy of the per-feature means */
    public double[] mean() {
        return mean.clone();
    }

    /** @return a copy of the per-feature sample variances (0 with fewer than 2 rows) */
    public double[] variance() {
        double[] v = new double[features];
        for (int j = 0; j < features; j++) {
            v[j] = n > 1 ? m2[j] / (n - 1) : 0.0;
        }
        return v;
    }

    /** @return a copy of the per-feature minima */
    public double[] min() {
        return min.clone();
    }

    /** @return a copy of the per-feature maxima */
    public double[] max() {
        return max.clone();
    }

    /**
     * The normaliser these statistics give ({@link Normalizer#fromStatistics}): constant features
     * (spread at most 1e-12) are centred, not scaled.
     *
     * @param type the kind of scaling
     * @return the normaliser
     * @throws IllegalStateException when no rows were seen (except for {@link Normalization#NONE})
     */
    public Normalizer normalizer(Normalization type) {
        return Normalizer.fromStatistics(type, n, mean, m2, min, max);
    }
}
