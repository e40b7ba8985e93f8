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
 * fused, {@link OneDnnChain}, for full chunks, on two threads as two single-threaded halves where the process runs
 * two; {@link io.github.ae4j.core.internal.Sgemm} and a Java pass for the rest or without oneDNN), then
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

    /** Rows of each half of a full chunk on the two-thread path ({@link #halves}). */
    static final int HALF = CHUNK / 2;

    /** Chunks of at least this many rows compute their errors on two threads ({@link Halves}). */
    static final int PARALLEL_ROWS = 256;

    private final ComputationGraph graph;
    private final DenseChain chain;
    private int capacity;
    private FloatPointer[] a;
    private float[][] heap;
    /** Row scratch of the error passes: x and z of the first half (or of every row), then of the second half. */
    private final float[][] scratch;
    /**
     * The fused forward pass for full chunks (oneDNN matmul primitives using every thread), or null; built on the
     * first full chunk when {@link #halves} is not.
     */
    private OneDnnChain fused;
    /**
     * Full chunks in two halves, each through its own single-threaded primitives and then its errors, the halves
     * side by side ({@link Halves}), or null. On this project's 2-core VM a 1,024-row forward pass plus errors took
     * a median 5.1-5.5 ms this way against 6.1-6.6 ms through one set of two-thread primitives (errors in two halves
     * after it), in a probe of the reference net, three alternating runs: the two-thread products pay an OpenMP
     * wake-up and barrier per layer (six per chunk) and the errors a second hand-off. Used only where ND4J's OpenMP
     * runs two threads (measured there; with more, one set of primitives keeps every core busy).
     */
    private OneDnnChain[] halves;
    /** Per half, per layer {@code l + 1}: its output buffer ({@link #HALF} rows). */
    private FloatPointer[][] halfOut;
    private boolean fusedTried;

    private DenseChainScorer(ComputationGraph graph, DenseChain chain) {
        this.graph = graph;
        this.chain = chain;
        int in = chain.width[0];
        int out = chain.width[chain.layers()];
        this.scratch = new float[][] {new float[in], new float[out], new float[in], new float[out]};
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
        FloatPointer pp = NativeArrays.at(NativeArrays.pointer(params), 0);
        for (int from = 0; from < n; from += CHUNK) {
            int rows = Math.min(CHUNK, n - from);
            if (rows == CHUNK && !fusedTried) {
                build();
            }
            boolean ok;
            if (rows == CHUNK && halves != null) {
                int f = from;
                ok = Halves.both(() -> half(0, pp, xp, xb, f, loss, errors), () -> half(1, pp, xp, xb, f, loss, errors));
            } else {
                ensureCapacity(rows);
                FloatPointer chunk = NativeArrays.at(xp, (long) from * in);
                FloatBuffer zb;
                if (rows == CHUNK && fused != null) {
                    fused.forward(pp, chunk, a);
                    zb = a[layers].position(0).asBuffer();
                } else {
                    chain.forward(params, chunk, rows, a, heap);
                    zb = FloatBuffer.wrap(heap[layers]);
                }
                ok = rowErrors(xb, zb, from, rows, loss, errors);
            }
            if (!ok) {
                io.github.ae4j.core.internal.Arrays2.requireFinite(xn, "x");   // throws naming the row and column
            }
        }
        return Nd4j.createFromArray(errors);
    }

    /**
     * The primitives for full chunks: on a two-thread process, two sets of single-threaded ones, one per half of a
     * chunk ({@link #HALF} rows each); otherwise one set for the whole chunk, whose products use every thread.
     */
    private void build() {
        fusedTried = true;
        if (io.github.ae4j.core.internal.OpenMp.twoLanes()) {
            OneDnnChain first = OneDnnChain.oneThread(chain, HALF);
            OneDnnChain second = first == null ? null : OneDnnChain.oneThread(chain, HALF);
            if (second != null) {
                halves = new OneDnnChain[] {first, second};
                halfOut = new FloatPointer[2][chain.layers() + 1];
                for (FloatPointer[] out : halfOut) {
                    for (int l = 1; l <= chain.layers(); l++) {
                        out[l] = new FloatPointer((long) HALF * chain.width[l]);
                    }
                }
                return;
            }
        }
        fused = OneDnnChain.of(chain, CHUNK);
    }

    /**
     * Half {@code h} of the full chunk at row {@code from}: its forward pass on its own primitives, then its rows'
     * errors, on the calling thread.
     *
     * @return false when a row of x holds a non-finite value
     */
    private boolean half(int h, FloatPointer params, FloatPointer xp, FloatBuffer xb, int from, ReconstructionLoss loss,
            float[] errors) {
        int first = from + h * HALF;
        halves[h].forward(params, NativeArrays.at(xp, (long) first * chain.width[0]), halfOut[h]);
        FloatBuffer zb = halfOut[h][chain.layers()].position(0).asBuffer();
        return rowErrors(xb, zb, first, 0, HALF, loss, errors, scratch[2 * h], scratch[2 * h + 1]);
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
            return rowErrors(xb, zb, from, 0, rows, loss, errors, scratch[0], scratch[1]);
        }
        int half = rows / 2;
        return Halves.both(
                () -> rowErrors(xb, zb, from, 0, half, loss, errors, scratch[0], scratch[1]),
                () -> rowErrors(xb, zb, from, half, rows, loss, errors, scratch[2], scratch[3]));
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
        return fused != null || halves != null;
    }

    /** @return whether full chunks went through two sets of single-threaded primitives side by side (for tests) */
    boolean halvesInUse() {
        return halves != null;
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
        capacity = rows;
    }
}
