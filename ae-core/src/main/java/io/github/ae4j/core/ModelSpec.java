package io.github.ae4j.core;

import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Anything that can build an autoencoder graph for the shared trainer: {@link AutoencoderSpec} for
 * deterministic autoencoders, and the variational module's spec.
 *
 * <p>The graph it builds follows a naming contract that every other part of ae4j relies on:
 * <ul>
 *   <li>one network input called {@value #INPUT} taking rows of {@link #inputSize()} values;</li>
 *   <li>a vertex called {@value #LATENT} whose output is the latent code (what
 *       {@link Autoencoder#encode} returns);</li>
 *   <li>one network output called {@value #RECONSTRUCTION}, the layer whose loss training
 *       minimises;</li>
 *   <li>a vertex {@link #decoderOutput()} which, passed through {@link #decoderOutputActivation()},
 *       is the reconstruction in normalised space; every vertex between {@value #LATENT} and it
 *       must depend only on {@value #LATENT}, so that a decoder-only graph can be cut out.</li>
 * </ul>
 */
public interface ModelSpec {

    /** Name of the network input. */
    String INPUT = "input";
    /** Name of the latent (code) vertex. */
    String LATENT = "latent";
    /** Name of the training output layer. */
    String RECONSTRUCTION = "reconstruction";

    /** @return the number of values in one input row */
    int inputSize();

    /**
     * The per-example shape of the input, for information (e.g. {@code [28, 28, 1]} height, width,
     * channels for images, {@code [64]} for tabular rows). The product equals {@link #inputSize()}.
     *
     * @return the shape
     */
    default int[] inputShape() {
        return new int[] {inputSize()};
    }

    /**
     * The per-example shape of a DL4J input type: height, width, channels for images (flat or not), else
     * the number of values.
     *
     * @param input the input type
     * @return the shape
     */
    static int[] shapeOf(org.deeplearning4j.nn.conf.inputs.InputType input) {
        if (input instanceof org.deeplearning4j.nn.conf.inputs.InputType.InputTypeConvolutionalFlat f) {
            return new int[] {(int) f.getHeight(), (int) f.getWidth(), (int) f.getDepth()};
        }
        if (input instanceof org.deeplearning4j.nn.conf.inputs.InputType.InputTypeConvolutional c) {
            return new int[] {(int) c.getHeight(), (int) c.getWidth(), (int) c.getChannels()};
        }
        return new int[] {(int) input.arrayElementsPerExample()};
    }

    /**
     * Builds the training graph.
     *
     * @param updater the optimiser for every layer
     * @param seed    the weight-initialisation seed
     * @return a validated configuration following the naming contract
     */
    ComputationGraphConfiguration buildGraph(IUpdater updater, long seed);

    /** @return the loss used for reconstruction-error scores */
    ReconstructionLoss loss();

    /** @return the vertex whose output (after {@link #decoderOutputActivation()}) is the reconstruction */
    default String decoderOutput() {
        return RECONSTRUCTION;
    }

    /** @return the activation applied in Java to {@link #decoderOutput()}'s output */
    default Activation decoderOutputActivation() {
        return Activation.IDENTITY;
    }

    /** @return the model family, stored in saved models ({@code autoencoder}, {@code variational}) */
    default String kind() {
        return "autoencoder";
    }

    /**
     * Listeners the trainer adds whenever it trains this architecture (e.g. a KL warm-up schedule).
     *
     * @param config the training configuration
     * @return the listeners, empty by default
     */
    default java.util.List<TrainingListener> trainingListeners(TrainingConfig config) {
        return java.util.List.of();
    }

    /**
     * A description for saved models and {@code ae4j info}: plain values, lists and maps only.
     *
     * @return the description
     */
    Map<String, Object> describe();
}
