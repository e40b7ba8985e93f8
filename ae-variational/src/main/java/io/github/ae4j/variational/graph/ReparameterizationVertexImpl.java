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
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Runtime of {@link ReparameterizationVertex}: {@code z = mu + exp(logVar / 2) * eps} in training,
 * {@code z = mu} at inference.
 */
// "try": DL4J's workspace scopes are opened for their side effect; "overrides": setInputs varargs come
// from DL4J's BaseGraphVertex
@SuppressWarnings({"try", "overrides"})
public class ReparameterizationVertexImpl extends ParameterFreeVertexImpl {

    /** The noise of the last training forward pass, kept (outside any workspace) for the backward pass. */
    private INDArray eps;

    /**
     * Creates the runtime vertex.
     *
     * @param graph       the graph
     * @param name        the vertex name
     * @param vertexIndex the vertex index
     * @param dataType    the network's data type
     */
    public ReparameterizationVertexImpl(ComputationGraph graph, String name, int vertexIndex, DataType dataType) {
        super(graph, name, vertexIndex, dataType);
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        requireForward();
        INDArray in = inputs[0];
        long z = in.size(1) / 2;
        INDArray mu = in.get(NDArrayIndex.all(), NDArrayIndex.interval(0, z));
        if (!training) {
            eps = null;
            try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATIONS)) {
                return mu.dup('c');
            }
        }
        INDArray logVar = in.get(NDArrayIndex.all(), NDArrayIndex.interval(z, 2 * z));
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            eps = Nd4j.randn(in.dataType(), in.size(0), z);
        }
        try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATIONS)) {
            INDArray sigma = Transforms.exp(logVar.mul(0.5), false);
            return sigma.muli(eps).addi(mu);
        }
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        requireBackward();
        if (eps == null) {
            throw new IllegalStateException("backward pass of vertex '" + vertexName
                    + "' without a training forward pass");
        }
        INDArray in = inputs[0];
        long z = in.size(1) / 2;
        INDArray logVar = in.get(NDArrayIndex.all(), NDArrayIndex.interval(z, 2 * z));
        try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATION_GRAD)) {
            INDArray grad = Nd4j.createUninitialized(in.dataType(), in.size(0), 2 * z);
            // dz/dmu = 1
            grad.get(NDArrayIndex.all(), NDArrayIndex.interval(0, z)).assign(epsilon);
            // dz/dlogVar = eps * exp(logVar / 2) / 2
            INDArray dLv = Transforms.exp(logVar.mul(0.5), false).muli(eps).muli(0.5).muli(epsilon);
            grad.get(NDArrayIndex.all(), NDArrayIndex.interval(z, 2 * z)).assign(dLv);
            return new Pair<>(null, new INDArray[] {grad});
        }
    }

    /**
     * The noise of the last training forward pass (for tests).
     *
     * @return {@code eps}, or null after an inference pass
     */
    INDArray lastNoise() {
        return eps;
    }

    @Override
    public String toString() {
        return "ReparameterizationVertexImpl(name=\"" + vertexName + "\")";
    }
}
