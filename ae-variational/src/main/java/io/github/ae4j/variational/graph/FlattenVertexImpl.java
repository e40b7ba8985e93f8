package io.github.ae4j.variational.graph;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Runtime of {@link FlattenVertex}. */
// "try": DL4J's workspace scopes are opened for their side effect; "overrides": setInputs varargs come
// from DL4J's BaseGraphVertex
@SuppressWarnings({"try", "overrides"})
public class FlattenVertexImpl extends ParameterFreeVertexImpl {

    /**
     * Creates the runtime vertex.
     *
     * @param graph       the graph
     * @param name        the vertex name
     * @param vertexIndex the vertex index
     * @param dataType    the network's data type
     */
    public FlattenVertexImpl(ComputationGraph graph, String name, int vertexIndex, DataType dataType) {
        super(graph, name, vertexIndex, dataType);
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        requireForward();
        INDArray in = inputs[0];
        try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATIONS)) {
            return in.dup('c').reshape('c', in.size(0), in.length() / in.size(0));
        }
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        requireBackward();
        try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATION_GRAD)) {
            return new Pair<>(null, new INDArray[] {epsilon.dup('c').reshape('c', inputs[0].shape())});
        }
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                                                           int minibatchSize) {
        return null;
    }

    @Override
    public String toString() {
        return "FlattenVertexImpl(name=\"" + vertexName + "\")";
    }
}
