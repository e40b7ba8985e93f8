package io.github.ae4j.core.internal;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Conversions and checks between Java arrays and ND4J arrays, with clear errors. */
public final class Arrays2 {

    private Arrays2() {
    }

    /**
     * Copies Java rows into a float matrix, checking that every row has {@code width} finite values.
     *
     * @param rows  the rows
     * @param width the expected number of values per row
     * @param what  what the rows are, for error messages
     * @return a [rows, width] float array
     * @throws IllegalArgumentException naming the row (and column) at fault
     */
    public static INDArray toMatrix(double[][] rows, int width, String what) {
        if (rows == null || rows.length == 0) {
            throw new IllegalArgumentException(what + " is empty: expected at least one row of " + width + " values");
        }
        float[] flat = new float[Math.multiplyExact(rows.length, width)];
        for (int r = 0; r < rows.length; r++) {
            double[] row = rows[r];
            if (row == null || row.length != width) {
                throw new IllegalArgumentException("expected " + width + " values per row, got "
                        + (row == null ? "null" : String.valueOf(row.length)) + " at row " + r + " of " + what);
            }
            for (int c = 0; c < width; c++) {
                double v = row[c];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException(what + " has a non-finite value (" + v + ") at row " + r
                            + ", column " + c);
                }
                flat[r * width + c] = (float) v;
            }
        }
        return Nd4j.create(flat, new long[] {rows.length, width}, 'c');
    }

    /**
     * Throws if a matrix holds NaN or infinite values, naming the first one's row and column.
     *
     * @param x    a [rows, cols] array
     * @param what what it is, for the message
     */
    public static void requireFinite(INDArray x, String what) {
        double s = x.sumNumber().doubleValue();
        if (Double.isFinite(s)) {
            return;
        }
        INDArray bad = x.isInfinite().castTo(DataType.INT32).addi(x.isNaN().castTo(DataType.INT32));
        if (bad.sumNumber().longValue() == 0) {
            return; // the sum overflowed, the values are finite
        }
        long cols = x.size(1);
        int[] flags = bad.dup('c').data().asInt();
        for (int i = 0; i < flags.length; i++) {
            if (flags[i] != 0) {
                long r = i / cols;
                long c = i % cols;
                throw new IllegalArgumentException(what + " has a non-finite value (" + x.getDouble(r, c)
                        + ") at row " + r + ", column " + c);
            }
        }
    }

    /**
     * A random permutation of {@code 0 .. n-1} (Fisher-Yates), reproducible for a seeded generator.
     *
     * @param n   the size
     * @param rnd the generator
     * @return the permutation
     */
    public static int[] permutation(int n, java.util.Random rnd) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
