package io.github.ae4j.conv.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.internal.NativeOp;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link OneDnnPool}: oneDNN's max pooling with its workspace equals libnd4j's {@code maxpool2d} and
 * {@code maxpool2d_bp} with SAME padding (even and odd sizes, square and uneven pools, one and several channels,
 * alternating batch sizes), and its backward pass runs only after a training forward pass of the same batch size.
 */
@Tag("onednn")   // oneDNN's bindings and natives of the CPU backend (excluded under -Pcuda)
class OneDnnPoolTest {

    @ParameterizedTest(name = "{0}x{1}x{2} pooled {3}x{4}")
    @CsvSource({"28,28,16,2,2", "14,14,8,2,2", "7,7,8,2,2", "5,6,1,3,2", "9,4,3,2,3", "1,1,2,2,2"})
    void givenPoolings_whenRunBothWays_thenEqualToLibnd4jsOps(int h, int w, int c, int ph, int pw) {
        OneDnnPool p = OneDnnPool.of(h, w, c, ph, pw, DataType.FLOAT);
        assertNotNull(p, "built on the CPU backend with oneDNN's bindings");
        long[] args = NativeSupport.poolArgs(ph, pw);
        NativeOp pool = NativeOp.of("maxpool2d", args);
        NativeOp poolBp = NativeOp.of("maxpool2d_bp", args);
        int oh = Shapes.poolOut(h, ph);
        int ow = Shapes.poolOut(w, pw);
        Nd4j.getRandom().setSeed(h * 100 + w);
        for (int n : new int[] {4, 1, 4, 3}) {
            INDArray x = Nd4j.rand(DataType.FLOAT, n, h, w, c).subi(0.5);   // distinct values: no ties
            INDArray want = Nd4j.create(DataType.FLOAT, n, oh, ow, c);
            pool.exec(new INDArray[] {x}, want);
            INDArray inferred = Nd4j.create(DataType.FLOAT, n, oh, ow, c);
            assertTrue(p.forward(x, inferred, false));
            assertEquals(want, inferred, "inference forward, batch " + n);
            INDArray dz = Nd4j.rand(DataType.FLOAT, n, oh, ow, c).subi(0.5);
            INDArray gotDx = Nd4j.create(DataType.FLOAT, n, h, w, c);
            assertFalse(p.backward(dz, gotDx), "no training pass yet: the caller runs maxpool2d_bp");
            INDArray got = Nd4j.create(DataType.FLOAT, n, oh, ow, c);
            assertTrue(p.forward(x, got, true));
            assertEquals(want, got, "training forward, batch " + n);
            INDArray wantDx = Nd4j.create(DataType.FLOAT, n, h, w, c);
            poolBp.exec(new INDArray[] {x, dz}, wantDx);
            assertTrue(p.backward(dz, gotDx));
            assertEquals(wantDx, gotDx, "backward, batch " + n);
            assertFalse(p.backward(dz, gotDx), "one backward pass per training forward pass");
        }
    }

    @Test
    void givenNoPoolingOrDoubles_whenAsked_thenNoPath() {
        assertNull(OneDnnPool.of(4, 4, 2, 1, 1, DataType.FLOAT), "pool 1: nothing to do");
        assertNull(OneDnnPool.of(4, 4, 2, 2, 2, DataType.DOUBLE), "double networks keep libnd4j's ops");
    }
}
