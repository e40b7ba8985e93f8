package io.github.ae4j.variational.graph;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Configuration of a parameter-free vertex that flattens each example to one row, in C order
 * ({@code [batch, channels, height, width]} becomes {@code [batch, channels * height * width]}, the
 * inverse of DL4J's reading of a {@code convolutionalFlat} input row). Feed-forward input passes
 * through unchanged.
 */
public class FlattenVertex extends SingleInputVertex {

    private static final long serialVersionUID = 1L;

    /** Creates the vertex (also used by DL4J's JSON reader). */
    public FlattenVertex() {
    }

    @Override
    public FlattenVertex clone() {
        return new FlattenVertex();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlattenVertex;
    }

    @Override
    public int hashCode() {
        return FlattenVertex.class.hashCode();
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
                                                                      INDArray paramsView, boolean initializeParams,
                                                                      DataType networkDatatype) {
        return new FlattenVertexImpl(graph, name, idx, networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) throws InvalidInputTypeException {
        if (vertexInputs.length != 1) {
            throw new InvalidInputTypeException("the flatten vertex expects one input, got "
                    + java.util.Arrays.toString(vertexInputs));
        }
        return InputType.feedForward(vertexInputs[0].arrayElementsPerExample());
    }

    @Override
    public String toString() {
        return "FlattenVertex()";
    }
}
