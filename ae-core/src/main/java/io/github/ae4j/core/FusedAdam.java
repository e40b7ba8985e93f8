package io.github.ae4j.core;

import io.github.ae4j.core.internal.Halves;
import io.github.ae4j.core.internal.NativeArrays;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Trainable;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.stepfunctions.NegativeGradientStepFunction;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

/**
 * One training step of a {@link ComputationGraph} whose parameters all use plain {@link Adam}: DL4J's
 * forward and backward pass, then the whole parameter update (division by the mini-batch size, Adam,
 * {@code params -= update}) in one Java pass over the flat arrays, instead of DL4J's three libnd4j ops
 * over the whole parameter array ({@code div_scalar}, {@code adam_updater}, {@code subtract}) and its
 * per-parameter bookkeeping. Measured on the reference dense autoencoder (784-256-64-16-64-256-784,
 * 437,664 parameters, batch 128, this project's 2-core VM): those were ~33% of the wall time of
 * {@code graph.fit} (JFR samples: {@code adam_updater} 23%, the step function's subtraction 5.5%,
 * regularisation bookkeeping 3.5%, the division 1.6%); the op alone took 2.3-4.7 ms per call (its
 * views mix 'c' and 'f' orders, which sends it down its per-element index path); the fused loop takes
 * ~0.3 ms of CPU (vectorised by the JIT) plus ~0.5 ms of bulk copies. PyTorch's Adam takes ~0.5 ms on
 * the same parameters.
 *
 * <p>Same state as DL4J's updater (the moments stay in its updater-state view arrays, so saving,
 * loading, cloning and continued training see what the stock updater keeps), same iteration count
 * (incremented as {@code fit} does), same formula and float evaluation order as libnd4j's op:
 * {@code g /= batch}, {@code m = b1 m + (1 - b1) g}, {@code v = b2 v + (1 - b2) g^2},
 * {@code p -= m a_t / (sqrt(v) + eps)} with {@code a_t = lr sqrt(1 - b2^t) / (1 - b1^t)}. Results may
 * differ from the op in the last bit where its compiler fused a multiply-add. {@link #of} returns null
 * for anything it does not cover (another updater, regularisation, gradient normalisation, constraints,
 * listeners, parameters not divided by the batch size, double precision, truncated BPTT): callers then
 * use {@code graph.fit}.
 */
final class FusedAdam {

    /** Blocks of at least this many parameters are updated in two halves on two threads ({@link Halves}). */
    static final int PARALLEL_VALUES = 1 << 16;

    private final ComputationGraph graph;
    private final List<Block> blocks;
    private float[] g = new float[0];   // one block's gradient, parameters and moments, from index 0
    private float[] p = new float[0];
    private float[] m = new float[0];
    private float[] v = new float[0];
    /** Between {@link #beginEpoch()} and {@link #endEpoch()}: p, m and v hold the current values at their flat offsets. */
    private boolean resident;

    /** One DL4J updater block: a contiguous range of the flat parameters with its Adam moments. */
    private record Block(int from, int to, Adam config, INDArray m, INDArray v) {
    }

    private FusedAdam(ComputationGraph graph, List<Block> blocks) {
        this.graph = graph;
        this.blocks = blocks;
    }

