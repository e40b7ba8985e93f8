package io.github.ae4j.core.internal;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One libnd4j custom op ({@code conv2d}, {@code matmul}, {@code maxpool2d_bp}, ...) with fixed integer and
 * floating-point arguments, run through an op context that is created once and reused: about 10 us per call
 * instead of ~30 us for an op built per call. The caller supplies every input and output array, so nothing is
 * allocated here. Not thread-safe: each runtime layer (one per graph replica) owns its own instances. Used by the
 * native dense layers of ae-core and the native conv layers of ae-conv.
 *
 * <p>The context is purged after every call. In libnd4j (M2.1) each {@code setInputArrays} /
 * {@code setOutputArrays} creates one native {@code NDArray} per array and appends it to the context's
 * handle list, which is emptied only by a purge or when the context itself is freed; that list shares
 * ownership of the arrays' buffers. Without the purge a reused context grows by a few native objects per
 * call for as long as its layer lives (measured: ~3 KB of resident memory per single-row call of the
 * conv autoencoder, not returned by a GC) and keeps the buffers of detached arrays it was given alive.
 * The arguments survive a purge.
 */
public final class NativeOp {

    private final DynamicCustomOp op;
    private final long[] intArgs;
    private final double[] floatArgs;
    private OpContext context;

    private NativeOp(String name, long[] intArgs, double[] floatArgs) {
        this.op = DynamicCustomOp.builder(name).build();
        this.intArgs = intArgs.clone();
        this.floatArgs = floatArgs.clone();
    }

    /**
     * An op with integer arguments only.
     *
     * @param name    libnd4j's op name
     * @param intArgs its integer arguments
     * @return the op
     */
    public static NativeOp of(String name, long... intArgs) {
        return new NativeOp(name, intArgs, new double[0]);
    }

    /**
     * An op with integer and floating-point arguments.
     *
     * @param name      libnd4j's op name
     * @param intArgs   its integer arguments
     * @param floatArgs its floating-point arguments
     * @return the op
     */
    public static NativeOp of(String name, long[] intArgs, double... floatArgs) {
        return new NativeOp(name, intArgs, floatArgs);
    }

    /**
     * Runs the op. Neither this object nor its native context keeps a reference to the arrays
     * after it returns.
     *
     * @param inputs  its inputs, in the op's order
     * @param outputs its outputs, allocated by the caller with the right shapes
     */
    public void exec(INDArray[] inputs, INDArray... outputs) {
        if (context == null) {
            context = Nd4j.getExecutioner().buildContext();
            if (intArgs.length > 0) {
                context.setIArguments(intArgs);
            }
            if (floatArgs.length > 0) {
                context.setTArguments(floatArgs);
            }
        }
        context.setInputArrays(inputs);
        context.setOutputArrays(outputs);
        try {
            Nd4j.exec(op, context);
        } finally {
            // frees the native NDArray handles of this call (not the arrays' buffers, which the caller owns)
            context.purge();
        }
    }

    /** @return whether the op context still refers to arrays of an earlier call (for tests) */
    public boolean holdsArrays() {
        return context != null && (!context.getInputArrays().isEmpty() || !context.getOutputArrays().isEmpty());
    }

    /** @return the op's name */
    public String name() {
        return op.opName();
    }
}
