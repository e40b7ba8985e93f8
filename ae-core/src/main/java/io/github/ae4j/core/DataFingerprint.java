package io.github.ae4j.core;

import java.io.Serializable;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A fingerprint of a set of training rows, recorded in a model's {@link Provenance}: the number of rows
 * and a 64-bit sum of per-row hashes of the values as floats (the precision training uses). It does not
 * depend on the order of the rows, so rows read by one machine and the same rows spread over Spark
 * partitions give the same fingerprint; it is a check that two models saw the same data, not a
 * cryptographic digest. Mutable; not thread-safe.
 */
public final class DataFingerprint implements Serializable {

    private static final long serialVersionUID = 1L;
    /** Rows converted to Java arrays at a time when fingerprinting an {@link INDArray}. */
    private static final int CHUNK = 8192;

    private long rows;
    private long sum;

    /** An empty fingerprint (no rows). */
    public DataFingerprint() {
    }

    /**
     * Adds one row.
     *
     * @param row the values
     * @return this
     */
    public DataFingerprint add(float[] row) {
        Objects.requireNonNull(row, "row");
        return add(row, 0, row.length);
    }

    private DataFingerprint add(float[] values, int from, int width) {
        long h = 0xCBF29CE484222325L ^ width;
        for (int j = 0; j < width; j++) {
            h = (h ^ (Float.floatToIntBits(values[from + j]) & 0xFFFFFFFFL)) * 0x100000001B3L;
        }
        sum += mix(h);
        rows++;
        return this;
    }

    /**
     * Adds every row of a matrix (any numeric type, taken as floats).
     *
     * @param x rows, shape [rows, width]
     * @return this
     */
    public DataFingerprint add(INDArray x) {
        Objects.requireNonNull(x, "x");
        INDArray m = x.rank() == 1 ? x.reshape(1, x.length()) : x.reshape(x.size(0), x.length() / Math.max(1, x.size(0)));
        long n = m.size(0);
        int width = (int) m.size(1);
        for (long from = 0; from < n; from += CHUNK) {
            long to = Math.min(n, from + CHUNK);
            INDArray part = m.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
            float[] v = part.castTo(DataType.FLOAT).dup('c').data().asFloat();
            for (int i = 0; i < to - from; i++) {
                add(v, i * width, width);
            }
        }
        return this;
    }

    /**
     * Adds the rows of another fingerprint (of a disjoint set of rows).
     *
     * @param other the other fingerprint
     * @return this
     */
    public DataFingerprint merge(DataFingerprint other) {
        rows += other.rows;
        sum += other.sum;
        return this;
    }

    /** @return the number of rows added */
    public long rows() {
        return rows;
    }

    /** @return the fingerprint as text: {@code rows:<n>:<16 hex digits>} */
    public String value() {
        return "rows:" + rows + ":" + String.format("%016x", sum);
    }

    @Override
    public String toString() {
        return value();
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
