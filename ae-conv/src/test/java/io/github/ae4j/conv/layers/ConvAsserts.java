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
}
