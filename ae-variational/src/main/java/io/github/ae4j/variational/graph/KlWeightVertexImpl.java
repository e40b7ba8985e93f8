package io.github.ae4j.variational.graph;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Runtime of {@link KlWeightVertex}: appends the KL weight as a last column.
 */
// "try": DL4J's workspace scopes are opened for their side effect; "overrides": setInputs varargs come
// from DL4J's BaseGraphVertex
@SuppressWarnings({"try", "overrides"})
public class KlWeightVertexImpl extends ParameterFreeVertexImpl {

    /** The configured weight of the KL term. */
    private final double beta;
    /** The factor applied to beta in training passes. */
    private volatile double warmupFactor = 1.0;

    /**
     * Creates the runtime vertex.
     *
     * @param graph       the graph
     * @param name        the vertex name
     * @param vertexIndex the vertex index
     * @param dataType    the network's data type
     * @param beta        the configured KL weight
     */
    public KlWeightVertexImpl(ComputationGraph graph, String name, int vertexIndex, DataType dataType, double beta) {
        super(graph, name, vertexIndex, dataType);
        this.beta = beta;
    }

    /**
     * Scales the KL weight used in training passes (a warm-up schedule); inference passes always use
     * the configured weight. Not stored: a copied, saved or loaded graph starts at 1.
     *
     * @param factor the factor, in [0, 1]
     */
    public void setWarmupFactor(double factor) {
        if (!(factor >= 0 && factor <= 1)) {
            throw new IllegalArgumentException("warm-up factor must be in [0, 1], got " + factor);
        }
        this.warmupFactor = factor;
    }

    /** @return the current warm-up factor */
    public double warmupFactor() {
        return warmupFactor;
    }

    /** @return the configured KL weight (beta) */
    public double beta() {
        return beta;
    }

    /**
     * The KL weight a pass uses.
     *
     * @param training whether the pass is a training pass
     * @return {@code beta * warmupFactor} in training, {@code beta} otherwise
     */
    public double effectiveBeta(boolean training) {
        return training ? beta * warmupFactor : beta;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        requireForward();
        INDArray in = inputs[0];
        long n = in.size(1);
        try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATIONS)) {
            INDArray out = Nd4j.createUninitialized(in.dataType(), in.size(0), n + 1);
            out.get(NDArrayIndex.all(), NDArrayIndex.interval(0, n)).assign(in);
            out.get(NDArrayIndex.all(), NDArrayIndex.point(n)).assign(effectiveBeta(training));
            return out;
        }
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        requireBackward();
        long n = inputs[0].size(1);
        try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATION_GRAD)) {
            INDArray grad = epsilon.get(NDArrayIndex.all(), NDArrayIndex.interval(0, n)).dup('c');
            return new Pair<>(null, new INDArray[] {grad});
        }
    }

    @Override
    public String toString() {
        return "KlWeightVertexImpl(name=\"" + vertexName + "\", beta=" + beta + ", warmup=" + warmupFactor + ")";
    }
}
