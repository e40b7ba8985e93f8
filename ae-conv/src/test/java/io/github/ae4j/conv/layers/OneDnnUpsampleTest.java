package io.github.ae4j.conv.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * {@link OneDnnUpsample}: oneDNN's nearest resampling equals libnd4j's {@code upsampling2d} and {@code upsampling2d_bp}
 * exactly (copies and sums of the same values), for square and uneven factors, one and several channels, and
 * alternating batch sizes; and it is built only where it applies.
 */
@Tag("onednn")   // oneDNN's bindings and natives of the CPU backend (excluded under -Pcuda)
class OneDnnUpsampleTest {

    @ParameterizedTest(name = "{0}x{1}x{2} by {3}x{4}")
    @CsvSource({"7,7,8,2,2", "14,14,8,2,2", "4,6,1,3,2", "5,3,3,1,2", "1,1,2,2,3"})
    void givenUpsamplings_whenRunBothWays_thenEqualToLibnd4jsOps(int h, int w, int c, int fh, int fw) {
        OneDnnUpsample p = OneDnnUpsample.of(h, w, c, fh, fw, DataType.FLOAT);
        assertNotNull(p, "built on the CPU backend with oneDNN's bindings");
        NativeOp up = NativeOp.of("upsampling2d", fh, fw, 0);
        NativeOp upBp = NativeOp.of("upsampling2d_bp", 0);
        Nd4j.getRandom().setSeed(h * 100 + w);
        for (int n : new int[] {5, 1, 5, 3}) {
            INDArray x = Nd4j.rand(DataType.FLOAT, n, h, w, c).subi(0.5);
            INDArray want = Nd4j.create(DataType.FLOAT, n, (long) h * fh, (long) w * fw, c);
            up.exec(new INDArray[] {x}, want);
            INDArray got = Nd4j.create(DataType.FLOAT, n, (long) h * fh, (long) w * fw, c);
            assertTrue(p.forward(x, got, true));
            assertEquals(want, got, "forward, batch " + n);
            INDArray dz = Nd4j.rand(DataType.FLOAT, n, (long) h * fh, (long) w * fw, c).subi(0.5);
            INDArray wantDx = Nd4j.create(DataType.FLOAT, n, h, w, c);
            upBp.exec(new INDArray[] {x, dz}, wantDx);
            INDArray gotDx = Nd4j.create(DataType.FLOAT, n, h, w, c);
            assertTrue(p.backward(dz, gotDx));
            ConvAsserts.assertClose(wantDx, gotDx, 1e-6, "backward, batch " + n);
        }
    }

    @Test
    void givenAStridedView_whenUpsampling_thenTheValuesNotTheMemoryLayoutCount() {
        OneDnnUpsample p = OneDnnUpsample.of(3, 4, 2, 2, 2, DataType.FLOAT);
        INDArray big = Nd4j.rand(DataType.FLOAT, 4, 3, 4, 2);
        INDArray view = big.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 3),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all());
        INDArray got = Nd4j.create(DataType.FLOAT, 2, 6, 8, 2);
        assertTrue(p.forward(view, got, false));
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 8; j++) {
                assertEquals(view.getFloat(1, i / 2, j / 2, 1), got.getFloat(1, i, j, 1), 0f, i + "," + j);
            }
        }
    }

    @Test
    void givenNoUpsamplingOrDoubles_whenAsked_thenNoPath() {
        assertNull(OneDnnUpsample.of(4, 4, 2, 1, 1, DataType.FLOAT), "factor 1: nothing to do");
        assertNull(OneDnnUpsample.of(4, 4, 2, 2, 2, DataType.DOUBLE), "double networks keep libnd4j's ops");
    }
}
