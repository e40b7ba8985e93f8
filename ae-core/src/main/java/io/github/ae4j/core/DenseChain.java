package io.github.ae4j.core;

import io.github.ae4j.core.internal.NativeArrays;
import io.github.ae4j.core.internal.Sgemm;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A graph that is a chain of plain dense layers (DL4J's or {@link io.github.ae4j.core.layers.NativeDense}: bias,
 * no layer normalisation, weight noise or dropout, an activation of {@link DenseActivation}), optionally ending in
 * a loss layer, with its weights and biases located in the graph's flat parameter array, and its forward pass on
 * {@link Sgemm} over caller-owned buffers. Shared by the training step ({@link DenseChainStep}) and batch scoring
 * ({@link DenseChainScorer}). Same definitions as DL4J's layers: {@code z = a W + b}, {@code W [nIn, nOut]} in
 * DL4J's 'f' order (so its memory is {@code W^T} row-major, which the products read with a transpose).
 */
final class DenseChain {

    final int[] width;              // width[0]: input; width[l + 1]: output of dense layer l
    final DenseActivation[] act;    // per dense layer
    final long[] wOffset;           // per dense layer: W and b in the flat parameters
    final long[] bOffset;
    /** The trailing loss layer, or null when the chain ends at a dense layer. */
    final Layer lossLayer;
    /** The loss layer's activation (null without one, or when {@link DenseActivation} does not cover it). */
    final DenseActivation lossActivation;

    private DenseChain(int[] width, DenseActivation[] act, long[] wOffset, long[] bOffset, Layer lossLayer,
                       DenseActivation lossActivation) {
        this.width = width;
        this.act = act;
        this.wOffset = wOffset;
        this.bOffset = bOffset;
        this.lossLayer = lossLayer;
        this.lossActivation = lossActivation;
    }

    /**
     * The chain of a graph, or null when it is anything else, when its parameters are not float, or when no native
     * matrix product library is loaded ({@link Sgemm#available()}).
     *
     * @param graph an initialised graph
     * @return the chain, or null
     */
    static DenseChain of(ComputationGraph graph) {
        if (!Sgemm.available()) {
            return null;
        }
        INDArray params = graph.params();
        if (params == null || params.dataType() != DataType.FLOAT || !flat(params)) {
            return null;
        }
        List<LayerVertex> chain = LayerChain.vertices(graph);
        if (chain == null) {
            return null;
        }
        List<Layer> dense = new ArrayList<>();
        Layer loss = null;
        for (LayerVertex v : chain) {
            Layer l = v.getLayer();
            if (loss != null || v.getLayerPreProcessor() != null) {
                return null;
            }
            if (l instanceof org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer
                    && l.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.DenseLayer c
                    && c.hasBias() && !c.hasLayerNorm() && c.getWeightNoise() == null && c.getIDropout() == null
                    && DenseActivation.of(c.getActivationFn()) != null) {
                dense.add(l);
            } else if (l instanceof org.deeplearning4j.nn.layers.LossLayer && !dense.isEmpty()
                    && l.conf().getLayer() instanceof LossLayer c && c.getIDropout() == null) {
                loss = l;
            } else {
                return null;
            }
        }
        if (dense.isEmpty()) {
            return null;
        }
        int n = dense.size();
        int[] width = new int[n + 1];
        DenseActivation[] act = new DenseActivation[n];
        long[] wOff = new long[n];
        long[] bOff = new long[n];
        long base = NativeArrays.pointer(params).address();
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
            wOff[l] = (NativeArrays.pointer(w).address() - base) / 4;
            bOff[l] = (NativeArrays.pointer(b).address() - base) / 4;
            if (wOff[l] < 0 || wOff[l] + (long) nIn * nOut > params.length() || bOff[l] < 0 || bOff[l] + nOut > params.length()) {
                return null;
            }
        }
        DenseActivation lossAct = loss == null ? null : DenseActivation.of(((LossLayer) loss.conf().getLayer()).getActivationFn());
        return new DenseChain(width, act, wOff, bOff, loss, lossAct);
    }

    /** @return the number of dense layers */
    int layers() {
        return act.length;
    }

    static boolean flat(INDArray a) {
        return a.isVector() && (a.length() == 1 || a.elementWiseStride() == 1) && a.length() < Integer.MAX_VALUE;
    }

    /** @return whether the rows can be read in place: float, row-major and contiguous, of the input width */
    boolean direct(INDArray x) {
        return x.dataType() == DataType.FLOAT && x.rank() == 2 && x.size(1) == width[0] && x.ordering() == 'c'
                && x.stride(1) == 1 && x.stride(0) == width[0] && x.size(0) <= Integer.MAX_VALUE;
    }

    /**
     * The forward pass {@code a[l + 1] = act(a[l] W + b)} of every dense layer over {@code rows} rows: the product
     * into the layer's buffer, then bias and activation on a heap copy ({@code heap[l + 1]}, which the backward pass
     * reads) written back for the next layer; the last layer's output stays on the heap only.
     *
     * @param params the graph's flat parameters
     * @param x      the input rows, {@code [rows, width[0]]} row-major
     * @param rows   the number of rows (at most the buffers' capacity)
     * @param a      per layer {@code l + 1}: its output buffer, {@code rows * width[l + 1]} floats
     * @param heap   per layer {@code l + 1}: a heap array of the same size
     */
    void forward(INDArray params, FloatPointer x, int rows, FloatPointer[] a, float[][] heap) {
        FloatPointer p = NativeArrays.pointer(params);
        FloatBuffer pBuf = NativeArrays.buffer(params);
        int n = layers();
        for (int l = 0; l < n; l++) {
            int nIn = width[l];
            int nOut = width[l + 1];
            Sgemm.gemm(false, true, rows, nOut, nIn, l == 0 ? x : a[l], nIn, NativeArrays.at(p, wOffset[l]), nIn, 0f, a[l + 1], nOut);
            FloatBuffer out = a[l + 1].position(0).asBuffer();
            float[] h = heap[l + 1];
            float[] bias = new float[nOut];
            pBuf.get((int) bOffset[l], bias, 0, nOut);
            int len = rows * nOut;
            out.get(0, h, 0, len);
            biasAndActivation(h, bias, rows, nOut, act[l]);
            if (l < n - 1) {
                out.put(0, h, 0, len);
            }
        }
    }

    /** z += b per row, then the activation, in place over {@code rows x n} values. */
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
}
