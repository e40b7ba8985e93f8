package io.github.ae4j.core;

import io.github.ae4j.core.internal.GraphPool;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reconstruction errors of a row or a few rows of a chain of small dense layers computed in plain Java,
 * with no ND4J op at all: for one row every ND4J op costs 7-30 us from Java on 2 cores, and the dense
 * reference net needs ~20 of them per call (a matrix product, a bias row and an activation per layer,
 * then the error), while its whole forward pass is ~0.4 M multiply-adds. The weights are copied once
 * into row-major Java arrays when the chain of a graph replica is built (the replicas' parameters do
 * not change after the model is built); each layer is a loop of {@code out += x_i * W[i, :]} that the
 * JIT compiles to vector instructions, skipping the inputs a ReLU zeroed. Errors follow the same
 * definitions as {@link FusedErrors} (within float rounding of the batch path: a test compares
 * them). Buffers are preallocated: one instance serves one thread at a time (one per replica, through
 * {@link GraphPool}).
 */
final class JavaChain {

    /** Up to this many rows the Java path is used (beyond, ND4J's matrix products win). */
    static final int MAX_ROWS = 4;

    private final float[][] weights;   // per layer: [nIn * nOut], row-major (W[i, j] at i * nOut + j); null: activation only
    private final float[][] biases;
    private final int[] nIn;
    private final int[] nOut;
    private final DenseActivation[] acts;
    private final float[][] buffers;   // per layer output

    private JavaChain(int layers) {
        weights = new float[layers][];
        biases = new float[layers][];
        nIn = new int[layers];
        nOut = new int[layers];
        acts = new DenseActivation[layers];
        buffers = new float[layers][];
    }

