package io.github.ae4j.core;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * The decoder half of an autoencoder: adds layers to a DL4J graph that map the latent code back to
 * the shape of the input.
 *
 * <p>The decoder's last vertex must produce pre-activations ("logits") of exactly the target's shape
 * ({@code target.arrayElementsPerExample()} values per example; for convolutional targets the same
 * height, width and channels). {@link AutoencoderSpec} then appends a parameter-free loss layer
 * named {@code reconstruction} that applies the loss's output activation (identity for MSE,
 * sigmoid for binary cross-entropy). So the usual last layer of a dense decoder is
 * {@code new DenseLayer.Builder().nOut(n).activation(Activation.IDENTITY)}.
 *
 * <p>The decoder's layers are also used, with the same names and weights, in the decoder-only
 * graph behind {@link Autoencoder#decode}. A decoder is never serialised.
 */
@FunctionalInterface
public interface Decoder {

    /**
     * Adds this decoder's layers to a graph.
     *
     * @param g      the graph being built
     * @param latent the name of the latent vertex to read from
     * @param target the type of the data the decoder must rebuild (the network input's type)
     * @return the name of the decoder's output vertex (pre-activations of the target's shape)
     */
    String addTo(GraphBuilder g, String latent, InputType target);
}
