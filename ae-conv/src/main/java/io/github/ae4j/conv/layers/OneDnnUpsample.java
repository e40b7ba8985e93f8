package io.github.ae4j.conv.layers;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.resampling_backward;
import org.bytedeco.dnnl.resampling_forward;
import org.bytedeco.dnnl.global.dnnl;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A {@link NativeConv2D} layer's nearest-neighbour upsampling by whole factors as oneDNN's resampling primitives,
 * created once per batch size, in place on the layer's NHWC arrays (no reorder). libnd4j's {@code upsampling2d} and
 * {@code upsampling2d_bp} took 448 + 283 us (7x7x8 to 14x14, 128 images) and 831 + 897 us (14x14x8 to 28x28) per
 * training step of the reference net; these primitives 93 + 167 and 126 + 326 us, with equal results (scratch probe,
 * session 7). Each output pixel is the input pixel {@code (i / fh, j / fw)}; the gradient sums each block.
 *
 * <p>Native memory and calls as in {@link OneDnnMapOp}. Float arrays on a CPU backend whose oneDNN bindings load;
 * otherwise {@link #of} returns null and the layer keeps libnd4j's ops.
 */
final class OneDnnUpsample extends OneDnnMapOp {

    /** Whether layers use this path where it applies (tests switch it off to compare with libnd4j's ops). */
    static volatile boolean enabled = true;

    private OneDnnUpsample(OneDnnConv.Window win) {
        super(win);
    }

    /**
     * The path for an upsampling, or null (no upsampling, not a float network, no oneDNN bindings, switched off).
     * Its {@code forward} writes {@code [n, h * fh, w * fw, c]}; its {@code backward} sums each block of the output
     * gradient into the input pixel.
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

    @Override
    Primitives primitives(int n) {
        return new Resampling(n);
    }

    /** The forward and backward resampling primitives for one batch size, over NHWC memory. */
    private final class Resampling extends Primitives {
        private resampling_forward forwardOp;
        private resampling_backward backwardOp;
        private final IntMemoryMap forwardArgs = new IntMemoryMap();
        private final IntMemoryMap backwardArgs = new IntMemoryMap();

        Resampling(int n) {
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
            forwardOp = new resampling_forward(fpd);
            backwardOp = new resampling_backward(bpd);
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
        void forward(boolean training) {
            forwardOp.execute(stream, forwardArgs);
        }

        @Override
        void backward() {
            backwardOp.execute(stream, backwardArgs);
        }

        @Override
        void close() {
            closeAll(forwardArgs, backwardArgs, forwardOp, backwardOp, x, z, dz, dx, stream);
        }
    }
}
