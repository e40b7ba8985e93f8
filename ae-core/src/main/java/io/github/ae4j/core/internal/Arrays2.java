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

    /**
     * Rows {@code order[from..to)} of a matrix copied into {@code into} (or a new array when {@code into} is null, too
     * small, or of another type), as {@code Nd4j.pullRows} does: for a float row-major matrix by bulk copies of whole
     * rows, ~20 us for 128 rows of 784 values where {@code pullRows} took ~400 us on 2 cores (it also allocates a
     * new array per call).
     *
     * @param src   the matrix
     * @param order row numbers
     * @param from  first position in {@code order}
     * @param to    end position (exclusive)
     * @param into  an array to reuse ({@code [capacity, columns]}, float, row-major), or null
     * @return the rows: {@code into} or a view of its first rows when it was used, else a new array
     */
    public static INDArray gatherRows(INDArray src, int[] order, int from, int to, INDArray into) {
        int n = to - from;
        long cols = src.size(1);
        boolean plain = src.dataType() == DataType.FLOAT && src.rank() == 2 && src.ordering() == 'c'
                && src.stride(1) == 1 && src.stride(0) == cols && src.length() < Integer.MAX_VALUE;
        if (!plain || n <= 0) {
            return Nd4j.pullRows(src, 1, java.util.Arrays.copyOfRange(order, from, to));
        }
        INDArray out = into != null && into.dataType() == DataType.FLOAT && into.ordering() == 'c' && into.rank() == 2
                && into.size(1) == cols && into.size(0) >= n && into.stride(0) == cols && into.offset() == 0
                ? into : Nd4j.createUninitialized(DataType.FLOAT, n, cols);
        java.nio.FloatBuffer s = src.data().asNioFloat();
        java.nio.FloatBuffer d = out.data().asNioFloat();
        int c = (int) cols;
        int base = Math.toIntExact(src.offset());
        long rows = src.size(0);
        for (int i = 0; i < n; i++) {
            int r = order[from + i];
            if (r < 0 || r >= rows) {
                throw new IndexOutOfBoundsException("row " + r + " of " + rows);
            }
            d.put(i * c, s, base + r * c, c);
        }
        return out.size(0) == n ? out : out.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n),
                org.nd4j.linalg.indexing.NDArrayIndex.all());
    }
}