    /**
     * The fused step for this graph, or null when it does not cover the graph's training configuration.
     *
     * @param graph an initialised graph
     * @return the step, or null
     */
    static FusedAdam of(ComputationGraph graph) {
        var conf = graph.getConfiguration();
        var global = conf.getDefaultConfiguration();
        if (graph.getListeners() != null && !graph.getListeners().isEmpty()
                || conf.getBackpropType() != BackpropType.Standard || !global.isMiniBatch()
                || global.getStepFunction() != null && !(global.getStepFunction() instanceof NegativeGradientStepFunction)
                || !dense(graph.params(), graph.params().length())) {
            return null;
        }
        for (Layer l : graph.getLayers()) {
            var lc = l.conf() == null ? null : l.conf().getLayer();
            if (lc == null || lc.getConstraints() != null && !lc.getConstraints().isEmpty()) {
                return null;
            }
        }
        ComputationGraphUpdater u = graph.getUpdater();
        INDArray grads = graph.getFlattenedGradients();
        if (u == null || grads == null || !dense(grads, graph.params().length())) {
            return null;
        }
        List<Block> blocks = new ArrayList<>();
        int end = 0;
        for (UpdaterBlock b : u.getUpdaterBlocks()) {
            GradientUpdater<?> gu = b.getGradientUpdater();
            if (gu == null || gu.getClass() != AdamUpdater.class || gu.getConfig().getClass() != Adam.class) {
                return null;
            }
            for (UpdaterBlock.ParamState ps : b.getLayersAndVariablesInBlock()) {
                Trainable t = ps.getLayer();
                String name = ps.getParamName();
                var tc = t.getConfig();
                GradientNormalization gn = tc.getGradientNormalization();
                if (!t.updaterDivideByMinibatch(name) || tc.isPretrainParam(name)
                        || tc.getRegularizationByParam(name) != null && !tc.getRegularizationByParam(name).isEmpty()
                        || gn != null && gn != GradientNormalization.None) {
                    return null;
                }
            }
            int n = b.getParamOffsetEnd() - b.getParamOffsetStart();
            AdamUpdater a = (AdamUpdater) gu;
            if (b.getParamOffsetStart() != end || !dense(a.getM(), n) || !dense(a.getV(), n)) {
                return null;
            }
            blocks.add(new Block(b.getParamOffsetStart(), b.getParamOffsetEnd(), (Adam) a.getConfig(), a.getM(), a.getV()));
            end = b.getParamOffsetEnd();
        }
        return end == graph.params().length() && !blocks.isEmpty() ? new FusedAdam(graph, blocks) : null;
    }

    private static boolean dense(INDArray a, long length) {
        return a != null && a.dataType() == DataType.FLOAT && a.length() == length && length < Integer.MAX_VALUE
                && length > 0 && (length == 1 || a.elementWiseStride() == 1) && (a.isVector() || a.length() == 1);
    }

    /**
     * One training step on a mini-batch, as {@code graph.fit(inputs, labels, null, labelMasks)} does it.
     *
     * @param inputs     the inputs
     * @param labels     the labels
     * @param labelMasks label masks, or null
     * @return the score of the batch (what {@code graph.score()} reports after {@code fit})
     */
    double fit(INDArray[] inputs, INDArray[] labels, INDArray[] labelMasks) {
        graph.setInputs(inputs);
        graph.setLabels(labels);
        if (labelMasks != null) {
            graph.setLayerMaskArrays(null, labelMasks);
        }
        graph.computeGradientAndScore();
        double score = graph.score();
        apply((int) inputs[0].size(0));
        if (labelMasks != null) {
            graph.clearLayerMaskArrays();
        }
        graph.clearLayersStates();
        return score;
    }

    /**
     * The update for a gradient already in the graph's flattened gradient array (summed over the batch, as
     * DL4J's backward pass leaves it; {@link DenseChainStep} writes it there), counted as one iteration.
     *
     * @param batch the number of rows the gradient was summed over
     */
    void apply(int batch) {
        var conf = graph.getConfiguration();
        int iteration = conf.getIterationCount();
        update(batch, iteration, conf.getEpochCount());
        conf.setIterationCount(iteration + 1);
    }

    /**
     * Keeps the parameters and both moments in Java arrays from now until {@link #endEpoch()}: each step then
     * copies only the gradient in and the parameters out (the moments stay where the loop left them), instead of
     * copying all four arrays in and three out. Call it where nothing else changes the graph's parameters or
     * updater state until {@code endEpoch} (the trainer: around an epoch's batches); calling it again reloads them.
     */
    void beginEpoch() {
        int n = Math.toIntExact(graph.params().length());
        if (p.length < n) {
            g = new float[n];
            p = new float[n];
            m = new float[n];
            v = new float[n];
        }
        NativeArrays.buffer(graph.params(), 0).get(0, p, 0, n);
        for (Block b : blocks) {
            NativeArrays.buffer(b.m(), 0).get(0, m, b.from(), b.to() - b.from());
            NativeArrays.buffer(b.v(), 0).get(0, v, b.from(), b.to() - b.from());
        }
        resident = true;
    }

    /** Writes the moments back to DL4J's updater state and ends {@link #beginEpoch()}'s mode. */
    void endEpoch() {
        if (!resident) {
            return;
        }
        resident = false;
        for (Block b : blocks) {
            NativeArrays.buffer(b.m(), 0).put(0, m, b.from(), b.to() - b.from());
            NativeArrays.buffer(b.v(), 0).put(0, v, b.from(), b.to() - b.from());
        }
    }

