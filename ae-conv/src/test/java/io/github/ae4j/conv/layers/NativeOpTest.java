package io.github.ae4j.conv.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link NativeOp}'s reused context keeps nothing between calls. libnd4j's list of native array handles is not
 * visible from Java; what is checked is the purge that empties it, through the context's Java-side arrays (emptied
 * by the same call), and that a purged context still runs the op with its integer arguments, call after call.
 */
class NativeOpTest {

    @Test
    void givenReusedContext_whenOpRunsRepeatedly_thenNoArrayIsHeldAndResultsRepeat() {
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 6, 6, 3);
        INDArray w = Nd4j.rand(DataType.FLOAT, 3, 3, 3, 4);
        INDArray b = Nd4j.rand(DataType.FLOAT, 4);
        NativeOp conv = new NativeOp("conv2d", 3, 3, 1, 1, 0, 0, 1, 1, 1, 1, 0);
        float[] first = null;
        for (int i = 0; i < 3; i++) {
            INDArray z = Nd4j.create(DataType.FLOAT, 2, 6, 6, 4);
            conv.exec(new INDArray[] {x, w, b}, z);
            assertFalse(conv.holdsArrays(), "call " + i + ": the context still refers to the call's arrays");
            if (first == null) {
                first = z.data().asFloat();
            } else {
                assertArrayEquals(first, z.data().asFloat(), "call " + i);
            }
        }
    }
}
