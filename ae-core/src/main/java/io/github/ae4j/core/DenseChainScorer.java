package io.github.ae4j.core;

import io.github.ae4j.core.internal.Halves;
import io.github.ae4j.core.internal.NativeArrays;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reconstruction errors of many rows for a reconstruction graph that is a {@link DenseChain}: the forward pass in
 * chunks of {@value #CHUNK} rows over buffers allocated once (oneDNN matmul primitives with bias and activation
 * fused, {@link OneDnnChain}, for full chunks; {@link io.github.ae4j.core.internal.Sgemm} and a Java pass for the
 * rest or without oneDNN), then
 * each row's error in Java with {@link JavaChain#rowError} (the definitions the few-rows path uses; the batch path
 * through the graph and {@link FusedErrors} agrees within float rounding). Through the graph a 1,024-row call of the
 * reference dense net spent ~40% beyond its products (bias rows, activations, the output's allocation, the fused
 * error ops, the finiteness check). One instance per graph replica, used by one thread at a time.
 */
final class DenseChainScorer {

    /**
     * Rows per forward pass: 1,024-row chunks scored 143-152k rows/s on the reference net, 512 141-144k, 256 131-135k,
     * 128 122-126k (the sgemm path; larger chunks gain nothing in the products and cost buffer memory).
     */
    static final int CHUNK = 1024;

    /** Chunks of at least this many rows compute their errors on two threads ({@link Halves}). */
    static final int PARALLEL_ROWS = 256;

    private final ComputationGraph graph;
    private final DenseChain chain;
    private int capacity;
    private FloatPointer[] a;
    private float[][] heap;
    private float[] xRow;
    private float[] zRow;
    private float[] xRow2;
    private float[] zRow2;
    /** The fused forward pass for full chunks (oneDNN matmul primitives), or null; built on the first full chunk. */
    private OneDnnChain fused;
    private boolean fusedTried;

    private DenseChainScorer(ComputationGraph graph, DenseChain chain) {
        this.graph = graph;
        this.chain = chain;
    }

    /**
     * The scorer of a reconstruction graph replica, or null when it is not a dense chain (or ends in a loss layer
     * whose activation {@link DenseActivation} does not cover).
     *
     * @param g the graph replica
     * @return the scorer, or null
     */
    static DenseChainScorer of(ComputationGraph g) {
        DenseChain c = DenseChain.of(g);
        return c == null || c.lossLayer != null && c.lossActivation == null ? null : new DenseChainScorer(g, c);
    }

    /** @return the input width */
    int inputSize() {
        return chain.width[0];
    }

    /**
     * Per-row errors.
     *
     * @param xn   normalised rows {@code [rows, inputSize()]}
     * @param loss a loss {@link JavaChain#supports} accepts with the model's decoder activation
     * @return the errors, {@code [rows]}, float
     * @throws IllegalArgumentException naming the row and column of a non-finite value
     */
    INDArray errors(INDArray xn, ReconstructionLoss loss) {
        if (xn.rank() != 2 || xn.size(1) != chain.width[0] || xn.size(0) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("expected rows of width " + chain.width[0] + ", got " + xn.shapeInfoToString());
        }
        INDArray x = chain.direct(xn) ? xn : xn.castTo(DataType.FLOAT).dup('c');
        int n = (int) x.size(0);
        int in = chain.width[0];
        int layers = chain.layers();
        float[] errors = new float[n];
        FloatPointer xp = NativeArrays.pointer(x);
        FloatBuffer xb = NativeArrays.buffer(x);
        INDArray params = graph.params();
        for (int from = 0; from < n; from += CHUNK) {
            int rows = Math.min(CHUNK, n - from);
            ensureCapacity(rows);
            FloatPointer chunk = NativeArrays.at(xp, (long) from * in);
            if (rows == CHUNK && !fusedTried) {
                fused = OneDnnChain.of(chain, CHUNK);
                fusedTried = true;
            }
            FloatBuffer zb;
            if (rows == CHUNK && fused != null) {
                fused.forward(NativeArrays.at(NativeArrays.pointer(params), 0), chunk, a);
                zb = a[layers].position(0).asBuffer();
            } else {
                chain.forward(params, chunk, rows, a, heap);
                zb = FloatBuffer.wrap(heap[layers]);
            }
            if (!rowErrors(xb, zb, from, rows, loss, errors)) {
                io.github.ae4j.core.internal.Arrays2.requireFinite(xn, "x");   // throws naming the row and column
            }
        }
        return Nd4j.createFromArray(errors);
    }

