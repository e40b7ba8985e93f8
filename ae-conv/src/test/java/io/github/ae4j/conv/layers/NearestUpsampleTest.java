package io.github.ae4j.conv.layers;

import static io.github.ae4j.conv.layers.ConvAsserts.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.ae4j.core.internal.NativeOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@link NearestUpsample}: equal to libnd4j's {@code upsampling2d} (exactly: copies) and {@code upsampling2d_bp}
 * (sums of the same values, in another order) for square and uneven factors, one and several channels, the
 * shapes where oneDNN's resampling primitive crashed, maps large enough to run in two halves (an odd number of
 * narrow rows), and strided inputs.
 */
class NearestUpsampleTest {

    @ParameterizedTest(name = "{0} x {1}x{2}x{3} by {4}x{5}")
    @CsvSource({"5,7,7,8,2,2", "3,14,14,8,2,2", "4,4,6,1,3,2", "2,5,3,3,1,2", "3,1,1,2,2,3", "1845,1,8,32,1,2",
        "7,1,4,16,1,2", "131,14,14,8,2,2", "129,7,7,8,2,2"})
    void givenUpsamplings_whenRunBothWays_thenEqualToLibnd4jsOps(int n, int h, int w, int c, int fh, int fw) {
        NativeOp up = NativeOp.of("upsampling2d", fh, fw, 0);
        NativeOp upBp = NativeOp.of("upsampling2d_bp", 0);
        Nd4j.getRandom().setSeed(h * 100 + w);
        INDArray x = Nd4j.rand(DataType.FLOAT, n, h, w, c).subi(0.5);
        INDArray want = Nd4j.create(DataType.FLOAT, n, (long) h * fh, (long) w * fw, c);
        up.exec(new INDArray[] {x}, want);
        INDArray got = Nd4j.create(DataType.FLOAT, n, (long) h * fh, (long) w * fw, c);
        NearestUpsample.forward(x, got, fh, fw);
        assertEquals(want, got, "forward");
        INDArray dz = Nd4j.rand(DataType.FLOAT, n, (long) h * fh, (long) w * fw, c).subi(0.5);
        INDArray wantDx = Nd4j.create(DataType.FLOAT, n, h, w, c);
        upBp.exec(new INDArray[] {x, dz}, wantDx);
        INDArray gotDx = Nd4j.create(DataType.FLOAT, n, h, w, c);
        NearestUpsample.backward(dz, gotDx, fh, fw);
        assertClose(wantDx, gotDx, 1e-6, "backward");
    }

    @Test
    void givenStridedViews_whenUpsampling_thenTheValuesNotTheMemoryLayoutCount() {
        INDArray big = Nd4j.rand(DataType.FLOAT, 4, 3, 4, 2);
        INDArray x = big.get(NDArrayIndex.interval(1, 3), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
        INDArray z = Nd4j.create(DataType.FLOAT, 2, 6, 8, 2);
        NearestUpsample.forward(x, z, 2, 2);
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 8; j++) {
                assertEquals(x.getFloat(1, i / 2, j / 2, 1), z.getFloat(1, i, j, 1), 0f, i + "," + j);
            }
        }
        INDArray dzBig = Nd4j.rand(DataType.FLOAT, 2, 6, 8, 4);
        INDArray dz = dzBig.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(1, 3));
        INDArray dx = Nd4j.create(DataType.FLOAT, 2, 3, 4, 2);
        NearestUpsample.backward(dz, dx, 2, 2);
        float block = dz.getFloat(1, 2, 6, 0) + dz.getFloat(1, 2, 7, 0) + dz.getFloat(1, 3, 6, 0) + dz.getFloat(1, 3, 7, 0);
        assertEquals(block, dx.getFloat(1, 1, 3, 0), 1e-6f);
    }

    @Test
    void givenDoubles_whenAsked_thenNotThisPath() {
        assertFalse(NearestUpsample.applies(DataType.DOUBLE), "double networks keep libnd4j's ops");
    }
}
