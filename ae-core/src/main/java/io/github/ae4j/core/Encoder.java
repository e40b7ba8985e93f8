package io.github.ae4j.core;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * The encoder half of an autoencoder: adds layers to a DL4J graph that map the input towards the
 * bottleneck.
 *
 * <p>An encoder is usually a lambda that calls {@code g.addLayer(...)} a few times and returns the
 * name of its last vertex. It must not add a vertex called {@code input}, {@code latent} or
 * {@code reconstruction}; those names belong to {@link AutoencoderSpec}. Layer sizes ({@code nIn})
 * may be left out: they are inferred from {@code in}.
 *
 * <pre>{@code
 * Encoder enc = (g, input, in) -> {
 *     g.addLayer("enc1", new DenseLayer.Builder().nOut(32).activation(Activation.RELU).build(), input);
 *     return "enc1";
 * };
 * }</pre>
 *
 * <p>An encoder is only needed to build a graph: it is never serialised. A trained model keeps the
 * graph configuration (JSON) instead.
 */
@FunctionalInterface
public interface Encoder {

    /**
     * Adds this encoder's layers to a graph.
     *
     * @param g     the graph being built
     * @param input the name of the vertex to read from (the network input)
     * @param in    the type of the data at {@code input}
     * @return the name of the encoder's output vertex
     */
    String addTo(GraphBuilder g, String input, InputType in);
}