    /**
     * The Java chain of a graph replica's layers, or null unless every layer is a dense layer (DL4J's
     * or {@link io.github.ae4j.core.layers.NativeDense}) with a bias, no layer normalisation, an
     * activation of {@link DenseActivation} (identity, plain ReLU, ELU, sigmoid, tanh), no preprocessor,
     * and float parameters (a loss layer at the end, with one of those activations, is applied as its
     * activation).
     */
    static JavaChain of(List<Layer> layers, List<InputPreProcessor> pre) {
        JavaChain c = new JavaChain(layers.size());
        int prevOut = -1;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            if (i == layers.size() - 1 && i > 0 && pre.get(i) == null && l instanceof org.deeplearning4j.nn.layers.LossLayer
                    && l.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.LossLayer ll
                    && DenseActivation.of(ll.getActivationFn()) != null) {
                // a loss layer at the end (a graph cut at the reconstruction vertex): its activation only
                c.acts[i] = DenseActivation.of(ll.getActivationFn());
                c.nIn[i] = prevOut;
                c.nOut[i] = prevOut;
                c.buffers[i] = new float[prevOut];
                continue;
            }
            if (pre.get(i) != null || !(l instanceof org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer)
                    || !(l.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.DenseLayer d)
                    || !d.hasBias() || d.hasLayerNorm()) {
                return null;
            }
            DenseActivation a = DenseActivation.of(d.getActivationFn());
            INDArray w = l.getParam(DefaultParamInitializer.WEIGHT_KEY);
            INDArray b = l.getParam(DefaultParamInitializer.BIAS_KEY);
            if (a == null || w == null || b == null || w.rank() != 2 || w.dataType() != DataType.FLOAT
                    || (prevOut >= 0 && w.size(0) != prevOut) || w.length() > Integer.MAX_VALUE / 2) {
                return null;
            }
            c.nIn[i] = (int) w.size(0);
            c.nOut[i] = (int) w.size(1);
            c.weights[i] = w.dup('c').data().asFloat();
            c.biases[i] = b.dup('c').data().asFloat();
            c.acts[i] = a;
            c.buffers[i] = new float[c.nOut[i]];
            prevOut = c.nOut[i];
        }
        return layers.isEmpty() ? null : c;
    }

    /** @return whether {@link #error} computes this loss after this decoder output activation */
    static boolean supports(ReconstructionLoss loss, Activation decoderActivation) {
        return (loss == ReconstructionLosses.mse() && decoderActivation == Activation.IDENTITY)
                || (loss == ReconstructionLosses.mae() && decoderActivation == Activation.IDENTITY)
                || (loss == ReconstructionLosses.mseSigmoid() && decoderActivation == Activation.SIGMOID)
                || (loss == ReconstructionLosses.binaryCrossEntropy() && decoderActivation == Activation.SIGMOID);
    }

    /** @return the input width */
    int inputSize() {
        return nIn[0];
    }

    /**
     * The reconstruction error of one normalised row.
     *
     * @param x    the normalised row ({@link #inputSize()} values; not modified)
     * @param loss a loss {@link #supports} accepts with the decoder activation
     * @return the error, averaged over the features
     */
    double error(float[] x, ReconstructionLoss loss) {
        float[] in = x;
        for (int l = 0; l < weights.length; l++) {
            float[] out = buffers[l];
            float[] w = weights[l];
            int n = out.length;
            if (w == null) {
                System.arraycopy(in, 0, out, 0, n);   // an activation-only step
            } else {
                System.arraycopy(biases[l], 0, out, 0, n);
            }
            for (int i = 0, base = 0; w != null && i < in.length; i++, base += n) {
                float xi = in[i];
                if (xi == 0f) {
                    continue;
                }
                for (int j = 0; j < n; j++) {
                    out[j] += xi * w[base + j];
                }
            }
            DenseActivation f = acts[l];
            if (f == DenseActivation.RELU) {
                for (int j = 0; j < n; j++) {
                    out[j] = Math.max(out[j], 0f);
                }
            } else if (f != DenseActivation.IDENTITY) {
                for (int j = 0; j < n; j++) {
                    out[j] = f.apply(out[j]);
                }
            }
            in = out;
        }
        return rowError(x, in, loss);
    }

    /**
     * Per-row errors of many rows by {@link #rowError}: what {@link FusedErrors#perRow} computes, without its ND4J
     * ops (each leaves native garbage for the collector and costs a call; a conv autoencoder's binary cross-entropy
     * was ~12 ops per call).
     *
     * @param x    normalised rows {@code [n, f]}
     * @param z    the decoder's pre-activation output, same shape
     * @param loss a loss {@link #supports} accepts with the decoder activation
     * @return the errors as a float vector of length n (in the current workspace, if any)
     */
    static INDArray rowErrors(INDArray x, INDArray z, ReconstructionLoss loss) {
        INDArray xc = plain(x) ? x : x.castTo(DataType.FLOAT).dup('c');
        INDArray zc = plain(z) ? z : z.castTo(DataType.FLOAT).dup('c');
        int n = (int) xc.size(0);
        int f = (int) xc.size(1);
        java.nio.FloatBuffer xb = xc.data().asNioFloat();
        java.nio.FloatBuffer zb = zc.data().asNioFloat();
        int xo = (int) xc.offset();
        int zo = (int) zc.offset();
        float[] xr = new float[f];
        float[] zr = new float[f];
        float[] out = new float[n];
        for (int r = 0; r < n; r++) {
            xb.get(xo + r * f, xr, 0, f);
            zb.get(zo + r * f, zr, 0, f);
            out[r] = (float) rowError(xr, zr, loss);
        }
        return Nd4j.createFromArray(out);
    }

    private static boolean plain(INDArray a) {
        return a.dataType() == DataType.FLOAT && a.rank() == 2 && a.ordering() == 'c' && a.stride(1) == 1
                && a.stride(0) == a.size(1) && a.length() < Integer.MAX_VALUE;
    }

    /**
     * The sum of squared (or absolute) differences in eight float partial sums, added up in double: one chain of
     * dependent double additions was ~1 us per 784-value row, eight float chains run ~0.4 us (each sums about a
     * hundred terms of a 784-value row, so the float rounding stays near 1e-6 relative). Infinite or NaN when a
     * value is, or when a partial sum overflows the float range.
     */
    private static double floatSums(float[] x, float[] z, boolean square) {
        int f = x.length;
        float a0 = 0;
        float a1 = 0;
        float a2 = 0;
        float a3 = 0;
        float a4 = 0;
        float a5 = 0;
        float a6 = 0;
        float a7 = 0;
        int j = 0;
        for (; j + 7 < f; j += 8) {
            float d0 = x[j] - z[j];
            float d1 = x[j + 1] - z[j + 1];
            float d2 = x[j + 2] - z[j + 2];
            float d3 = x[j + 3] - z[j + 3];
            float d4 = x[j + 4] - z[j + 4];
            float d5 = x[j + 5] - z[j + 5];
            float d6 = x[j + 6] - z[j + 6];
            float d7 = x[j + 7] - z[j + 7];
            if (square) {
                a0 += d0 * d0;
                a1 += d1 * d1;
                a2 += d2 * d2;
                a3 += d3 * d3;
                a4 += d4 * d4;
                a5 += d5 * d5;
                a6 += d6 * d6;
                a7 += d7 * d7;
            } else {
                a0 += Math.abs(d0);
                a1 += Math.abs(d1);
                a2 += Math.abs(d2);
                a3 += Math.abs(d3);
                a4 += Math.abs(d4);
                a5 += Math.abs(d5);
                a6 += Math.abs(d6);
                a7 += Math.abs(d7);
            }
        }
        double s = ((double) a0 + a1) + ((double) a2 + a3) + ((double) a4 + a5) + ((double) a6 + a7);
        for (; j < f; j++) {
            double d = (double) x[j] - z[j];
            s += square ? d * d : Math.abs(d);
        }
        return s;
    }

    /** The errors of {@link FusedErrors}, in double over float inputs; z is the decoder's pre-activation output. */
    static double rowError(float[] x, float[] z, ReconstructionLoss loss) {
        int f = x.length;
        double s = 0;
        if (loss == ReconstructionLosses.mse() || loss == ReconstructionLosses.mae()) {
            double fast = floatSums(x, z, loss == ReconstructionLosses.mse());
            if (Double.isFinite(fast)) {
                return fast / f;
            }
            // a non-finite value, or a float sum that overflowed: the exact sum in double says which
            boolean square = loss == ReconstructionLosses.mse();
            for (int j = 0; j < f; j++) {
                double d = (double) x[j] - z[j];
                s += square ? d * d : Math.abs(d);
            }
        } else if (loss == ReconstructionLosses.mseSigmoid()) {
            for (int j = 0; j < f; j++) {
                double d = x[j] - (double) (float) (1 / (1 + Math.exp(-z[j])));
                s += d * d;
            }
        } else {
            // the Bernoulli KL of ReconstructionLosses.binaryCrossEntropy() from the logits, with FusedErrors' clips
            for (int j = 0; j < f; j++) {
                double t = Math.min(Math.max(x[j], T_MIN), T_MAX);
                double zz = Math.min(Math.max(z[j], LOGIT_MIN), LOGIT_MAX);
                double softplus = zz > 0 ? zz + Math.log1p(Math.exp(-zz)) : Math.log1p(Math.exp(zz));
                s += t * Math.log(t) + (1 - t) * Math.log(1 - t) - t * zz + softplus;
            }
        }
        return s / f;
    }

    private static final double T_MIN = (float) ReconstructionLosses.EPS;
    private static final double T_MAX = (float) (1 - ReconstructionLosses.EPS);
    private static final double LOGIT_MIN = Math.log(T_MIN / (1 - T_MIN));
    private static final double LOGIT_MAX = Math.log(T_MAX / (1 - T_MAX));
}
