package io.github.ae4j.core.internal;

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
    void givenFloatArguments_whenTheContextIsPurgedBetweenCalls_thenTheyStaySet() {
        INDArray x = Nd4j.createFromArray(new float[] {-1f, 0.25f, 0.75f, 2f});
        INDArray plain = Nd4j.create(DataType.FLOAT, 4);
        NativeOp.of("relu", new long[0], 0.0).exec(new INDArray[] {x}, plain);
        NativeOp relu = NativeOp.of("relu", new long[0], 0.5);
        float[] first = null;
        for (int i = 0; i < 3; i++) {
            INDArray z = Nd4j.create(DataType.FLOAT, 4);
            relu.exec(new INDArray[] {x}, z);
            assertFalse(relu.holdsArrays());
            if (first == null) {
                first = z.toFloatVector();
                // the cutoff 0.5 takes effect (its output is not the plain ReLU's)
                assertFalse(java.util.Arrays.equals(first, plain.toFloatVector()));
            } else {
                assertArrayEquals(first, z.toFloatVector(), "call " + i + ": the float argument was lost");
            }
        }
    }

    @Test
    void givenReusedContext_whenOpRunsRepeatedly_thenNoArrayIsHeldAndResultsRepeat() {
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 6, 6, 3);
        INDArray w = Nd4j.rand(DataType.FLOAT, 3, 3, 3, 4);
        INDArray b = Nd4j.rand(DataType.FLOAT, 4);
        NativeOp conv = NativeOp.of("conv2d", 3, 3, 1, 1, 0, 0, 1, 1, 1, 1, 0);
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
