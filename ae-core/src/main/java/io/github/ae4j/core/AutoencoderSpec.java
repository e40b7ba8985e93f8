package io.github.ae4j.core;

import io.github.ae4j.core.layers.NativeDense;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * A deterministic autoencoder: input, an {@link Encoder}, a {@link Bottleneck}, a {@link Decoder}
 * and a {@link ReconstructionLoss}, assembled into one DL4J {@code ComputationGraph}:
 *
 * <pre>
 * input -&gt; encoder ... -&gt; latent (bottleneck) -&gt; decoder ... -&gt; reconstruction (loss layer)
 * </pre>
 *
 * <p>The input is always a row of {@code input.arrayElementsPerExample()} values; use
 * {@code InputType.feedForward(n)} for tabular data and {@code InputType.convolutionalFlat(h, w, c)}
 * for images given as flattened rows. Shapes are checked when the graph is built: a decoder whose
 * output does not match the input, or a dense bottleneck wider than the input (unless
 * {@link #withOvercomplete(boolean) overcomplete} is set), fail with a clear message.
 *
 * @param input        the type of one input row
 * @param encoder      adds the encoder's layers
 * @param bottleneck   the latent representation
 * @param decoder      adds the decoder's layers
 * @param loss         the reconstruction loss (its activation becomes the output activation)
 * @param overcomplete allow a bottleneck at least as wide as the input (on purpose, e.g. sparse or
 *                     denoising models)
 * @param name         a short description stored in saved models (e.g. {@code dense 64-32-[8]-32-64})
 */
public record AutoencoderSpec(InputType input, Encoder encoder, Bottleneck bottleneck, Decoder decoder,
                              ReconstructionLoss loss, boolean overcomplete, String name) implements ModelSpec {

    /** Validates the record. */
    public AutoencoderSpec {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(bottleneck, "bottleneck");
        Objects.requireNonNull(decoder, "decoder");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(name, "name");
        long n = input.arrayElementsPerExample();
        if (n < 1 || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("input must have between 1 and 2^31-1 values per row, got " + n);
        }
        if (bottleneck.isDense() && bottleneck.size() >= n && !overcomplete) {
            throw new IllegalArgumentException("bottleneck of " + bottleneck.size()
                    + " units is not smaller than the input (" + n + " values): an autoencoder that can copy"
                    + " its input learns nothing; use withOvercomplete(true) if this is intended");
        }
    }

    /**
     * A spec with MSE loss for rows of {@code inputSize} values.
     *
     * @param inputSize  values per row
     * @param encoder    the encoder
     * @param bottleneck the bottleneck
     * @param decoder    the decoder
     * @return the spec
     */
    public static AutoencoderSpec of(int inputSize, Encoder encoder, Bottleneck bottleneck, Decoder decoder) {
        return new AutoencoderSpec(InputType.feedForward(inputSize), encoder, bottleneck, decoder,
                ReconstructionLosses.mse(), false, "custom");
    }

    /**
     * A spec with MSE loss.
     *
     * @param input      the input type
     * @param encoder    the encoder
     * @param bottleneck the bottleneck
     * @param decoder    the decoder
     * @return the spec
     */
    public static AutoencoderSpec of(InputType input, Encoder encoder, Bottleneck bottleneck, Decoder decoder) {
        return new AutoencoderSpec(input, encoder, bottleneck, decoder, ReconstructionLosses.mse(), false,
                "custom");
    }

    /** @param l the loss @return a copy */
    public AutoencoderSpec withLoss(ReconstructionLoss l) {
        return new AutoencoderSpec(input, encoder, bottleneck, decoder, l, overcomplete, name);
    }

    /** @param b true to allow a bottleneck as wide as the input @return a copy */
    public AutoencoderSpec withOvercomplete(boolean b) {
        return new AutoencoderSpec(input, encoder, bottleneck, decoder, loss, b, name);
    }

    /** @param n the description @return a copy */
    public AutoencoderSpec withName(String n) {
        return new AutoencoderSpec(input, encoder, bottleneck, decoder, loss, overcomplete, n);
    }

    @Override
    public int inputSize() {
        return (int) input.arrayElementsPerExample();
    }

    @Override
    public int[] inputShape() {
        return ModelSpec.shapeOf(input);
    }

    @Override
    public ComputationGraphConfiguration buildGraph(IUpdater updater, long seed) {
        GraphBuilder g = newGraphBuilder(updater, seed).addInputs(INPUT).setInputTypes(input);
        String encOut = encoder.addTo(g, INPUT, input);
        if (!INPUT.equals(encOut)) {   // an encoder may return its input: a shallow autoencoder
            requireVertex(g, encOut, "encoder");
        }
        if (bottleneck.isDense()) {
            g.addLayer(LATENT, NativeDense.of(new DenseLayer.Builder().nOut(bottleneck.size())
                    .activation(bottleneck.activation()).build()), encOut);
        } else {
            g.addLayer(LATENT, new ActivationLayer.Builder().activation(bottleneck.activation()).build(), encOut);
        }
        String decOut = decoder.addTo(g, LATENT, input);
        requireVertex(g, decOut, "decoder");
        g.addLayer(RECONSTRUCTION, new LossLayer.Builder(loss.lossFunction())
                .activation(loss.outputActivation()).build(), decOut);
        g.setOutputs(RECONSTRUCTION);
        ComputationGraphConfiguration conf;
        try {
            conf = g.build();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid autoencoder graph: " + e.getMessage(), e);
        }
        Map<String, InputType> types = conf.getLayerActivationTypes(input);
        long decoded = types.get(decOut).arrayElementsPerExample();
        if (decoded != input.arrayElementsPerExample()) {
            throw new IllegalArgumentException("decoder output '" + decOut + "' has " + decoded
                    + " values per example (" + types.get(decOut) + "), the input has "
                    + input.arrayElementsPerExample() + " (" + input + ")");
        }
        long latent = types.get(LATENT).arrayElementsPerExample();
        if (!bottleneck.isDense() && latent >= input.arrayElementsPerExample() && !overcomplete) {
            throw new IllegalArgumentException("the encoder's output (" + latent
                    + " values) is not smaller than the input (" + input.arrayElementsPerExample()
                    + "); use withOvercomplete(true) if this is intended");
        }
        return conf;
    }

    /**
     * A graph builder with ae4j's global defaults: the updater, the seed, Xavier initialisation,
     * float32.
     *
     * @param updater the optimiser
     * @param seed    the initialisation seed
     * @return the builder, with no inputs yet
     */
    public static GraphBuilder newGraphBuilder(IUpdater updater, long seed) {
        return new NeuralNetConfiguration.Builder()
                .seed(TrainingConfig.nativeSeed(seed))
                .updater(updater)
                .weightInit(WeightInit.XAVIER)
                .dataType(DataType.FLOAT)
                .graphBuilder();
    }

    private static void requireVertex(GraphBuilder g, String name, String what) {
        if (name == null || !g.getVertices().containsKey(name)) {
            throw new IllegalArgumentException("the " + what + " returned '" + name
                    + "', which is not a vertex it added; return the name of its last layer");
        }
        if (name.equals(LATENT) || name.equals(RECONSTRUCTION) || name.equals(INPUT)) {
            throw new IllegalArgumentException("the " + what + " must not name a vertex '" + name + "'");
        }
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("input", input.toString());
        m.put("inputShape", Arrays.stream(inputShape()).boxed().toList());
        m.put("bottleneck", bottleneck.isDense() ? bottleneck.size() : "encoder output");
        m.put("bottleneckActivation", bottleneck.activation().toString().toLowerCase());
        m.put("loss", loss.name());
        m.put("overcomplete", overcomplete);
        return m;
    }
}