    /**
     * The errors of a chunk's rows, in two halves ({@link Halves}) when the chunk is large (the forward pass uses
     * every core; this Java pass was one core's work, ~0.6 ms of a 1,024-row call).
     *
     * @return false when a row of x holds a non-finite value
     */
    private boolean rowErrors(FloatBuffer xb, FloatBuffer zb, int from, int rows, ReconstructionLoss loss,
            float[] errors) {
        if (rows < PARALLEL_ROWS || !Halves.PARALLEL) {
            return rowErrors(xb, zb, from, 0, rows, loss, errors, xRow, zRow);
        }
        int half = rows / 2;
        return Halves.both(
                () -> rowErrors(xb, zb, from, 0, half, loss, errors, xRow, zRow),
                () -> rowErrors(xb, zb, from, half, rows, loss, errors, xRow2, zRow2));
    }

    /** Rows {@code from + lo} to {@code from + hi} (exclusive) of the chunk; false at a non-finite value of x. */
    private boolean rowErrors(FloatBuffer xb, FloatBuffer zb, int from, int lo, int hi, ReconstructionLoss loss,
            float[] errors, float[] x, float[] z) {
        int in = chain.width[0];
        int out = chain.width[chain.layers()];
        DenseActivation act = chain.lossActivation;
        // MSE and MAE turn a non-finite x into a non-finite error: only such rows need the check
        boolean checkAfter = loss == ReconstructionLosses.mse() || loss == ReconstructionLosses.mae();
        for (int r = lo; r < hi; r++) {
            xb.get((from + r) * in, x, 0, in);
            if (!checkAfter && !finite(x)) {
                return false;
            }
            zb.get(r * out, z, 0, out);
            if (act != null && act != DenseActivation.IDENTITY) {
                for (int j = 0; j < out; j++) {
                    z[j] = act.apply(z[j]);
                }
            }
            double e = JavaChain.rowError(x, z, loss);
            if (checkAfter && !Double.isFinite(e) && !finite(x)) {
                return false;
            }
            errors[from + r] = (float) e;
        }
        return true;
    }

    /**
     * Whether every value is finite: the largest exponent field over the row (an int maximum, which the JIT
     * vectorises) is below the all-ones exponent of infinities and NaNs.
     */
    static boolean finite(float[] v) {
        int max = 0;
        for (float f : v) {
            max = Math.max(max, Float.floatToRawIntBits(f) & 0x7f800000);
        }
        return max != 0x7f800000;
    }

    /** @return whether full chunks went through the oneDNN primitives (for tests) */
    boolean fusedInUse() {
        return fused != null;
    }

    private void ensureCapacity(int rows) {
        if (rows <= capacity) {
            return;
        }
        int n = chain.layers();
        a = new FloatPointer[n + 1];
        heap = new float[n + 1][];
        for (int l = 1; l <= n; l++) {
            int len = Math.multiplyExact(rows, chain.width[l]);
            a[l] = new FloatPointer((long) len);
            heap[l] = new float[len];
        }
        xRow = new float[chain.width[0]];
        zRow = new float[chain.width[n]];
        xRow2 = new float[chain.width[0]];
        zRow2 = new float[chain.width[n]];
        capacity = rows;
    }
}
