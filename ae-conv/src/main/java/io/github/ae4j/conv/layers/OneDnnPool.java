package io.github.ae4j.conv.layers;

import io.github.ae4j.core.internal.NativeArrays;
import io.github.ae4j.core.internal.Sgemm;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.pooling_backward;
import org.bytedeco.dnnl.pooling_forward;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Max pooling with kernel = stride = pool size and SAME padding (the padded cells never win), as oneDNN's pooling
 * primitives created once per batch size, in place on the layer's NHWC arrays. A training forward pass keeps
 * oneDNN's workspace (where each maximum came from) for the backward pass, which then only scatters the gradient:
 * libnd4j's {@code maxpool2d_bp} runs the pooling again first. Per 128-image step of the reference net:
 * {@code maxpool2d} + {@code maxpool2d_bp} 147 + 493 us (28x28x16) and 89 + 170 us (14x14x8), these primitives
 * 136 + 142 and 66 + 82 us, with equal results (scratch probe, session 7).
 *
 * <p>Native memory as in {@link OneDnnConv}: per batch size (the last two, {@link OneDnnConv.Slots}), the primitives
 * and the workspace (oneDNN's own buffer); the memory objects over the layer's arrays are created over a placeholder
 * this object keeps, every handle is set before each call, and inputs that are not row-major and contiguous are
 * copied and kept reachable until the call returns. The backward pass answers false (the caller runs
 * {@code maxpool2d_bp}) unless a training forward pass of the same batch size filled the workspace since the last
 * backward pass. Null from {@link #of} without oneDNN's bindings or for other data types. One instance per runtime
 * layer ({@link MaxPooling}), used by one thread at a time.
 */
final class OneDnnPool {

    /** Whether layers use this path where it applies (tests switch it off to compare with libnd4j's ops). */
    static volatile boolean enabled = true;

    private final int h;
    private final int w;
    private final int c;
    private final int ph;
    private final int pw;
    /** The handle the memory objects are created with (each call sets the real ones). */
    private final FloatPointer placeholder = new FloatPointer(1);
    private final OneDnnConv.Slots<Pooling> slots = new OneDnnConv.Slots<>();

    private OneDnnPool(int h, int w, int c, int ph, int pw) {
        this.h = h;
        this.w = w;
        this.c = c;
        this.ph = ph;
        this.pw = pw;
    }

    /**
     * The path for a pooling, or null (no pooling, not a float network, no oneDNN bindings, switched off).
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
        boolean applies = enabled && dt == DataType.FLOAT && ph * pw > 1 && h > 0 && w > 0 && c > 0
                && Sgemm.library() == Sgemm.Library.ONEDNN;
        return applies ? new OneDnnPool(h, w, c, ph, pw) : null;
    }

    /**
     * Pools {@code x} into {@code z}; a training pass keeps the workspace for {@link #backward}. False (nothing
     * written) when oneDNN refused the primitives.
     *
     * @param x        [n, h, w, c] (copied when not float, row-major and contiguous)
     * @param z        [n, ceil(h / ph), ceil(w / pw), c], float, row-major and contiguous, written
     * @param training whether a backward pass will follow
     * @return whether the output was computed
     */
    boolean forward(INDArray x, INDArray z, boolean training) {
        Pooling p = slots.get((int) x.size(0), Pooling::new);
        if (p.failed) {
            return false;
        }
        INDArray xc = NativeArrays.contiguous(x);
        p.x.set_data_handle(NativeArrays.pointer(xc), p.stream);
        p.z.set_data_handle(NativeArrays.pointer(z), p.stream);
        if (training) {
            p.trainOp.execute(p.stream, p.trainArgs);
        } else {
            p.inferOp.execute(p.stream, p.inferArgs);
        }
        p.stream._wait();
        java.lang.ref.Reference.reachabilityFence(xc);
        p.workspaceFilled |= training;
        return true;
    }

    /**
     * The gradient at the input from the last training forward pass's workspace, or false (nothing written) when
     * there is none for this batch size or oneDNN refused the primitives.
     *
     * @param dz [n, ceil(h / ph), ceil(w / pw), c] (copied when not float, row-major and contiguous)
     * @param dx [n, h, w, c], float, row-major and contiguous, written
     * @return whether the gradient was computed
     */
    boolean backward(INDArray dz, INDArray dx) {
        Pooling p = slots.get((int) dz.size(0), Pooling::new);
        if (p.failed || !p.workspaceFilled) {
            return false;
        }
        INDArray dzc = NativeArrays.contiguous(dz);
        p.dz.set_data_handle(NativeArrays.pointer(dzc), p.stream);
        p.dx.set_data_handle(NativeArrays.pointer(dx), p.stream);
        p.backwardOp.execute(p.stream, p.backwardArgs);
        p.stream._wait();
        java.lang.ref.Reference.reachabilityFence(dzc);
        p.workspaceFilled = false;
        return true;
    }

    /** The training and inference forward primitives, the backward one and the workspace, for one batch size. */
    private final class Pooling extends OneDnnConv.Built {
        private memory x;
        private memory z;
        private memory dz;
        private memory dx;
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
        void close() {
            closeAll(trainArgs, inferArgs, backwardArgs, trainOp, inferOp, backwardOp, x, z, dz, dx, workspace, stream);
        }
    }
}
