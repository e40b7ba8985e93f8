package io.github.ae4j.conv.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Array comparisons shared by the conv layer tests. */
final class ConvAsserts {

    private ConvAsserts() {
    }

    /** Same length, and no entry further from {@code want} than {@code tol} times want's largest magnitude. */
    static void assertClose(INDArray want, INDArray got, double tol, String what) {
        assertClose(want, got, tol, 1e-6, what);
    }

    /**
     * As {@link #assertClose(INDArray, INDArray, double, String)}, with want's largest magnitude taken as at least
     * {@code minScale}: for a gradient that is zero up to rounding (a convolution's bias before batch normalisation),
     * whose rounding noise is judged against the other gradients' scale.
     */
    static void assertClose(INDArray want, INDArray got, double tol, double minScale, String what) {
        assertEquals(want.length(), got.length(), what + ": length");
        double scale = Math.max(minScale, want.castTo(DataType.DOUBLE).amaxNumber().doubleValue());
        double diff = want.castTo(DataType.DOUBLE).reshape(want.length())
                .sub(got.castTo(DataType.DOUBLE).reshape(got.length())).amaxNumber().doubleValue();
        assertTrue(diff <= tol * scale, what + ": max difference " + diff + " (scale " + scale + ")");
    }

    /**
     * Exact central differences of a loss that is linear in every entry (a step of +-0.5 gives the derivative
     * without truncation error): for each pair {@code {values, gradient}}, every entry of {@code values} is moved
     * both ways and {@code loss(+) - loss(-)} must equal the gradient's entry within 1e-4 (relative above 1).
     *
     * @param pairs the arrays the loss reads (changed and restored in place) with their computed gradients
     * @param loss  the loss at the arrays' current values
     */
    static void assertCentralDifferences(INDArray[][] pairs, java.util.function.DoubleSupplier loss) {
        for (INDArray[] v : pairs) {
            INDArray flat = v[0].reshape(v[0].length());
            for (long i = 0; i < flat.length(); i++) {
                float saved = flat.getFloat(i);
                flat.putScalar(i, saved + 0.5f);
                double up = loss.getAsDouble();
                flat.putScalar(i, saved - 0.5f);
                double down = loss.getAsDouble();
                flat.putScalar(i, saved);
                double analytic = v[1].reshape(v[1].length()).getDouble(i);
                assertTrue(Math.abs(up - down - analytic) <= 1e-4 * Math.max(1, Math.abs(analytic)),
                        "entry " + i + ": numerical " + (up - down) + ", backward " + analytic);
            }
        }
    }
}
