package io.github.ae4j.core;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gradient of a training step of a chain of dense layers ending in a mean-squared-error loss layer (every
 * dense autoencoder of ae4j without dropout, batch normalisation or a sparsity penalty), computed with OpenBLAS
 * called directly on preallocated buffers and the elementwise work in Java: DL4J's graph runs ~50 native ops for
 * such a step (bias rows, activations and their derivatives, the loss layer's passes, reductions), each with
 * libnd4j's per-call cost, and its {@code matmul} op reads the 'f'-ordered weights ~40% slower than a direct
 * {@code sgemm} does. Here a step is 5 products forward, 11 backward (the first layer's input gradient is not
 * needed), one matrix-vector product per bias gradient, and three Java passes over the activations.
 *
 * <p>Same definitions as DL4J's layers: {@code z = a W + b} with {@code W [nIn, nOut]} in DL4J's 'f' order, the
 * activations of {@link DenseActivation}, {@code LossMSE}'s score {@code sum((y - x)^2) / (nOut * rows)} and its
 * gradient {@code 2 (y - x) / nOut} through the loss layer's activation; the gradient is summed over the rows,
 * not divided (the updater divides by the batch), and written into the graph's flattened gradient array, in
 * the layout of its parameters, for {@link FusedAdam} to apply. Results equal DL4J's within float rounding (the
 * order of the sums differs; a test compares gradients and several Adam steps).
 *
 * <p>{@link #of} returns null when the graph is anything else (another vertex or layer, a preprocessor, dropout,
 * weight noise, layer normalisation, no bias, another loss or activation, double precision) or when OpenBLAS is
 * not the backend's library (ND4J's CUDA backend): callers then use DL4J's own pass. One instance per graph and
 * thread; the buffers grow with the largest batch seen.
 */
final class DenseChainStep {

    private static final Logger LOG = LoggerFactory.getLogger(DenseChainStep.class);
    private static final boolean BLAS = blasAvailable();

    private final ComputationGraph graph;
    private final int[] width;             // width[0]: input; width[l + 1]: output of dense layer l
    private final DenseActivation[] act;   // per dense layer
    private final DenseActivation outAct;  // the loss layer's activation
    private final long[] wOffset;          // per dense layer: W and b in the flat parameters (and gradients)
    private final long[] bOffset;
    private int capacity;                  // rows the buffers hold
    private FloatPointer[] a;              // a[l + 1]: activations of dense layer l (a[0] unused: the input rows)
    private FloatPointer[] d;              // d[l + 1]: loss gradient w.r.t. the pre-activation of layer l
    private FloatPointer ones;
    private FloatBuffer[] aBuf;
    private FloatBuffer[] dBuf;
    private float[][] heapA;               // heap copies of the activations (what the backward pass reads)
    private float[] heapD;                 // heap copy of one layer's gradient
    private float[] bias;

    private DenseChainStep(ComputationGraph graph, int[] width, DenseActivation[] act, DenseActivation outAct,
                           long[] wOffset, long[] bOffset) {
        this.graph = graph;
        this.width = width;
        this.act = act;
        this.outAct = outAct;
        this.wOffset = wOffset;
        this.bOffset = bOffset;
    }

    private static boolean blasAvailable() {
        try {
            if (!Nd4j.getEnvironment().isCPU()) {
                return false;
            }
            org.bytedeco.javacpp.Loader.load(openblas.class);
            return true;
        } catch (Throwable t) {   // no OpenBLAS natives (another backend): DL4J's own pass is used
            LOG.debug("OpenBLAS not loadable: dense training steps go through DL4J ({})", t.toString());
            return false;
        }
    }

