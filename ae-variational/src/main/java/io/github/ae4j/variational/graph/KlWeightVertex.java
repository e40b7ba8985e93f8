package io.github.ae4j.variational.graph;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Configuration of the vertex that carries the KL weight to the loss: it passes its input (the
 * posterior statistics {@code [mu, logVar]}) through and appends one column holding the weight
 * {@code beta} of the KL term (beta-VAE, Higgins et al. 2017).
 *
 * <p>The weight travels with the data so that it can change during training without rebuilding the
 * loss: in training the column holds {@code beta * warmupFactor} (see
 * {@link KlWeightVertexImpl#setWarmupFactor(double)}, driven by a KL warm-up schedule); at inference
 * (validation losses, scores) it always holds {@code beta}, so validation losses of different
 * epochs are comparable. The gradient reaching the weight column is discarded.
 */
public class KlWeightVertex extends SingleInputVertex {

    private static final long serialVersionUID = 1L;

    /** The weight of the KL term. */
    private double beta = 1.0;

    /** Creates the vertex with beta 1 (also used by DL4J's JSON reader). */
    public KlWeightVertex() {
    }

    /**
     * Creates the vertex.
     *
     * @param beta the weight of the KL term, finite and {@code >= 0}
     */
    public KlWeightVertex(double beta) {
        setBeta(beta);
    }

    /** @return the weight of the KL term */
    public double getBeta() {
        return beta;
    }

    /**
     * Sets the weight of the KL term (bean property for DL4J's JSON).
     *
     * @param beta the weight, finite and {@code >= 0}
     */
    public void setBeta(double beta) {
        if (!(beta >= 0) || !Double.isFinite(beta)) {
            throw new IllegalArgumentException("beta must be finite and >= 0, got " + beta);
        }
        this.beta = beta;
    }

    @Override
    public KlWeightVertex clone() {
        return new KlWeightVertex(beta);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KlWeightVertex k && Double.compare(k.beta, beta) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(beta) * 31 + 7;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
                                                                      INDArray paramsView, boolean initializeParams,
                                                                      DataType networkDatatype) {
        return new KlWeightVertexImpl(graph, name, idx, networkDatatype, beta);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) throws InvalidInputTypeException {
        if (vertexInputs.length != 1 || vertexInputs[0].getType() != InputType.Type.FF) {
            throw new InvalidInputTypeException("the KL weight vertex expects one feed-forward input, got "
                    + java.util.Arrays.toString(vertexInputs));
        }
        return InputType.feedForward(vertexInputs[0].arrayElementsPerExample() + 1);
    }

    @Override
    public String toString() {
        return "KlWeightVertex(beta=" + beta + ")";
    }
}
