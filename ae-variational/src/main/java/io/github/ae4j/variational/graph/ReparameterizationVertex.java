package io.github.ae4j.variational.graph;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Configuration of the reparameterisation step of a variational autoencoder (Kingma &amp; Welling
 * 2014): its input is a row {@code [mu, logVar]} of {@code 2 * latentSize} values (the posterior's
 * mean and log-variance); its output is a latent code of {@code latentSize} values.
 *
 * <ul>
 *   <li>In training it returns {@code mu + exp(logVar / 2) * eps} with {@code eps ~ N(0, I)} drawn
 *       from ND4J's global random generator (seeded by the trainer), and back-propagates through
 *       the same {@code eps}.</li>
 *   <li>At inference it returns {@code mu}: encoding is deterministic.</li>
 * </ul>
 *
 * <p>The noise is drawn in Java rather than with a SameDiff random op, which does not see the
 * training flag and re-draws noise in the backward pass in DL4J 1.0.0-M2.1.
 */
public class ReparameterizationVertex extends SingleInputVertex {

    private static final long serialVersionUID = 1L;

    /** Creates the vertex (also used by DL4J's JSON reader). */
    public ReparameterizationVertex() {
    }

    @Override
    public ReparameterizationVertex clone() {
        return new ReparameterizationVertex();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReparameterizationVertex;
    }

    @Override
    public int hashCode() {
        return ReparameterizationVertex.class.hashCode();
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
                                                                      INDArray paramsView, boolean initializeParams,
                                                                      DataType networkDatatype) {
        return new ReparameterizationVertexImpl(graph, name, idx, networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) throws InvalidInputTypeException {
        if (vertexInputs.length != 1 || vertexInputs[0].getType() != InputType.Type.FF) {
            throw new InvalidInputTypeException("the reparameterisation vertex expects one feed-forward input"
                    + " [mu, logVar], got " + java.util.Arrays.toString(vertexInputs));
        }
        long n = vertexInputs[0].arrayElementsPerExample();
        if (n < 2 || n % 2 != 0) {
            throw new InvalidInputTypeException("the reparameterisation vertex expects an even number (2 * latent"
                    + " size) of inputs [mu, logVar], got " + n);
        }
        return InputType.feedForward(n / 2);
    }

    @Override
    public String toString() {
        return "ReparameterizationVertex()";
    }
}