    private void update(int batch, int iteration, int epoch) {
        FloatBuffer grads = NativeArrays.buffer(graph.getFlattenedGradients(), 0);
        FloatBuffer params = NativeArrays.buffer(graph.params(), 0);
        for (Block b : blocks) {
            int len = b.to() - b.from();
            Adam c = b.config();
            // the op's scalars in its types: T = float, with the double literals it mixes in
            float lr = (float) c.getLearningRate(iteration, epoch);
            float beta1 = (float) c.getBeta1();
            float beta2 = (float) c.getBeta2();
            float eps = (float) c.getEpsilon();
            if (eps == 0f) {
                eps = 1e-7f;
            }
            float it = iteration;
            float beta1T = (float) Math.pow(beta1, it + 1);
            float beta2T = (float) Math.pow(beta2, it + 1);
            float alphaT = (float) ((lr * (float) Math.sqrt((float) (1.0 - beta2T))) / (1.0 - beta1T));
            if (Float.isNaN(alphaT) || alphaT == 0f || Float.isInfinite(alphaT)) {
                alphaT = eps;
            }
            if (resident) {
                // the same index into all four arrays: what lets the JIT vectorise the loop; large blocks in two
                // halves on two threads (reference dense net, 437,664 parameters, oneDNN's products: 0.27-0.39 against
                // 0.43-0.55 ms per step, alternating in one process; in an earlier session, with OpenBLAS's spinning
                // threads competing for the cores, two threads were slower). Splitting the gradient's Java passes
                // the same way gained nothing (2.42-2.73 against 2.33-2.56 ms): too small for the hand-off.
                int from = b.from();
                if (Halves.PARALLEL && len >= PARALLEL_VALUES) {
                    int half = len / 2;
                    float a = alphaT;
                    float e = eps;
                    Halves.both(() -> residentStep(grads.duplicate(), params.duplicate(), from, from + half, batch,
                                    beta1, beta2, a, e),
                            () -> residentStep(grads.duplicate(), params.duplicate(), from + half, from + len, batch,
                                    beta1, beta2, a, e));
                } else {
                    residentStep(grads, params, from, from + len, batch, beta1, beta2, alphaT, eps);
                }
            } else {
                if (g.length < len) {
                    g = new float[len];
                    p = new float[len];
                    m = new float[len];
                    v = new float[len];
                }
                // each block's values copied to the start of the heap arrays: one index for all four arrays is
                // what lets the JIT vectorise the loop (with g[off + i] next to m[i] it did not: 1.45 ms against
                // 0.29 ms per call on 437,664 values)
                grads.get(b.from(), g, 0, len);
                params.get(b.from(), p, 0, len);
                NativeArrays.buffer(b.m(), 0).get(0, m, 0, len);
                NativeArrays.buffer(b.v(), 0).get(0, v, 0, len);
                step(g, p, m, v, 0, len, batch, beta1, beta2, alphaT, eps);
                params.put(b.from(), p, 0, len);
                NativeArrays.buffer(b.m(), 0).put(0, m, 0, len);
                NativeArrays.buffer(b.v(), 0).put(0, v, 0, len);
            }
        }
    }

    /**
     * {@link #step} over the resident arrays' {@code [from, to)}: the gradient copied in first and the parameters
     * out after; always true.
     */
    private boolean residentStep(FloatBuffer grads, FloatBuffer params, int from, int to, int batch, float beta1,
                                 float beta2, float alphaT, float eps) {
        grads.get(from, g, from, to - from);
        step(g, p, m, v, from, to, batch, beta1, beta2, alphaT, eps);
        params.put(from, p, from, to - from);
        return true;
    }

    /** The elementwise update over {@code [from, to)} of the four arrays, in one pass. */
    static void step(float[] g, float[] p, float[] m, float[] v, int from, int to, int batch, float beta1, float beta2,
                     float alphaT, float eps) {
        float ob1 = 1 - beta1;
        float ob2 = 1 - beta2;
        float fb = batch;
        for (int i = from; i < to; i++) {
            float gi = g[i] / fb;
            float mi = beta1 * m[i] + gi * ob1;
            float vi = beta2 * v[i] + gi * gi * ob2;
            m[i] = mi;
            v[i] = vi;
            p[i] = p[i] - mi * alphaT / ((float) Math.sqrt(vi) + eps);
        }
    }
}
