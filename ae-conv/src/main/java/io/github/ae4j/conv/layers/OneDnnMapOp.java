package io.github.ae4j.conv.layers;

import io.github.ae4j.core.internal.NativeArrays;
import org.bytedeco.dnnl.memory;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An operation from one NHWC map to another with a backward pass ({@link OneDnnPool}), as oneDNN primitives built
 * once per batch size (the last two kept, {@link OneDnnConv.Slots}),
 * running in place on the layer's arrays. Native memory as in {@link OneDnnConv}: the memory objects are created
 * over a placeholder buffer this object keeps alive and every handle is set before each call; inputs that are not
 * row-major and contiguous are copied and kept reachable until the call returns (the handles are bare addresses).
 * One instance per runtime layer, used by one thread at a time.
 */
abstract class OneDnnMapOp {

    /** The input map's size and the window. */
    final OneDnnConv.Window win;
    /** The handle the memory objects are created with (each call sets the real ones). */
    final FloatPointer placeholder = new FloatPointer(1);
    private final OneDnnConv.Slots<Primitives> slots = new OneDnnConv.Slots<>();

    OneDnnMapOp(OneDnnConv.Window win) {
        this.win = win;
    }

    /**
     * @param n images per call
     * @return the (unbuilt) primitives for that many images
     */
    abstract Primitives primitives(int n);

    /**
     * The operation from {@code x} into {@code z}, or false (nothing written) when oneDNN refused the primitives.
     *
     * @param x        the input map [n, h, w, c] (copied when not float, row-major and contiguous)
     * @param z        the output map, row-major and contiguous, written
     * @param training whether a backward pass will follow
     * @return whether the output was computed
     */
    final boolean forward(INDArray x, INDArray z, boolean training) {
        Primitives p = slots.get((int) x.size(0), this::primitives);
        if (p.failed) {
            return false;
        }
        INDArray xc = NativeArrays.contiguous(x);
        p.x.set_data_handle(NativeArrays.pointer(xc), p.stream);
        p.z.set_data_handle(NativeArrays.pointer(z), p.stream);
        p.forward(training);
        p.stream._wait();
        java.lang.ref.Reference.reachabilityFence(xc);
        return true;
    }

    /**
     * The gradient at the input, or false (nothing written) when oneDNN refused the primitives or they cannot run
     * now ({@link Primitives#backwardReady}).
     *
     * @param dz the gradient at the output (copied when not float, row-major and contiguous)
     * @param dx the gradient at the input [n, h, w, c], row-major and contiguous, written
     * @return whether the gradient was computed
     */
    final boolean backward(INDArray dz, INDArray dx) {
        Primitives p = slots.get((int) dz.size(0), this::primitives);
        if (p.failed || !p.backwardReady()) {
            return false;
        }
        INDArray dzc = NativeArrays.contiguous(dz);
        p.dz.set_data_handle(NativeArrays.pointer(dzc), p.stream);
        p.dx.set_data_handle(NativeArrays.pointer(dx), p.stream);
        p.backward();
        p.stream._wait();
        java.lang.ref.Reference.reachabilityFence(dzc);
        return true;
    }

    /** One batch size's primitives and the memory objects over the layer's arrays, which {@code build} creates. */
    abstract static class Primitives extends OneDnnConv.Built {
        memory x;
        memory z;
        memory dz;
        memory dx;

        Primitives(int n) {
            super(n);
        }

        /** Executes the forward primitive on {@code x} and {@code z} (handles set; the caller waits). */
        abstract void forward(boolean training);

        /** Executes the backward primitive on {@code dz} and {@code dx} (handles set; the caller waits). */
        abstract void backward();

        /** @return whether {@link #backward} may run now (true unless the subclass keeps state from the forward pass) */
        boolean backwardReady() {
            return true;
        }
    }
}
