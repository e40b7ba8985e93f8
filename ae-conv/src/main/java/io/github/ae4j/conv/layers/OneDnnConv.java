package io.github.ae4j.conv.layers;

import io.github.ae4j.core.internal.NativeArrays;
import io.github.ae4j.core.internal.Sgemm;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link NativeConv2D} convolution as oneDNN primitives called directly, created once per batch size instead of
 * per call as libnd4j's wrappers do. The forward pass reads and writes the layer's NHWC arrays in place (oneDNN's
 * NHWC kernel) and reorders only the weights: 0.42-1.34 ms per 128 images on the reference net's layers against
 * 0.62-1.68 ms for {@code conv2d}, and 47-110 us per single image against 94-179 us (scratch probe, session 6). The
 * backward pass uses the direct algorithm and the memory formats oneDNN chooses for it; the layer's arrays are
 * reordered into and out of those formats around the primitives.
 *
 * <p>Why the backward pass: libnd4j's {@code conv2d_bp} asks oneDNN for its "auto" algorithm, which picks Winograd
 * kernels for the input gradient: 3.2-3.5 ms per 128-image batch for the reference net's 14x14 layers with 8 and 16 channels (8-18 GF/s),
 * where the direct kernels take ~0.5 ms (DNNL_VERBOSE and a scratch probe, session 6). The three multi-channel layers'
 * {@code conv2d_bp} calls took ~25 ms of a ~44 ms training step.
 *
 * <p>Native memory: the primitives, the reorders and the memory objects are created once per batch size and kept in
 * this object (the last two batch sizes); the memory objects, over the layer's arrays or over the thread's
 * {@link Scratch} buffer for oneDNN's formats, are created with a placeholder buffer that this object keeps alive, and
 * every one of their handles is set before each call (see {@code OneDnnChain} in ae-core for the fault that a freed placeholder
 * caused). One instance per runtime layer (one per graph replica), used by one thread at a time. Float arrays on a CPU
 * backend whose oneDNN bindings load; otherwise {@link #of} returns null and the layer keeps libnd4j's ops.
 */
final class OneDnnConv {

    private static final Logger LOG = LoggerFactory.getLogger(OneDnnConv.class);
    private static engine cpu;

    /** Whether layers use this path where it applies (tests switch it off to compare with libnd4j's ops). */
    static volatile boolean enabled = true;

    private final ConvGeometry g;
    private final FloatPointer placeholder = new FloatPointer(1);
    private final Slots<Primitives> backward = new Slots<>();
    private final Slots<Forward> forward = new Slots<>();

    private OneDnnConv(NativeConv2D c) {
        g = ConvGeometry.of(c);
    }

    private long[] padL() {
        return new long[] {g.padTop(), g.padLeft()};
    }

    private long[] padR() {
        return new long[] {g.padBottom(), g.padRight()};
    }

    /**
     * The path for a layer, or null (not a float network, no oneDNN bindings on this backend, or switched off).
     *
     * @param c  the layer's configuration
     * @param dt the network's data type
     * @return the path, or null
     */
    static OneDnnConv of(NativeConv2D c, DataType dt) {
        if (!enabled || dt != DataType.FLOAT || Sgemm.library() != Sgemm.Library.ONEDNN) {
            return null;
        }
        OneDnnConv p = new OneDnnConv(c);
        return p.g.oh() < 1 || p.g.ow() < 1 ? null : p;
    }

    static synchronized engine engine() {
        if (cpu == null) {
            cpu = new engine(engine.kind.cpu, 0);
        }
        return cpu;
    }

    /**
     * The gradients of the convolution, or false (nothing written) when oneDNN refused the primitives for this batch
     * size: the caller then runs {@code conv2d_bp}.
     *
     * @param x  the forward pass's input [n, ih, iw, cin] (copied when not float, row-major and contiguous)
     * @param w  the weights [kh, kw, cin, cout]
     * @param dz the gradient at the output [n, oh, ow, cout] (copied likewise)
     * @param dx the gradient at the input, written [n, ih, iw, cin], or null to skip it
     * @param dw the weight gradient, written [kh, kw, cin, cout]
     * @param db the bias gradient, written [cout]
     * @return whether the gradients were computed
     */
    boolean backward(INDArray x, INDArray w, INDArray dz, INDArray dx, INDArray dw, INDArray db) {
        Primitives p = backward.get((int) x.size(0), Primitives::new);
        if (p.failed) {
            return false;
        }
        INDArray xc = NativeArrays.contiguous(x);     // kept reachable until the call returns (the pointers are bare addresses)
        INDArray dzc = NativeArrays.contiguous(dz);
        p.run(NativeArrays.pointer(xc), NativeArrays.pointer(w), NativeArrays.pointer(dzc),
                dx == null ? null : NativeArrays.pointer(dx), NativeArrays.pointer(dw), NativeArrays.pointer(db));
        java.lang.ref.Reference.reachabilityFence(xc);
        java.lang.ref.Reference.reachabilityFence(dzc);
        return true;
    }

    /**
     * The convolution of {@code x} into {@code z}, or false (nothing written) when oneDNN refused the primitive for
     * this batch size: the caller then runs {@code conv2d}.
     *
     * @param x [n, ih, iw, cin] (copied when not float, row-major and contiguous)
     * @param w the weights [kh, kw, cin, cout]
     * @param b the bias [cout]
     * @param z the output [n, oh, ow, cout], row-major and contiguous, written
     * @return whether the output was computed
     */
    boolean forward(INDArray x, INDArray w, INDArray b, INDArray z) {
        Forward f = forward.get((int) x.size(0), Forward::new);
        if (f.failed) {
            return false;
        }
        INDArray xc = NativeArrays.contiguous(x);     // kept reachable until the call returns (the pointers are bare addresses)
        f.run(NativeArrays.pointer(xc), NativeArrays.pointer(w), NativeArrays.pointer(b), NativeArrays.pointer(z));
        java.lang.ref.Reference.reachabilityFence(xc);
        return true;
    }

    /**
     * What is built for one batch size; {@code failed} when oneDNN refused it (then it is not asked again). Also the
     * base of {@link OneDnnPool}'s primitives.
     */
    abstract static class Built {
        final int n;
        boolean failed;
        stream stream;

        Built(int n) {
            this.n = n;
        }

        /** Builds the primitives on a new stream, or marks this failed when oneDNN refuses them. */
        final void init() {
            try {
                stream = new stream(engine());
                build(engine());
            } catch (RuntimeException e) {   // oneDNN's errors arrive as RuntimeExceptions
                LOG.debug("oneDNN convolution primitives not available: {}", e.toString());
                failed = true;
            }
        }

        abstract void build(engine eng);

        /** Frees the native objects now (a dropped batch size's buffers would otherwise wait for the collector). */
        abstract void close();

        /** Closes each distinct non-null object once (a memory object may stand for two roles). */
        static void closeAll(org.bytedeco.javacpp.Pointer... objects) {
            java.util.Set<org.bytedeco.javacpp.Pointer> done = java.util.Collections.newSetFromMap(
                    new java.util.IdentityHashMap<>());
            for (org.bytedeco.javacpp.Pointer o : objects) {
                if (o != null && done.add(o)) {
                    o.close();
                }
            }
        }
    }

    /**
     * The last two batch sizes' primitives (an epoch's full batches and its last, smaller one; or scoring chunks
     * and single rows), built on first use.
     */
    static final class Slots<T extends Built> {
        private T current;
        private T spare;

        T get(int n, java.util.function.IntFunction<T> build) {
            if (current == null || current.n != n) {
                T previous = current;
                T next = spare;
                if (next == null || next.n != n) {
                    next = build.apply(n);
                    next.init();
                }
                if (spare != null && spare != next) {
                    spare.close();   // its batch size is the oldest of three
                }
                current = next;
                spare = previous;
            }
            return current;
        }
    }

    /**
     * The buffers in oneDNN's formats that a backward call reorders the layer's arrays into and its gradients out of:
     * they hold nothing from one call to the next, so every layer and batch size of a thread shares one buffer, as
     * large as the largest call needs. Owned per layer and batch size (session 6) they were ~190 MB more peak RSS in
     * {@code ae4j train} on the reference conv net (two batch sizes, the epoch's and its last batch's).
     */
    static final class Scratch {
        private static final ThreadLocal<Scratch> OF_THREAD = ThreadLocal.withInitial(Scratch::new);
        private FloatPointer buffer;
        private FloatPointer aligned;

        /** Floats for {@code bytes}, rounded up to 64 bytes (oneDNN's alignment). */
        static long aligned(long bytes) {
            return (bytes + 63) / 64 * 16;
        }

        /**
         * The calling thread's scratch buffer of at least {@code floats} floats, 64-byte aligned, position 0, kept by
         * the thread until a larger one replaces it (the old one is freed then: no call of this thread is using it).
         */
        static FloatPointer of(long floats) {
            Scratch s = OF_THREAD.get();
            if (s.buffer == null || s.aligned.capacity() < floats) {
                if (s.buffer != null) {
                    s.buffer.close();
                }
                s.buffer = new FloatPointer(floats + 16);
                long skip = (64 - s.buffer.address() % 64) % 64 / Float.BYTES;
                s.aligned = NativeArrays.at(s.buffer, skip);
                s.aligned.capacity(floats);
            }
            return s.aligned;
        }
    }

    /** The forward primitive for one batch size: NHWC in and out in place, the weights reordered per call. */
    private final class Forward extends Built {
        private memory userX;
        private memory userW;
        private memory userB;
        private memory userZ;
        private memory dataW;
        private reorder toW;
        private convolution_forward conv;
        private IntMemoryMap args;

        Forward(int n) {
            super(n);
        }

        @Override
        void build(engine eng) {
            memory.data_type f32 = memory.data_type.f32;
            memory.desc src = new memory.desc(new long[] {n, g.cin(), g.ih(), g.iw()}, f32, memory.format_tag.nhwc);
            memory.desc dst = new memory.desc(new long[] {n, g.cout(), g.oh(), g.ow()}, f32, memory.format_tag.nhwc);
            memory.desc bias = new memory.desc(new long[] {g.cout()}, f32, memory.format_tag.x);
            long[] wei = {g.cout(), g.cin(), g.kh(), g.kw()};
            convolution_forward.primitive_desc pd = new convolution_forward.primitive_desc(
                    new convolution_forward.desc(dnnl.prop_kind.forward_training, dnnl.algorithm.convolution_direct,
                            src, new memory.desc(wei, f32, memory.format_tag.any), bias, dst, new long[] {g.sh(), g.sw()},
                            padL(), padR()), eng);
            userX = new memory(src, eng, placeholder);
            userW = new memory(new memory.desc(wei, f32, memory.format_tag.hwio), eng, placeholder);
            userB = new memory(bias, eng, placeholder);
            userZ = new memory(dst, eng, placeholder);
            boolean same = pd.weights_desc().equals(userW.get_desc());
            dataW = same ? userW : new memory(pd.weights_desc(), eng);
            toW = same ? null : new reorder(userW, dataW);
            conv = new convolution_forward(pd);
            args = new IntMemoryMap();
            args.put(dnnl.DNNL_ARG_SRC, userX);
            args.put(dnnl.DNNL_ARG_WEIGHTS, dataW);
            args.put(dnnl.DNNL_ARG_BIAS, userB);
            args.put(dnnl.DNNL_ARG_DST, userZ);
        }

        @Override
        void close() {
            closeAll(args, conv, toW, dataW, userX, userW, userB, userZ, stream);
        }

        void run(FloatPointer x, FloatPointer w, FloatPointer b, FloatPointer z) {
            userX.set_data_handle(x, stream);
            userW.set_data_handle(w, stream);
            userB.set_data_handle(b, stream);
            userZ.set_data_handle(z, stream);
            if (toW != null) {
                toW.execute(stream, userW, dataW);
            }
            conv.execute(stream, args);
            stream._wait();
        }
    }

    /** The primitives and buffers for one batch size. */
    private final class Primitives extends Built {
        private memory userX;
        private memory userW;
        private memory userDz;
        private memory userDx;
        private memory userDw;
        private memory userDb;
        private memory dataX;    // oneDNN's formats (its own buffers), or the user memory where formats agree
        private memory dataWd;
        private memory dataDzD;
        private memory dataDzW;
        private memory dataDx;
        private memory dataDw;
        private reorder toX;
        private reorder toWd;
        private reorder toDzD;
        private reorder toDzW;
        private reorder fromDx;
        private reorder fromDw;
        private convolution_backward_data bwdData;
        private convolution_backward_weights bwdWeights;
        private IntMemoryMap dataArgs;
        private IntMemoryMap weightArgs;
        /** The memory objects in oneDNN's formats, their offsets in the scratch buffer, its size (floats). */
        private final java.util.List<memory> scratch = new java.util.ArrayList<>();
        private final java.util.List<Long> scratchOffsets = new java.util.ArrayList<>();
        private long scratchFloats;

        Primitives(int n) {
            super(n);
        }

        @Override
        void build(engine eng) {
            memory.data_type f32 = memory.data_type.f32;
            memory.format_tag any = memory.format_tag.any;
            long[] src = {n, g.cin(), g.ih(), g.iw()};
            long[] dst = {n, g.cout(), g.oh(), g.ow()};
            long[] wei = {g.cout(), g.cin(), g.kh(), g.kw()};
            long[] strides = {g.sh(), g.sw()};
            memory.desc bias = new memory.desc(new long[] {g.cout()}, f32, memory.format_tag.x);
            memory.desc srcAny = new memory.desc(src, f32, any);
            memory.desc dstAny = new memory.desc(dst, f32, any);
            memory.desc weiAny = new memory.desc(wei, f32, any);
            convolution_forward.primitive_desc hint = new convolution_forward.primitive_desc(
                    new convolution_forward.desc(dnnl.prop_kind.forward_training, dnnl.algorithm.convolution_direct,
                            srcAny, weiAny, bias, dstAny, strides, padL(), padR()), eng);
            convolution_backward_weights.primitive_desc wpd = new convolution_backward_weights.primitive_desc(
                    new convolution_backward_weights.desc(dnnl.algorithm.convolution_direct, srcAny, weiAny, bias,
                            dstAny, strides, padL(), padR()), eng, hint);
            // the input gradient reads the output gradient in the weight gradient's format where a kernel takes it:
            // one reorder of it instead of two (8-to-8 layer 0.7-0.8 ms instead of 1.2-1.6, 8-to-16 5.5-5.8 instead
            // of 6.6-7.5 ms, scratch probe)
            convolution_backward_data.primitive_desc dpd;
            try {
                dpd = new convolution_backward_data.primitive_desc(new convolution_backward_data.desc(
                        dnnl.algorithm.convolution_direct, srcAny, weiAny, wpd.diff_dst_desc(), strides, padL(), padR()),
                        eng, hint);
            } catch (RuntimeException e) {
                dpd = new convolution_backward_data.primitive_desc(new convolution_backward_data.desc(
                        dnnl.algorithm.convolution_direct, srcAny, weiAny, dstAny, strides, padL(), padR()), eng, hint);
            }
            // the layer's arrays: NHWC activations, [kh, kw, cin, cout] weights ("hwio"), created over a placeholder
            userX = new memory(new memory.desc(src, f32, memory.format_tag.nhwc), eng, placeholder);
            userDz = new memory(new memory.desc(dst, f32, memory.format_tag.nhwc), eng, placeholder);
            userDx = new memory(new memory.desc(src, f32, memory.format_tag.nhwc), eng, placeholder);
            userW = new memory(new memory.desc(wei, f32, memory.format_tag.hwio), eng, placeholder);
            userDw = new memory(new memory.desc(wei, f32, memory.format_tag.hwio), eng, placeholder);
            userDb = new memory(bias, eng, placeholder);
            dataX = inFormat(wpd.src_desc(), userX, eng);
            dataWd = inFormat(dpd.weights_desc(), userW, eng);
            dataDzD = inFormat(dpd.diff_dst_desc(), userDz, eng);
            dataDzW = wpd.diff_dst_desc().equals(dpd.diff_dst_desc()) ? dataDzD
                    : inFormat(wpd.diff_dst_desc(), userDz, eng);
            dataDx = inFormat(dpd.diff_src_desc(), userDx, eng);
            dataDw = inFormat(wpd.diff_weights_desc(), userDw, eng);
            toX = dataX == userX ? null : new reorder(userX, dataX);
            toWd = dataWd == userW ? null : new reorder(userW, dataWd);
            toDzD = dataDzD == userDz ? null : new reorder(userDz, dataDzD);
            toDzW = dataDzW == userDz || dataDzW == dataDzD ? null : new reorder(userDz, dataDzW);
            fromDx = dataDx == userDx ? null : new reorder(dataDx, userDx);
            fromDw = dataDw == userDw ? null : new reorder(dataDw, userDw);
            bwdData = new convolution_backward_data(dpd);
            bwdWeights = new convolution_backward_weights(wpd);
            dataArgs = new IntMemoryMap();
            dataArgs.put(dnnl.DNNL_ARG_DIFF_DST, dataDzD);
            dataArgs.put(dnnl.DNNL_ARG_WEIGHTS, dataWd);
            dataArgs.put(dnnl.DNNL_ARG_DIFF_SRC, dataDx);
            weightArgs = new IntMemoryMap();
            weightArgs.put(dnnl.DNNL_ARG_DIFF_DST, dataDzW);
            weightArgs.put(dnnl.DNNL_ARG_SRC, dataX);
            weightArgs.put(dnnl.DNNL_ARG_DIFF_WEIGHTS, dataDw);
            weightArgs.put(dnnl.DNNL_ARG_DIFF_BIAS, userDb);
        }

        @Override
        void close() {
            closeAll(dataArgs, weightArgs, bwdData, bwdWeights, toX, toWd, toDzD, toDzW, fromDx, fromDw, dataX, dataWd,
                    dataDzD, dataDzW, dataDx, dataDw, userX, userW, userDz, userDx, userDw, userDb, stream);
        }

        /**
         * A memory object in the primitive's format: the user's own where it is that format, else one over the
         * placeholder whose handle {@link #run} points into the thread's {@link Scratch}.
         */
        private memory inFormat(memory.desc wanted, memory user, engine eng) {
            if (wanted.equals(user.get_desc())) {
                return user;
            }
            memory m = new memory(wanted, eng, placeholder);
            scratch.add(m);
            scratchOffsets.add(scratchFloats);
            scratchFloats += Scratch.aligned(wanted.get_size());
            return m;
        }

        void run(FloatPointer x, FloatPointer w, FloatPointer dz, FloatPointer dx, FloatPointer dw, FloatPointer db) {
            // every handle, every call (memory handles are void*: only position-0 pointers are passed)
            userX.set_data_handle(x, stream);
            userW.set_data_handle(w, stream);
            userDz.set_data_handle(dz, stream);
            userDx.set_data_handle(dx == null ? placeholder : dx, stream);
            userDw.set_data_handle(dw, stream);
            userDb.set_data_handle(db, stream);
            FloatPointer base = Scratch.of(scratchFloats);
            for (int i = 0; i < scratch.size(); i++) {
                scratch.get(i).set_data_handle(NativeArrays.at(base, scratchOffsets.get(i)), stream);
            }
            if (toDzD != null) {
                toDzD.execute(stream, userDz, dataDzD);
            }
            if (toDzW != null) {
                toDzW.execute(stream, userDz, dataDzW);
            }
            if (toX != null) {
                toX.execute(stream, userX, dataX);
            }
            bwdWeights.execute(stream, weightArgs);
            if (fromDw != null) {
                fromDw.execute(stream, dataDw, userDw);
            }
            if (dx != null) {
                if (toWd != null) {
                    toWd.execute(stream, userW, dataWd);
                }
                bwdData.execute(stream, dataArgs);
                if (fromDx != null) {
                    fromDx.execute(stream, dataDx, userDx);
                }
            }
            stream._wait();
        }
    }
}
