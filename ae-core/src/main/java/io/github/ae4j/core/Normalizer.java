package io.github.ae4j.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fitted feature scaling: {@code z = (x - offset) / scale}, per feature. Immutable; stored in
 * saved models as JSON.
 *
 * <p>Constant features (zero spread in the training data) get scale 1 instead of a division by
 * zero; they are logged once when fitted. Use {@link #fit(Normalization, int)} to accumulate
 * statistics over data that does not fit in memory.
 */
public final class Normalizer {

    private static final Logger LOG = LoggerFactory.getLogger(Normalizer.class);

    private final Normalization type;
    private final double[] offset;
    private final double[] scale;
    private final INDArray offsetRow;
    private final INDArray scaleRow;

    /**
     * Creates a normalizer from fitted values.
     *
     * @param type   the kind of scaling
     * @param offset value subtracted from each feature
     * @param scale  value each feature is divided by (non-zero, finite)
     */
    @JsonCreator
    public Normalizer(@JsonProperty("type") Normalization type,
                      @JsonProperty("offset") double[] offset,
                      @JsonProperty("scale") double[] scale) {
        this.type = Objects.requireNonNull(type, "type");
        this.offset = Objects.requireNonNull(offset, "offset").clone();
        this.scale = Objects.requireNonNull(scale, "scale").clone();
        if (offset.length != scale.length) {
            throw new IllegalArgumentException("normalizer has " + offset.length + " offsets but "
                    + scale.length + " scales");
        }
        for (int i = 0; i < scale.length; i++) {
            if (!(Double.isFinite(scale[i]) && scale[i] != 0.0) || !Double.isFinite(offset[i])) {
                throw new IllegalArgumentException("normalizer feature " + i + " has offset " + offset[i]
                        + " and scale " + scale[i] + ": expected finite values and a non-zero scale");
            }
        }
        this.offsetRow = Nd4j.createFromArray(toFloat(offset)).reshape(1, offset.length);
        this.scaleRow = Nd4j.createFromArray(toFloat(scale)).reshape(1, scale.length);
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /**
     * The identity normalizer for {@code features} features.
     *
     * @param features the width
     * @return the normalizer
     */
    public static Normalizer none(int features) {
        double[] o = new double[features];
        double[] s = new double[features];
        Arrays.fill(s, 1.0);
        return new Normalizer(Normalization.NONE, o, s);
    }

    /**
     * Fits a normalizer on rows held in memory.
     *
     * @param type the kind of scaling
     * @param x    training rows, shape [rows, features]
     * @return the fitted normalizer
     */
    public static Normalizer fit(Normalization type, INDArray x) {
        Fitter f = fit(type, (int) x.size(1));
        f.accept(x);
        return f.result();
    }

    /**
     * Starts fitting a normalizer on data that arrives in blocks.
     *
     * @param type     the kind of scaling
     * @param features the width
     * @return a fitter; call {@link Fitter#accept} per block, then {@link Fitter#result()}
     */
    public static Fitter fit(Normalization type, int features) {
        return new Fitter(type, features);
    }

    /**
     * The normaliser given per-feature statistics (e.g. merged from partitions of a distributed
     * data set). Constant features (spread at most 1e-12) are centred, not scaled, and logged.
     *
     * @param type the kind of scaling
     * @param n    rows seen
     * @param mean per-feature means
     * @param m2   per-feature sums of squared deviations from the mean (Welford's M2)
     * @param min  per-feature minima
     * @param max  per-feature maxima
     * @return the normaliser
     * @throws IllegalStateException when no rows were seen (except for {@link Normalization#NONE})
     */
    public static Normalizer fromStatistics(Normalization type, long n, double[] mean, double[] m2, double[] min,
                                            double[] max) {
        Objects.requireNonNull(type, "type");
        int features = mean.length;
        if (m2.length != features || min.length != features || max.length != features) {
            throw new IllegalArgumentException("statistics of different lengths");
        }
        if (n == 0 && type != Normalization.NONE) {
            throw new IllegalStateException("cannot fit a " + type.id() + " normalizer on zero rows");
        }
        double[] off = new double[features];
        double[] sc = new double[features];
        Arrays.fill(sc, 1.0);
        int constant = 0;
        switch (type) {
            case NONE:
                break;
            case STANDARD:
                for (int j = 0; j < features; j++) {
                    off[j] = mean[j];
                    double sd = n > 1 ? Math.sqrt(m2[j] / (n - 1)) : 0.0;
                    if (sd > 1e-12 && Double.isFinite(sd)) {
                        sc[j] = sd;
                    } else {
                        constant++;
                    }
                }
                break;
            case MINMAX:
                for (int j = 0; j < features; j++) {
                    off[j] = min[j];
                    double range = max[j] - min[j];
                    if (range > 1e-12 && Double.isFinite(range)) {
                        sc[j] = range;
                    } else {
                        constant++;
                    }
                }
                break;
            case SCALE:
                double m = 0;
                for (int j = 0; j < features; j++) {
                    m = Math.max(m, Math.max(Math.abs(min[j]), Math.abs(max[j])));
                }
                Arrays.fill(sc, m > 1e-12 && Double.isFinite(m) ? m : 1.0);
                break;
            default:
                throw new AssertionError(type);
        }
        if (constant > 0) {
            LOG.info("{} of {} features are constant in the training data: they are centred, not scaled",
                    constant, features);
        }
        return new Normalizer(type, off, sc);
    }

    /** @return the kind of scaling */
    @JsonProperty("type")
    public Normalization type() {
        return type;
    }

    /** @return a copy of the per-feature offsets */
    @JsonProperty("offset")
    public double[] offset() {
        return offset.clone();
    }

    /** @return a copy of the per-feature scales */
    @JsonProperty("scale")
    public double[] scale() {
        return scale.clone();
    }

    /** @return the number of features */
    public int features() {
        return offset.length;
    }

    /**
     * Applies the scaling.
     *
     * @param x rows, shape [rows, features]
     * @return a new array, {@code (x - offset) / scale}, float
     */
    public INDArray transform(INDArray x) {
        INDArray f = x.dataType() == DataType.FLOAT ? x.dup('c') : x.castTo(DataType.FLOAT).dup('c');
        if (type == Normalization.NONE) {
            return f;
        }
        return f.subiRowVector(offsetRow).diviRowVector(scaleRow);
    }

    /**
     * {@link #transform(INDArray)} of one row in Java, in the same float arithmetic.
     *
     * @param row the raw row (not modified)
     * @return the scaled row: {@code row} itself without normalisation, else a new array
     */
    float[] transformRow(float[] row) {
        if (type == Normalization.NONE) {
            return row;
        }
        float[] out = new float[row.length];
        for (int j = 0; j < row.length; j++) {
            out[j] = (row[j] - (float) offset[j]) / (float) scale[j];
        }
        return out;
    }

    /**
     * Inverts the scaling.
     *
     * @param z scaled rows, shape [rows, features]
     * @return a new array, {@code z * scale + offset}
     */
    public INDArray inverse(INDArray z) {
        INDArray f = z.dataType() == DataType.FLOAT ? z.dup() : z.castTo(DataType.FLOAT);
        if (type == Normalization.NONE) {
            return f;
        }
        return f.muliRowVector(scaleRow).addiRowVector(offsetRow);
    }

    /**
     * Scales one value of one feature, in Java.
     *
     * @param feature the feature index
     * @param value   the raw value
     * @return the scaled value
     */
    public double transform(int feature, double value) {
        return (value - offset[feature]) / scale[feature];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalizer n && n.type == type && Arrays.equals(n.offset, offset)
                && Arrays.equals(n.scale, scale);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, Arrays.hashCode(offset), Arrays.hashCode(scale));
    }

    @Override
    public String toString() {
        return "Normalizer[" + type.id() + ", " + offset.length + " features]";
    }

    /**
     * Accumulates per-feature statistics (count, mean, variance by Welford's method, min, max) over
     * blocks of rows.
     */
    public static final class Fitter {
        private final Normalization type;
        private final FeatureStatistics stats;

        Fitter(Normalization type, int features) {
            this.type = Objects.requireNonNull(type, "type");
            this.stats = new FeatureStatistics(features);
        }

        /**
         * Adds a block of rows.
         *
         * @param x rows, shape [rows, features]
         */
        public void accept(INDArray x) {
            if (x.rank() != 2 || x.size(1) != stats.features()) {
                throw new IllegalArgumentException("expected rows of " + stats.features() + " features, got shape "
                        + Arrays.toString(x.shape()));
            }
            int rows = (int) x.size(0);
            float[] data = x.castTo(DataType.FLOAT).dup('c').data().asFloat();
            accept(data, rows);
        }

        /**
         * Adds a block of rows stored row-major in a float array.
         *
         * @param data rows * features values, row-major
         * @param rows the number of rows in the block
         */
        public void accept(float[] data, int rows) {
            stats.add(data, rows);
        }

        /** @return the number of rows seen */
        public long count() {
            return stats.count();
        }

        /**
         * The fitted normalizer.
         *
         * @return the normalizer
         * @throws IllegalStateException when no rows were seen
         */
        public Normalizer result() {
            return stats.normalizer(type);
        }
    }
}
