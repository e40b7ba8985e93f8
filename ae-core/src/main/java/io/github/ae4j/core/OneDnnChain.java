package io.github.ae4j.core;

import io.github.ae4j.core.internal.NativeArrays;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.matmul;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.post_ops;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.stream;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.FloatPointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The forward pass of a {@link DenseChain} for a fixed number of rows as oneDNN matmul primitives, each with the
 * layer's bias and activation fused in (a post-op): no pass over the activations beyond the products. Through
 * {@code sgemm} plus a Java pass for bias and activation, a 1,024-row forward of the reference dense net took
 * 6.2-6.8 ms on this project's 2-core VM, of which 4.7-4.9 ms were the products; the primitives take 4.7-5.0 ms.
 * The primitives are created once (oneDNN generates their kernels then); each call only points their memory
 * objects at the caller's buffers, which the caller sizes: the input {@code [rows, width[0]]}, the outputs
 * {@code [rows, width[l + 1]]}, and the graph's flat parameters, whose layout {@link DenseChain#of} checked.
 * The weights are read in DL4J's 'f' order through strides (no reorder). One instance per thread.
 */
final class OneDnnChain {

    private static final Logger LOG = LoggerFactory.getLogger(OneDnnChain.class);
    private static engine cpu;

    private final DenseChain chain;
    private final int rows;
    private final stream stream;
    private final matmul[] primitives;
    private final memory[] src;
    private final memory[] weights;
    private final memory[] bias;
    private final memory[] dst;
    private final IntMemoryMap[] args;
    /**
     * The handle the memory objects are created with (each call sets the real ones), kept for this object's
     * lifetime: a scratch probe that created them with a temporary JavaCPP pointer, which the collector then freed,
     * corrupted the native heap (a SIGSEGV in ND4J's deallocator thread in 4 of 4 runs; none in 3 runs with the
     * pointer kept alive, none in 3 runs setting every handle before each call, as {@link #forward} does).
     */
    private final FloatPointer placeholder = new FloatPointer(1);

    private OneDnnChain(DenseChain chain, int rows) {
        this.chain = chain;
        this.rows = rows;
        int n = chain.layers();
        engine eng = engine();
        this.stream = new stream(eng);
        primitives = new matmul[n];
        src = new memory[n];
        weights = new memory[n];
        bias = new memory[n];
        dst = new memory[n];
        args = new IntMemoryMap[n];
        for (int l = 0; l < n; l++) {
            long nIn = chain.width[l];
            long nOut = chain.width[l + 1];
            memory.desc s = new memory.desc(new long[] {rows, nIn}, memory.data_type.f32, new long[] {nIn, 1});
            memory.desc w = new memory.desc(new long[] {nIn, nOut}, memory.data_type.f32, new long[] {1, nIn});
            memory.desc b = new memory.desc(new long[] {1, nOut}, memory.data_type.f32, new long[] {nOut, 1});
            memory.desc d = new memory.desc(new long[] {rows, nOut}, memory.data_type.f32, new long[] {nOut, 1});
            primitive_attr attr = new primitive_attr();
            if (chain.act[l] != DenseActivation.IDENTITY) {
                post_ops ops = new post_ops();
                switch (chain.act[l]) {
                    case RELU -> ops.append_eltwise(1f, dnnl.algorithm.eltwise_relu, 0f, 0f);
                    case ELU -> ops.append_eltwise(1f, dnnl.algorithm.eltwise_elu, 1f, 0f);
                    case TANH -> ops.append_eltwise(1f, dnnl.algorithm.eltwise_tanh, 0f, 0f);
                    case SIGMOID -> ops.append_eltwise(1f, dnnl.algorithm.eltwise_logistic, 0f, 0f);
                    default -> throw new IllegalStateException("no post-op for " + chain.act[l]);
                }
                attr.set_post_ops(ops);
            }
            primitives[l] = new matmul(new matmul.primitive_desc(new matmul.desc(s, w, b, d), attr, eng));
            src[l] = new memory(s, eng, placeholder);
            weights[l] = new memory(w, eng, placeholder);
            bias[l] = new memory(b, eng, placeholder);
            dst[l] = new memory(d, eng, placeholder);
            args[l] = new IntMemoryMap();
            args[l].put(dnnl.DNNL_ARG_SRC, src[l]);
            args[l].put(dnnl.DNNL_ARG_WEIGHTS, weights[l]);
            args[l].put(dnnl.DNNL_ARG_BIAS, bias[l]);
            args[l].put(dnnl.DNNL_ARG_DST, dst[l]);
        }
    }

    private static synchronized engine engine() {
        if (cpu == null) {
            cpu = new engine(engine.kind.cpu, 0);
        }
        return cpu;
    }

    /**
     * The primitives of a chain for {@code rows} rows, or null when oneDNN is not the product library or refuses
     * them (then the caller's sgemm path is used).
     *
     * @param chain the chain
     * @param rows  the rows per call
     * @return the primitives, or null
     */
    static OneDnnChain of(DenseChain chain, int rows) {
        if (io.github.ae4j.core.internal.Sgemm.library() != io.github.ae4j.core.internal.Sgemm.Library.ONEDNN) {
            return null;
        }
        try {
            return new OneDnnChain(chain, rows);
        } catch (RuntimeException e) {   // oneDNN's errors arrive as RuntimeExceptions
            LOG.debug("oneDNN matmul primitives not available for this chain: {}", e.toString());
            return null;
        }
    }

    /**
     * Like {@link #of}, but primitives that run on the calling thread alone: oneDNN fixes a primitive's thread count
     * when it creates it, from the creating thread's OpenMP setting, which this sets to 1 for the creation and then
     * restores. Such a primitive opens no OpenMP team when it runs (no wake-up, no barrier), so two of them can run
     * side by side on two threads, each over its own rows.
     *
     * @param chain the chain
     * @param rows  the rows per call
     * @return the primitives, or null
     */
    static OneDnnChain oneThread(DenseChain chain, int rows) {
        return io.github.ae4j.core.internal.OpenMp.onOneThread(() -> of(chain, rows));
    }

    /** @return the rows per call */
    int rows() {
        return rows;
    }

    /**
     * The forward pass: {@code a[l + 1] = act(a[l] W + b)} for every layer, {@code a[0] = x}.
     *
     * @param params the graph's flat parameters
     * @param x      the input rows ({@link #rows()} of them)
     * @param a      per layer {@code l + 1}: its output buffer, at least {@code rows * width[l + 1]} floats
     */
    void forward(FloatPointer params, FloatPointer x, FloatPointer[] a) {
        // memory handles are void*: JavaCPP would add a position in bytes, so only position-0 pointers are passed
        if (params.position() != 0 || x.position() != 0) {
            throw new IllegalArgumentException("pointers must have position 0 (use NativeArrays.at)");
        }
        for (int l = 0; l < primitives.length; l++) {
            if (a[l + 1].position() != 0 || a[l + 1].capacity() < (long) rows * chain.width[l + 1]) {
                throw new IllegalArgumentException("output buffer " + (l + 1) + " too small or positioned");
            }
            src[l].set_data_handle(l == 0 ? x : a[l], stream);
            weights[l].set_data_handle(NativeArrays.at(params, chain.wOffset[l]), stream);
            bias[l].set_data_handle(NativeArrays.at(params, chain.bOffset[l]), stream);
            dst[l].set_data_handle(a[l + 1], stream);
            primitives[l].execute(stream, args[l]);
        }
        stream._wait();
    }
}