    /**
     * The step for this graph, or null when the graph is not a chain this class covers (see the class comment).
     *
     * @param graph an initialised graph whose parameters {@link FusedAdam} updates
     * @return the step, or null
     */
    static DenseChainStep of(ComputationGraph graph) {
        if (!BLAS || graph.getConfiguration().getNetworkInputs().size() != 1
                || graph.getConfiguration().getNetworkOutputs().size() != 1) {
            return null;
        }
        graph.getUpdater();   // as fit() does on its first call: creates the updater and the flat gradient array
        INDArray params = graph.params();
        INDArray grads = graph.getFlattenedGradients();
        if (params == null || grads == null || params.dataType() != DataType.FLOAT || !flat(params) || !flat(grads)
                || params.length() != grads.length()) {
            return null;
        }
        GraphVertex[] vertices = graph.getVertices();
        List<Layer> dense = new ArrayList<>();
        Layer loss = null;
        int previous = -1;
        for (int i : graph.topologicalSortOrder()) {
            GraphVertex v = vertices[i];
            if (v.isInputVertex()) {
                if (previous != -1) {
                    return null;
                }
                previous = i;
                continue;
            }
            VertexIndices[] in = v.getInputVertices();
            if (loss != null || !(v instanceof LayerVertex lv) || lv.getLayerPreProcessor() != null || in == null
                    || in.length != 1 || in[0].getVertexIndex() != previous) {
                return null;
            }
            Layer l = v.getLayer();
            if (l instanceof org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer
                    && l.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.DenseLayer c
                    && c.hasBias() && !c.hasLayerNorm() && c.getWeightNoise() == null && c.getIDropout() == null
                    && DenseActivation.of(c.getActivationFn()) != null) {
                dense.add(l);
            } else if (l instanceof org.deeplearning4j.nn.layers.LossLayer && !dense.isEmpty()
                    && l.conf().getLayer() instanceof LossLayer c && c.getIDropout() == null
                    && c.getLossFn() != null && c.getLossFn().getClass() == LossMSE.class
                    && ((LossMSE) c.getLossFn()).getWeights() == null
                    && (DenseActivation.of(c.getActivationFn()) == DenseActivation.IDENTITY
                        || DenseActivation.of(c.getActivationFn()) == DenseActivation.SIGMOID)) {
                loss = l;
            } else {
                return null;
            }
            previous = i;
        }
        if (loss == null || !vertices[previous].getVertexName().equals(graph.getConfiguration().getNetworkOutputs().get(0))) {
            return null;
        }
        int n = dense.size();
        int[] width = new int[n + 1];
        DenseActivation[] act = new DenseActivation[n];
        long[] wOff = new long[n];
        long[] bOff = new long[n];
        long base = pointer(params).address();
        for (int l = 0; l < n; l++) {
            Layer layer = dense.get(l);
            INDArray w = layer.getParam(DefaultParamInitializer.WEIGHT_KEY);
            INDArray b = layer.getParam(DefaultParamInitializer.BIAS_KEY);
            if (w == null || b == null || w.rank() != 2 || w.dataType() != DataType.FLOAT || b.dataType() != DataType.FLOAT
                    || w.size(0) > Integer.MAX_VALUE || w.size(1) > Integer.MAX_VALUE) {
                return null;
            }
            int nIn = (int) w.size(0);
            int nOut = (int) w.size(1);
            // W must be DL4J's contiguous 'f' layout (column j of W at j * nIn) and b contiguous, both inside params
            if (w.ordering() != 'f' || w.stride(0) != 1 || w.stride(1) != nIn || b.length() != nOut
                    || (nOut > 1 && b.elementWiseStride() != 1) || (l > 0 && width[l] != nIn)) {
                return null;
            }
            width[l] = nIn;
            width[l + 1] = nOut;
            act[l] = DenseActivation.of(((org.deeplearning4j.nn.conf.layers.DenseLayer) layer.conf().getLayer())
                    .getActivationFn());
            wOff[l] = (pointer(w).address() - base) / 4;
            bOff[l] = (pointer(b).address() - base) / 4;
            if (wOff[l] < 0 || wOff[l] + (long) nIn * nOut > params.length() || bOff[l] < 0 || bOff[l] + nOut > params.length()) {
                return null;
            }
        }
        DenseActivation outAct = DenseActivation.of(((LossLayer) loss.conf().getLayer()).getActivationFn());
        return new DenseChainStep(graph, width, act, outAct, wOff, bOff);
    }

    private static boolean flat(INDArray a) {
        return a.isVector() && (a.length() == 1 || a.elementWiseStride() == 1) && a.length() < Integer.MAX_VALUE;
    }

    /** @return whether the rows can be read in place: float, row-major and contiguous, of the input width */
    private boolean direct(INDArray x) {
        return x.dataType() == DataType.FLOAT && x.rank() == 2 && x.size(1) == width[0] && x.ordering() == 'c'
                && x.stride(1) == 1 && x.stride(0) == width[0] && x.size(0) <= Integer.MAX_VALUE;
    }

