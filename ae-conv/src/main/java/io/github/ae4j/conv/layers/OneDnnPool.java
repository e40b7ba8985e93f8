package io.github.ae4j.conv.layers;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.pooling_backward;
import org.bytedeco.dnnl.pooling_forward;
import org.bytedeco.dnnl.global.dnnl;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Max pooling with kernel = stride = pool size and SAME padding (the padded cells never win), as oneDNN's pooling
 * primitives created once per batch size, in place on the layer's NHWC arrays. A training forward pass keeps
 * oneDNN's workspace (where each maximum came from) for the backward pass, which then only scatters the gradient:
 * libnd4j's {@code maxpool2d_bp} runs the pooling again first. Per 128-image step of the reference net:
 * {@code maxpool2d} + {@code maxpool2d_bp} 147 + 493 us (28x28x16) and 89 + 170 us (14x14x8), these primitives
 * 136 + 142 and 66 + 82 us, with equal results (scratch probe, session 7).
 *
 * <p>Native memory and calls as in {@link OneDnnMapOp}; the workspace is oneDNN's own buffer, per batch size. The
 * backward pass answers false (the caller runs {@code maxpool2d_bp}) unless a training forward pass of the same
 * batch size filled the workspace since the last backward pass. Null from {@link #of} without oneDNN's bindings or
 * for other data types.
 */
final class OneDnnPool extends OneDnnMapOp {

    /** Whether layers use this path where it applies (tests switch it off to compare with libnd4j's ops). */
    static volatile boolean enabled = true;

    private OneDnnPool(OneDnnConv.Window win) {
        super(win);
    }

    /**
     * The path for a pooling, or null (no pooling, not a float network, no oneDNN bindings, switched off). Its
     * {@code forward} writes {@code [n, ceil(h / ph), ceil(w / pw), c]}, a training pass keeping the workspace
     * for {@code backward}.
     *
     * @param h  input height
     * @param w  input width
     * @param c  channels
     * @param ph pool height (and stride)
     * @param pw pool width (and stride)
     * @param dt the network's data type
     * @return the path, or null
     */
    static OneDnnPool of(int h, int w, int c, int ph, int pw, DataType dt) {
        OneDnnConv.Window win = new OneDnnConv.Window(h, w, c, ph, pw);
        return win.direct(enabled, dt) ? new OneDnnPool(win) : null;
    }

    @Override
    Primitives primitives(int n) {
        return new Pooling(n);
    }

    /** The training and inference forward primitives, the backward one and the workspace, for one batch size. */
    private final class Pooling extends Primitives {
        private memory workspace;
        private pooling_forward trainOp;
        private pooling_forward inferOp;
        private pooling_backward backwardOp;
        private final IntMemoryMap trainArgs = new IntMemoryMap();
        private final IntMemoryMap inferArgs = new IntMemoryMap();
        private final IntMemoryMap backwardArgs = new IntMemoryMap();
        private boolean workspaceFilled;

        Pooling(int n) {
            super(n);
        }

        @Override
        void build(engine eng) {
            int h = win.h();
            int w = win.w();
            int c = win.c();
            int ph = win.fh();
            int pw = win.fw();
            int oh = Shapes.poolOut(h, ph);
            int ow = Shapes.poolOut(w, pw);
            // SAME: the padding a pooling window needs at the end, split as libnd4j splits it (the smaller half first)
            int th = oh * ph - h;
            int tw = ow * pw - w;
            long[] kernel = {ph, pw};
            long[] padL = {th / 2, tw / 2};
            long[] padR = {th - th / 2, tw - tw / 2};
            memory.desc src = new memory.desc(new long[] {n, c, h, w}, memory.data_type.f32, memory.format_tag.nhwc);
            memory.desc dst = new memory.desc(new long[] {n, c, oh, ow}, memory.data_type.f32, memory.format_tag.nhwc);
            pooling_forward.primitive_desc tpd = new pooling_forward.primitive_desc(new pooling_forward.desc(
                    dnnl.prop_kind.forward_training, dnnl.algorithm.pooling_max, src, dst, kernel, kernel, padL, padR),
                    eng);
            pooling_forward.primitive_desc ipd = new pooling_forward.primitive_desc(new pooling_forward.desc(
                    dnnl.prop_kind.forward_inference, dnnl.algorithm.pooling_max, src, dst, kernel, kernel, padL,
                    padR), eng);
            pooling_backward.primitive_desc bpd = new pooling_backward.primitive_desc(new pooling_backward.desc(
                    dnnl.algorithm.pooling_max, src, dst, kernel, kernel, padL, padR), eng, tpd);
            trainOp = new pooling_forward(tpd);
            inferOp = new pooling_forward(ipd);
            backwardOp = new pooling_backward(bpd);
            x = new memory(src, eng, placeholder);
            z = new memory(dst, eng, placeholder);
            dz = new memory(dst, eng, placeholder);
            dx = new memory(src, eng, placeholder);
            workspace = new memory(tpd.workspace_desc(), eng);
            trainArgs.put(dnnl.DNNL_ARG_SRC, x);
            trainArgs.put(dnnl.DNNL_ARG_DST, z);
            trainArgs.put(dnnl.DNNL_ARG_WORKSPACE, workspace);
            inferArgs.put(dnnl.DNNL_ARG_SRC, x);
            inferArgs.put(dnnl.DNNL_ARG_DST, z);
            backwardArgs.put(dnnl.DNNL_ARG_DIFF_DST, dz);
            backwardArgs.put(dnnl.DNNL_ARG_DIFF_SRC, dx);
            backwardArgs.put(dnnl.DNNL_ARG_WORKSPACE, workspace);
        }

        @Override
        void forward(boolean training) {
            if (training) {
                trainOp.execute(stream, trainArgs);
                workspaceFilled = true;
            } else {
                inferOp.execute(stream, inferArgs);
            }
        }

        @Override
        boolean backwardReady() {
            return workspaceFilled;
        }

        @Override
        void backward() {
            backwardOp.execute(stream, backwardArgs);
            workspaceFilled = false;
        }

        @Override
        void close() {
            closeAll(trainArgs, inferArgs, backwardArgs, trainOp, inferOp, backwardOp, x, z, dz, dx, workspace, stream);
        }
    }
}
