package io.github.ae4j.core;

import io.github.ae4j.core.internal.Halves;
import io.github.ae4j.core.internal.NativeArrays;
import io.github.ae4j.core.internal.OpenMp;
import io.github.ae4j.core.internal.Sgemm;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * The gradient of a training step of a chain of dense layers ending in a mean-squared-error loss layer (every
 * dense autoencoder of ae4j without dropout, batch normalisation or a sparsity penalty), computed with
 * {@link Sgemm} (oneDNN's or OpenBLAS's sgemm called directly) on preallocated buffers and the elementwise work in
 * Java: DL4J's graph runs ~50 native ops for such a step (bias rows, activations and their derivatives, the loss
 * layer's passes, reductions), each with libnd4j's per-call cost, and its {@code matmul} op reads the 'f'-ordered
 * weights ~40% slower than a direct {@code sgemm} does. Here a step of an n-layer chain is n products forward, 2n - 1 backward (the first layer's
 * input gradient is not needed), and Java passes over the activations (bias, activation, the loss and its
 * gradient, the activations' derivatives, the bias gradients as column sums).
 *
 * <p>Same definitions as DL4J's layers: {@code z = a W + b} with {@code W [nIn, nOut]} in DL4J's 'f' order, the
 * activations of {@link DenseActivation}, {@code LossMSE}'s score {@code sum((y - x)^2) / (nOut * rows)} and its
 * gradient {@code 2 (y - x) / nOut} through the loss layer's activation; the gradient is summed over the rows,
 * not divided (the updater divides by the batch), and written into the graph's flattened gradient array, in
 * the layout of its parameters, for {@link FusedAdam} to apply. Results equal DL4J's within float rounding (the
 * order of the sums differs; a test compares gradients and several Adam steps).
 *
 * <p>{@link #of} returns null when the graph is anything else (another vertex or layer, a preprocessor, dropout,
 * weight noise, layer normalisation, no bias, another loss or activation, double precision) or when no native
 * product library is loaded (ND4J's CUDA backend): callers then use DL4J's own pass. One instance per graph and
 * thread; the buffers grow with the largest batch seen.
 */
final class DenseChainStep {

    private final ComputationGraph graph;
    private final DenseChain chain;
    private final DenseActivation outAct;  // the loss layer's activation
    private int capacity;                  // rows the buffers hold
    private FloatPointer[] a;              // a[l + 1]: activations of dense layer l (a[0] unused: the input rows)
    private FloatPointer[] d;              // d[l + 1]: loss gradient w.r.t. the pre-activation of layer l
    private float[] biasGrad;
    /** Per lane: its heap copies of its rows' activations and of one layer's gradient (lane 0 alone without lanes). */
    private final Lane[] lanes = {new Lane(), new Lane()};

    /**
     * Batches of at least twice this many rows run their forward pass and layer gradients as two lanes side by
     * side, each over half the rows with single-threaded products ({@link OpenMp#twoLanes}); the weight gradients
     * then take one product per layer over all rows. Reference dense net, 128-row steps, in a probe: the step's
     * products 1.93-2.13 ms with two threads per product, 1.63 ms this way (1.48-1.56 ms with the weight gradients
     * in the lanes too, which would sum each gradient in another order).
     */
    static final int MIN_LANE_ROWS = 16;

    /** One lane's heap buffers. */
    private static final class Lane {
        private float[][] heapA;           // heap copies of the activations (what the backward pass reads)
        private float[] heapD;             // heap copy of one layer's gradient
    }

    private DenseChainStep(ComputationGraph graph, DenseChain chain, DenseActivation outAct) {
        this.graph = graph;
        this.chain = chain;
        this.outAct = outAct;
    }

    /**
     * The step for this graph, or null when the graph is not a chain this class covers (see the class comment).
     *
     * @param graph an initialised graph whose parameters {@link FusedAdam} updates
     * @return the step, or null
     */
    static DenseChainStep of(ComputationGraph graph) {
        graph.getUpdater();   // as fit() does on its first call: creates the updater and the flat gradient array
        INDArray grads = graph.getFlattenedGradients();
        DenseChain chain = DenseChain.of(graph);
        if (chain == null || chain.lossLayer == null || chain.width[chain.layers()] != chain.width[0] || grads == null || grads.dataType() != DataType.FLOAT
                || !DenseChain.flat(grads) || grads.length() != graph.params().length()
                || !(((org.deeplearning4j.nn.conf.layers.LossLayer) chain.lossLayer.conf().getLayer()).getLossFn()
                        instanceof LossMSE mse) || mse.getClass() != LossMSE.class || mse.getWeights() != null
                || (chain.lossActivation != DenseActivation.IDENTITY && chain.lossActivation != DenseActivation.SIGMOID)) {
            return null;
        }
        return new DenseChainStep(graph, chain, chain.lossActivation);
    }

    /**
     * Computes the batch's loss gradient into the graph's flattened gradient array (summed over the rows).
     *
     * @param in     the input rows {@code [rows, nIn]} (possibly corrupted)
     * @param target the rows to reconstruct, same shape
     * @return the batch's score: the mean over rows of the mean squared error of the graph's output
     * @throws IllegalArgumentException when the rows' shape does not match the chain
     */
    double computeGradientAndScore(INDArray in, INDArray target) {
        int[] width = chain.width;
        if (in.rank() != 2 || in.size(1) != width[0] || !java.util.Arrays.equals(in.shape(), target.shape())) {
            throw new IllegalArgumentException("expected rows of width " + width[0] + ", got " + in.shapeInfoToString());
        }
        INDArray x = chain.direct(in) ? in : in.castTo(DataType.FLOAT).dup('c');
        INDArray y = chain.direct(target) ? target : target.castTo(DataType.FLOAT).dup('c');
        int rows = (int) x.size(0);
        ensureCapacity(rows);
        INDArray params = graph.params();
        FloatPointer p = NativeArrays.pointer(params);
        FloatPointer xp = NativeArrays.pointer(x);
        FloatBuffer yb = NativeArrays.buffer(y);
        double score;
        if (rows >= 2 * MIN_LANE_ROWS && OpenMp.twoLanes()) {
            int half = rows / 2;
            double[] s = new double[2];
            Halves.both(() -> {
                s[0] = OpenMp.onOneThread(() -> deltas(lanes[0], 0, half, params, p, xp, yb));
                return true;
            }, () -> {
                s[1] = OpenMp.onOneThread(() -> deltas(lanes[1], half, rows, params, p, xp, yb));
                return true;
            });
            score = s[0] + s[1];
        } else {
            score = deltas(lanes[0], 0, rows, params, p, xp, yb);
        }
        weightAndBiasGradients(rows, xp);
        return score / rows;
    }

    /**
     * The forward pass, the loss gradient and the backward pass's layer gradients {@code d[l]} of rows {@code [lo, hi)},
     * in the rows' part of the shared buffers: each row's values depend on that row alone, so two lanes can compute
     * two halves of a batch side by side. Products run with the calling thread's OpenMP count.
     *
     * @return the rows' loss, summed over them (each row's mean squared error)
     */
    private double deltas(Lane lane, int lo, int hi, INDArray params, FloatPointer p, FloatPointer xp, FloatBuffer yb) {
        int[] width = chain.width;
        int layers = chain.layers();
        int m = hi - lo;
        FloatPointer[] av = new FloatPointer[layers + 1];
        FloatPointer[] dv = new FloatPointer[layers + 1];
        for (int l = 1; l <= layers; l++) {
            av[l] = NativeArrays.at(a[l], (long) lo * width[l]).capacity((long) m * width[l]);
            dv[l] = NativeArrays.at(d[l], (long) lo * width[l]).capacity((long) m * width[l]);
        }
        chain.forward(params, NativeArrays.at(xp, (long) lo * width[0]), m, av, lane.heapA);
        // the loss layer: score and d[L] = 2 (o - y) / nOut * o'(z) * act'(a[L]), o = outAct(a[L])
        int out = width[layers];
        float[] heapD = lane.heapD;
        yb.get(lo * out, heapD, 0, m * out);
        double score = lossGradient(lane.heapA[layers], heapD, heapD, m * out, out, chain.act[layers - 1]);
        dv[layers].asBuffer().put(0, heapD, 0, m * out);
        // d[l] = (d[l + 1] W^T) * act'(a[l]), W in DL4J's 'f' layout (W^T row-major)
        for (int l = layers - 1; l > 0; l--) {
            int nIn = width[l];
            Sgemm.gemm(false, false, m, nIn, width[l + 1], dv[l + 1], width[l + 1], NativeArrays.at(p, chain.wOffset[l]),
                    nIn, 0f, dv[l], nIn);
            if (chain.act[l - 1] != DenseActivation.IDENTITY) {
                FloatBuffer dl = dv[l].asBuffer();
                dl.get(0, heapD, 0, m * nIn);
                timesDerivative(heapD, lane.heapA[l], m * nIn, chain.act[l - 1]);
                dl.put(0, heapD, 0, m * nIn);
            }
        }
        return score;
    }

    /**
     * The weight and bias gradients of all rows from the layer gradients {@link #deltas} left: {@code dW^T = d^T a}
     * (one product per layer over every row, so the sums over rows run in one order however the rows were split),
     * {@code db} = column sums of {@code d} (in Java: six 1-row products were 6 of a step's 23 native calls).
     */
    private void weightAndBiasGradients(int rows, FloatPointer xp) {
        int[] width = chain.width;
        FloatPointer g = NativeArrays.pointer(graph.getFlattenedGradients());
        FloatBuffer gBuf = NativeArrays.buffer(graph.getFlattenedGradients());
        float[] heapD = lanes[0].heapD;
        for (int l = chain.layers() - 1; l >= 0; l--) {
            int nIn = width[l];
            int nOut = width[l + 1];
            Sgemm.gemm(true, false, nOut, nIn, rows, d[l + 1], nOut, l == 0 ? xp : a[l], nIn, 0f,
                    NativeArrays.at(g, chain.wOffset[l]), nIn);
            d[l + 1].position(0).asBuffer().get(0, heapD, 0, rows * nOut);
            columnSums(heapD, rows, nOut, biasGrad);
            gBuf.put((int) chain.bOffset[l], biasGrad, 0, nOut);
        }
    }

    /**
     * @return whether {@link #score} is DL4J's inference score for this graph (an identity output; with a sigmoid
     *         loss layer DL4J reports another value, see {@code DenseChainStepTest})
     */
    boolean scoresAsDl4j() {
        return outAct == DenseActivation.IDENTITY;
    }

    /**
     * The loss over rows in inference mode (the mean over rows of each row's mean squared error), without a gradient:
     * what {@code graph.score(new DataSet(rows, rows), false)} gives, through this chain's forward pass.
     *
     * @param rows rows {@code [n, nIn]}
     * @return the loss
     */
    double score(INDArray rows) {
        int[] width = chain.width;
        if (rows.rank() != 2 || rows.size(1) != width[0] || rows.size(0) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("expected rows of width " + width[0] + ", got " + rows.shapeInfoToString());
        }
        INDArray x = chain.direct(rows) ? rows : rows.castTo(DataType.FLOAT).dup('c');
        int n = (int) x.size(0);
        int step = Math.max(capacity, 256);
        ensureCapacity(Math.min(n, step));
        step = Math.min(step, capacity);
        int layers = chain.layers();
        int out = width[layers];
        FloatPointer xp = NativeArrays.pointer(x);
        FloatBuffer xb = NativeArrays.buffer(x);
        double sum = 0;
        for (int from = 0; from < n; from += step) {
            int m = Math.min(step, n - from);
            Lane lane = lanes[0];
            chain.forward(graph.params(), NativeArrays.at(xp, (long) from * width[0]), m, a, lane.heapA);
            xb.get(from * out, lane.heapD, 0, m * out);
            sum += lossGradient(lane.heapA[layers], lane.heapD, lane.heapD, m * out, out, chain.act[layers - 1]);
        }
        return sum / n;
    }

    /** The MSE loss over the rows (sum of the per-row means) and its gradient into {@code d} (which may be {@code y}). */
    private double lossGradient(float[] last, float[] y, float[] d, int len, int n, DenseActivation lastAct) {
        float scale = 2f / n;
        double sum = 0;
        if (outAct == DenseActivation.IDENTITY && lastAct == DenseActivation.IDENTITY) {
            for (int i = 0; i < len; i++) {
                float e = last[i] - y[i];
                sum += e * e;
                d[i] = scale * e;
            }
            return sum / n;
        }
        for (int i = 0; i < len; i++) {
            float h = last[i];
            float o = outAct.apply(h);
            float e = o - y[i];
            sum += e * e;
            d[i] = scale * e * outAct.derivativeAt(o) * lastAct.derivativeAt(h);
        }
        return sum / n;
    }

    /** out[j] = sum over the rows of d[r, j] (row-major {@code rows x n}). */
    private static void columnSums(float[] d, int rows, int n, float[] out) {
        java.util.Arrays.fill(out, 0, n, 0f);
        for (int r = 0, o = 0; r < rows; r++, o += n) {
            for (int j = 0; j < n; j++) {
                out[j] += d[o + j];
            }
        }
    }

    /** d *= act'(a), elementwise over {@code len} values. */
    private static void timesDerivative(float[] d, float[] a, int len, DenseActivation f) {
        switch (f) {
            case IDENTITY -> { }
            case RELU -> {
                for (int i = 0; i < len; i++) {
                    d[i] = a[i] > 0f ? d[i] : 0f;
                }
            }
            default -> {
                for (int i = 0; i < len; i++) {
                    d[i] *= f.derivativeAt(a[i]);
                }
            }
        }
    }

    private void ensureCapacity(int rows) {
        if (rows <= capacity) {
            return;
        }
        int n = chain.layers();
        int[] width = chain.width;
        a = new FloatPointer[n + 1];
        d = new FloatPointer[n + 1];
        int widest = width[0];
        for (Lane lane : lanes) {
            lane.heapA = new float[n + 1][];
        }
        for (int l = 1; l <= n; l++) {
            int len = Math.multiplyExact(rows, width[l]);
            a[l] = new FloatPointer((long) len);
            d[l] = new FloatPointer((long) len);
            for (Lane lane : lanes) {
                lane.heapA[l] = new float[len];
            }
            widest = Math.max(widest, width[l]);
        }
        for (Lane lane : lanes) {
            lane.heapD = new float[Math.multiplyExact(rows, widest)];
        }
        biasGrad = new float[widest];
        capacity = rows;
    }
}
