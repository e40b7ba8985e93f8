package io.github.ae4j.variational.graph;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Shared part of the runtime vertices of this package: no layer, no parameters, one input whose mask
 * (if any) passes through unchanged.
 */
// "overrides": setInputs varargs come from DL4J's BaseGraphVertex
@SuppressWarnings("overrides")
abstract class ParameterFreeVertexImpl extends BaseGraphVertex {

    ParameterFreeVertexImpl(ComputationGraph graph, String name, int vertexIndex, DataType dataType) {
        super(graph, name, vertexIndex, null, null, dataType);
    }

    @Override
    public boolean hasLayer() {
        return false;
    }

    @Override
    public Layer getLayer() {
        return null;
    }

    /** @throws IllegalStateException when the input is not set */
    void requireForward() {
        if (!canDoForward()) {
            throw new IllegalStateException("cannot do forward pass: input of vertex '" + vertexName + "' not set");
        }
    }

    /** @throws IllegalStateException when the input or the errors are not set */
    void requireBackward() {
        if (!canDoBackward()) {
            throw new IllegalStateException("cannot do backward pass: errors of vertex '" + vertexName + "' not set");
        }
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
        if (backpropGradientsViewArray != null) {
            throw new IllegalStateException("vertex '" + vertexName + "' has no parameters");
        }
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                                                           int minibatchSize) {
        if (maskArrays == null || maskArrays.length == 0) {
            return null;
        }
        return new Pair<>(maskArrays[0], currentMaskState);
    }
}
