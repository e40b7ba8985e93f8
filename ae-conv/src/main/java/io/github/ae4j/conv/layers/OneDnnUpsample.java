package io.github.ae4j.conv.layers;

import io.github.ae4j.core.internal.NativeArrays;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.resampling_backward;
import org.bytedeco.dnnl.resampling_forward;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@link NativeConv2D} layer's nearest-neighbour upsampling by whole factors as oneDNN's resampling primitives,
 * created once per batch size, in place on the layer's NHWC arrays (no reorder). libnd4j's {@code upsampling2d} and
 * {@code upsampling2d_bp} took 448 + 283 us (7x7x8 to 14x14, 128 images) and 831 + 897 us (14x14x8 to 28x28) per
 * training step of the reference net; these primitives 93 + 167 and 126 + 326 us, with equal results (scratch probe,
 * session 7). Each output pixel is the input pixel {@code (i / fh, j / fw)}; the gradient sums each block.
 *
 * <p>Native memory as in {@link OneDnnConv}: the primitives and memory objects live in this object per batch size (the
 * last two), the memory objects are created over a placeholder this object keeps, and every handle is set before each
 * call. One instance per runtime layer, used by one thread at a time. Float arrays on a CPU backend whose oneDNN
 * bindings load; otherwise {@link #of} returns null and the layer keeps libnd4j's ops.
 */
final class OneDnnUpsample {

    /** Whether layers use this path where it applies (tests switch it off to compare with libnd4j's ops). */
    static volatile boolean enabled = true;

    private final OneDnnConv.Window win;
    private final FloatPointer placeholder = new FloatPointer(1);
    private final OneDnnConv.Slots<Primitives> slots = new OneDnnConv.Slots<>();

    private OneDnnUpsample(OneDnnConv.Window win) {
        this.win = win;
    }

    /**
     * The path for an upsampling, or null (no upsampling, not a float network, no oneDNN bindings, switched off).
     *
     * @param h  input height
     * @param w  input width
     * @param c  channels
     * @param fh height factor
     * @param fw width factor
     * @param dt the network's data type
     * @return the path, or null
     */
    static OneDnnUpsample of(int h, int w, int c, int fh, int fw, DataType dt) {
        OneDnnConv.Window win = new OneDnnConv.Window(h, w, c, fh, fw);
        return win.direct(enabled, dt) ? new OneDnnUpsample(win) : null;
    }

    /**
     * Upsamples {@code x} into {@code z}, or returns false (nothing written) when oneDNN refused the primitives.
     *
     * @param x [n, h, w, c] (copied when not float, row-major and contiguous)
     * @param z [n, h * fh, w * fw, c], row-major and contiguous, written
     * @return whether the output was computed
     */
    boolean forward(INDArray x, INDArray z) {
        Primitives p = slots.get((int) x.size(0), Primitives::new);
        if (p.failed) {
            return false;
        }
        INDArray xc = NativeArrays.contiguous(x);   // kept reachable until the call returns (bare addresses)
        p.x.set_data_handle(NativeArrays.pointer(xc), p.stream);
        p.z.set_data_handle(NativeArrays.pointer(z), p.stream);
        p.forward.execute(p.stream, p.forwardArgs);
        p.stream._wait();
        java.lang.ref.Reference.reachabilityFence(xc);
        return true;
    }

    /**
     * The gradient at the input: each input pixel's sum over its block of {@code dz}; false (nothing written) when
     * oneDNN refused the primitives.
     *
     * @param dz [n, h * fh, w * fw, c] (copied when not float, row-major and contiguous)
     * @param dx [n, h, w, c], row-major and contiguous, written
     * @return whether the gradient was computed
     */
    boolean backward(INDArray dz, INDArray dx) {
        Primitives p = slots.get((int) dz.size(0), Primitives::new);
        if (p.failed) {
            return false;
        }
        INDArray dzc = NativeArrays.contiguous(dz);
        p.dz.set_data_handle(NativeArrays.pointer(dzc), p.stream);
        p.dx.set_data_handle(NativeArrays.pointer(dx), p.stream);
        p.backward.execute(p.stream, p.backwardArgs);
        p.stream._wait();
        java.lang.ref.Reference.reachabilityFence(dzc);
        return true;
    }

    /** The forward and backward primitives for one batch size, over NHWC memory. */
    private final class Primitives extends OneDnnConv.Built {
        private memory x;
        private memory z;
        private memory dz;
        private memory dx;
        private resampling_forward forward;
        private resampling_backward backward;
        private final IntMemoryMap forwardArgs = new IntMemoryMap();
        private final IntMemoryMap backwardArgs = new IntMemoryMap();

        Primitives(int n) {
            super(n);
        }

        @Override
        void build(engine eng) {
            int h = win.h();
            int w = win.w();
            memory.desc src = new memory.desc(new long[] {n, win.c(), h, w}, memory.data_type.f32,
                    memory.format_tag.nhwc);
            memory.desc dst = new memory.desc(new long[] {n, win.c(), (long) h * win.fh(), (long) w * win.fw()},
                    memory.data_type.f32, memory.format_tag.nhwc);
            resampling_forward.primitive_desc fpd = new resampling_forward.primitive_desc(new resampling_forward.desc(
                    dnnl.prop_kind.forward_training, dnnl.algorithm.resampling_nearest, src, dst), eng);
            resampling_backward.primitive_desc bpd = new resampling_backward.primitive_desc(
                    new resampling_backward.desc(dnnl.algorithm.resampling_nearest, src, dst), eng, fpd);
            forward = new resampling_forward(fpd);
            backward = new resampling_backward(bpd);
            x = new memory(src, eng, placeholder);
            z = new memory(dst, eng, placeholder);
            dz = new memory(dst, eng, placeholder);
            dx = new memory(src, eng, placeholder);
            forwardArgs.put(dnnl.DNNL_ARG_SRC, x);
            forwardArgs.put(dnnl.DNNL_ARG_DST, z);
            backwardArgs.put(dnnl.DNNL_ARG_DIFF_DST, dz);
            backwardArgs.put(dnnl.DNNL_ARG_DIFF_SRC, dx);
        }

        @Override
        void close() {
            closeAll(forwardArgs, backwardArgs, forward, backward, x, z, dz, dx, stream);
        }
    }
}