    /**
     * Computes the batch's loss gradient into the graph's flattened gradient array (summed over the rows).
     *
     * @param in     the input rows {@code [rows, nIn]} (possibly corrupted)
     * @param target the rows to reconstruct, same shape
     * @return the batch's score, as DL4J's {@code graph.score()} reports it after {@code fit}
     * @throws IllegalArgumentException when the rows' shape does not match the chain
     */
    double computeGradientAndScore(INDArray in, INDArray target) {
        if (in.rank() != 2 || in.size(1) != width[0] || !java.util.Arrays.equals(in.shape(), target.shape())) {
            throw new IllegalArgumentException("expected rows of width " + width[0] + ", got " + in.shapeInfoToString());
        }
        INDArray x = direct(in) ? in : in.castTo(DataType.FLOAT).dup('c');
        INDArray y = direct(target) ? target : target.castTo(DataType.FLOAT).dup('c');
        int rows = (int) x.size(0);
        ensureCapacity(rows);
        graph.getUpdater();   // as fit() does on its first call: creates the updater and the flat gradient array
        INDArray params = graph.params();
        INDArray grads = graph.getFlattenedGradients();
        FloatPointer p = pointer(params);
        FloatPointer g = pointer(grads);
        FloatPointer xp = pointer(x);
        FloatBuffer pBuf = buffer(params);
        FloatBuffer yBuf = buffer(y);
        int layers = act.length;
        // forward: a[l + 1] = act(a[l] W + b)
        for (int l = 0; l < layers; l++) {
            int nIn = width[l];
            int nOut = width[l + 1];
            FloatPointer prev = l == 0 ? xp : a[l];
            openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasTrans, rows, nOut, nIn,
                    1f, prev, nIn, at(p, wOffset[l]), nIn, 0f, a[l + 1], nOut);
            int len = rows * nOut;
            aBuf[l + 1].get(0, heapA[l + 1], 0, len);
            pBuf.get((int) bOffset[l], bias, 0, nOut);
            biasAndActivation(heapA[l + 1], bias, rows, nOut, act[l]);
            aBuf[l + 1].put(0, heapA[l + 1], 0, len);
        }
        // the loss layer: score and d[L] = 2 (o - y) / nOut * o'(z) * act'(a[L]), o = outAct(a[L])
        int out = width[layers];
        yBuf.get(0, heapD, 0, rows * out);
        double score = lossGradient(heapA[layers], heapD, heapD, rows * out, out, act[layers - 1]);
        dBuf[layers].put(0, heapD, 0, rows * out);
        // backward: dW^T = d^T a (W's 'f' layout is W^T row-major), db = d^T 1, d[l] = (d[l + 1] W^T) * act'(a[l])
        for (int l = layers - 1; l >= 0; l--) {
            int nIn = width[l];
            int nOut = width[l + 1];
            FloatPointer prev = l == 0 ? xp : a[l];
            openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasTrans, openblas.CblasNoTrans, nOut, nIn, rows,
                    1f, d[l + 1], nOut, prev, nIn, 0f, at(g, wOffset[l]), nIn);
            openblas.cblas_sgemv(openblas.CblasRowMajor, openblas.CblasTrans, rows, nOut, 1f, d[l + 1], nOut, ones, 1,
                    0f, at(g, bOffset[l]), 1);
            if (l > 0) {
                openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, rows, nIn,
                        nOut, 1f, d[l + 1], nOut, at(p, wOffset[l]), nIn, 0f, d[l], nIn);
                dBuf[l].get(0, heapD, 0, rows * nIn);
                timesDerivative(heapD, heapA[l], rows * nIn, act[l - 1]);
                dBuf[l].put(0, heapD, 0, rows * nIn);
            }
        }
        return score / rows;
    }

    /** z += b per row, then the activation, in place over {@code rows x n} values of a heap copy. */
    private static void biasAndActivation(float[] z, float[] b, int rows, int n, DenseActivation f) {
        for (int r = 0, o = 0; r < rows; r++, o += n) {
            switch (f) {
                case IDENTITY -> {
                    for (int j = 0; j < n; j++) {
                        z[o + j] += b[j];
                    }
                }
                case RELU -> {
                    for (int j = 0; j < n; j++) {
                        z[o + j] = Math.max(z[o + j] + b[j], 0f);
                    }
                }
                default -> {
                    for (int j = 0; j < n; j++) {
                        z[o + j] = f.apply(z[o + j] + b[j]);
                    }
                }
            }
        }
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
        int n = act.length;
        a = new FloatPointer[n + 1];
        d = new FloatPointer[n + 1];
        aBuf = new FloatBuffer[n + 1];
        dBuf = new FloatBuffer[n + 1];
        for (int l = 1; l <= n; l++) {
            a[l] = new FloatPointer((long) rows * width[l]);
            d[l] = new FloatPointer((long) rows * width[l]);
            aBuf[l] = a[l].asBuffer();
            dBuf[l] = d[l].asBuffer();
        }
        heapA = new float[n + 1][];
        int widest = 0;
        for (int l = 1; l <= n; l++) {
            heapA[l] = new float[Math.multiplyExact(rows, width[l])];
            widest = Math.max(widest, width[l]);
        }
        heapD = new float[Math.multiplyExact(rows, Math.max(widest, width[0]))];
        bias = new float[widest];
        ones = new FloatPointer((long) rows);
        for (int i = 0; i < rows; i++) {
            ones.put(i, 1f);
        }
        capacity = rows;
    }

    /** A pointer to an array's first element (through its direct buffer, as {@link #buffer} finds it). */
    private static FloatPointer pointer(INDArray arr) {
        return new FloatPointer(buffer(arr));
    }

    /** A pointer {@code offset} floats past {@code p}. */
    private static FloatPointer at(FloatPointer p, long offset) {
        return new FloatPointer(p).position(offset);
    }

    /** The array's values from its first element, as a direct float buffer. */
    private static FloatBuffer buffer(INDArray arr) {
        FloatBuffer b = arr.data().asNioFloat();
        b.position(Math.toIntExact(arr.offset()));
        return b.slice();
    }
}
