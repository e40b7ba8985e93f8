package io.github.ae4j.variational;

import io.github.ae4j.core.AutoencoderSpec;
import io.github.ae4j.core.Decoder;
import io.github.ae4j.core.Encoder;
import io.github.ae4j.core.ModelSpec;
import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.ReconstructionLoss;
import io.github.ae4j.core.ReconstructionLosses;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.TrainingListener;
import io.github.ae4j.variational.graph.ElboOutputLayer;
import io.github.ae4j.variational.graph.FlattenVertex;
import io.github.ae4j.variational.graph.KlWeightVertex;
import io.github.ae4j.variational.graph.ReparameterizationVertex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * A variational autoencoder (Kingma &amp; Welling, "Auto-Encoding Variational Bayes", ICLR 2014)
 * with a weighted KL term (beta-VAE, Higgins et al., ICLR 2017) and an optional KL warm-up
 * (Sønderby et al., "Ladder Variational Autoencoders", NIPS 2016), as a {@link ModelSpec} for
 * ae-core's shared trainer:
 *
 * <pre>{@code
 * ModelSpec spec = VariationalAutoencoder.builder(784).hidden(256).latent(16).build();
 * Autoencoder m = Autoencoder.fit(spec, pixels,
 *         TrainingConfig.defaults().withNormalization(Normalization.SCALE));
 * INDArray digits = Vae.of(m).sample(64, 42L);
 * }</pre>
 *
 * <p>The graph it builds (vertex names in quotes):
 * <pre>
 * "input" -&gt; encoder -&gt; "stats" (dense, 2 x latent: mean, log-variance)
 *         -&gt; "latent" (reparameterisation: mean + exp(logVar/2) * eps in training, mean at inference)
 *         -&gt; decoder -&gt; "logits" (flattened pre-activations, one per input value)
 * "stats" -&gt; "kl-weight" (appends beta)
 * merge("logits", "kl-weight") = "elbo-terms" -&gt; "reconstruction" (negative ELBO per example)
 * </pre>
 *
 * <p>The encoder and decoder are any ae-core {@link Encoder} / {@link Decoder} (dense ones are
 * built from {@link Builder#hidden(int...)} unless given; convolutional ones from ae-conv plug in
 * the same way, with {@link #builder(InputType)} and an image input type). The decoder must end in
 * pre-activations of the input's shape, as for ae-core's deterministic autoencoders.
 *
 * <p>Training with {@code Autoencoder.fit(spec, x, config)}: the graph's score is the negative ELBO
 * per example (see {@link ElboOutputLayer}); validation losses use the posterior mean and the full
 * beta. Data must suit the {@link Distribution}: Bernoulli needs values in [0, 1], so
 * {@link Normalization#STANDARD} is refused for it (use SCALE or MINMAX). Trimmed loss
 * ({@code TrainingConfig.trimFraction}) is not supported by the ELBO layer and is refused;
 * input corruption works (the loss compares with the clean rows).
 *
 * <p>Immutable. A trained model of this kind is used through {@link Vae}.
 */
public final class VariationalAutoencoder implements ModelSpec {

    /** Model kind stored in saved models. */
    public static final String KIND = "variational";
    /** Vertex holding the posterior mean and log-variance, {@code [mu, logVar]}. */
    public static final String STATS = "stats";
    /** Vertex holding the decoder's flattened pre-activations (the decoder output). */
    public static final String LOGITS = "logits";
    /** Vertex appending the KL weight to the posterior statistics. */
    public static final String KL_WEIGHT = "kl-weight";
    /** Merge vertex feeding the ELBO layer. */
    public static final String ELBO_TERMS = "elbo-terms";

    private static final Set<String> RESERVED = Set.of(INPUT, LATENT, RECONSTRUCTION, STATS, LOGITS, KL_WEIGHT,
            ELBO_TERMS);

    private final InputType input;
    private final List<Integer> hidden;
    private final List<Integer> decoderDense;
    private final int latent;
    private final double beta;
    private final int warmupEpochs;
    private final Distribution distribution;
    private final boolean learnedVariance;
    private final double minVariance;
    private final Activation activation;
    private final Encoder encoder;
    private final Decoder decoder;
    private final boolean customEncoder;
    private final boolean customDecoder;
    private final String name;

    private VariationalAutoencoder(Builder b) {
        this.input = b.input;
        this.latent = b.latent > 0 ? b.latent : defaultLatent(inputSizeOf(b.input));
        this.hidden = b.hidden != null ? List.copyOf(b.hidden) : defaultHidden(inputSizeOf(b.input), latent);
        this.decoderDense = b.decoderDense != null ? b.decoderDense : List.of();
        this.beta = b.beta;
        this.warmupEpochs = b.warmupEpochs;
        this.distribution = b.distribution;
        this.learnedVariance = b.learnedVariance;
        this.minVariance = b.minVariance;
        this.activation = b.activation;
        this.customEncoder = b.encoder != null;
        this.customDecoder = b.decoder != null;
        this.encoder = customEncoder ? b.encoder : denseEncoder(hidden, activation);
        Decoder d = customDecoder ? b.decoder : denseDecoder(hidden, activation);
        this.decoder = decoderDense.isEmpty() ? d : withDenseInput(decoderDense, activation, d);
        this.name = b.name != null ? b.name : defaultName(b.architecture);
    }

    /**
     * Starts a builder for rows of {@code inputSize} values.
     *
     * @param inputSize values per row, at least 1
     * @return the builder
     */
    public static Builder builder(int inputSize) {
        if (inputSize < 1) {
            throw new IllegalArgumentException("inputSize must be >= 1, got " + inputSize);
        }
        return new Builder(InputType.feedForward(inputSize));
    }

    /**
     * Starts a builder for a VAE with the encoder and decoder of a deterministic architecture (any
     * {@link io.github.ae4j.core.AutoencoderSpec}: ae-conv's convolutional autoencoder, a dense one, a user's
     * own), its input type and, for a dense bottleneck, its latent size. The VAE puts its posterior statistics
     * (a dense layer of 2 x latent values) after the encoder and its reparameterisation in place of the
     * bottleneck; the decoder reads the sampled code (or, with {@link Builder#decoderDense(int...)}, dense layers
     * in between). This is how a convolutional VAE is built without
     * ae-variational depending on ae-conv:
     *
     * <pre>{@code
     * VariationalAutoencoder convVae = VariationalAutoencoder
     *         .builder(ConvAutoencoder.builder(28, 28, 1).filters(32, 64).denseBottleneck(16).build())
     *         .build();
     * }</pre>
     *
     * @param deterministic the architecture whose encoder, decoder, input type and latent size are used
     * @return the builder, with the encoder, decoder and (for a dense bottleneck) latent size set; the default
     *         name describes the architecture, e.g. {@code vae [16] bernoulli of conv 28x28x1 32@3x3+pool2x2,
     *         64@3x3+pool2x2 [dense 16] mirrored} ({@code vae [16]-256 ...} with {@code decoderDense(256)})
     */
    public static Builder builder(io.github.ae4j.core.AutoencoderSpec deterministic) {
        Objects.requireNonNull(deterministic, "deterministic");
        Builder b = builder(deterministic.input()).encoder(deterministic.encoder()).decoder(deterministic.decoder());
        if (deterministic.bottleneck().size() > 0) {
            b.latent(deterministic.bottleneck().size());
        }
        String arch = deterministic.name();
        String loss = ", " + deterministic.loss().name();
        b.architecture = arch.endsWith(loss) ? arch.substring(0, arch.length() - loss.length()) : arch;
        return b;
    }

    /**
     * Starts a builder for an input type, e.g. {@code InputType.convolutionalFlat(28, 28, 1)} for
     * images given as flattened rows (needed by convolutional encoders, and recorded as the image
     * shape for PNG output).
     *
     * @param input the type of one input row
     * @return the builder
     */
    public static Builder builder(InputType input) {
        Objects.requireNonNull(input, "input");
        long n = input.arrayElementsPerExample();
        if (n < 1 || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("input must have between 1 and 2^31-1 values per row, got " + n);
        }
        return new Builder(input);
    }

    private static int inputSizeOf(InputType t) {
        return (int) t.arrayElementsPerExample();
    }

    /**
     * The default latent size for rows of {@code n} values: {@code clamp(n / 4, 2, 16)}.
     *
     * @param n values per row
     * @return the latent size
     */
    static int defaultLatent(int n) {
        return Math.max(2, Math.min(16, n / 4));
    }

    /**
     * The default hidden layer: one layer of the largest power of two not above {@code n / 2},
     * at most 512 and at least {@code 2 * latent}.
     *
     * @param n      values per row
     * @param latent latent size
     * @return the hidden sizes
     */
    static List<Integer> defaultHidden(int n, int latent) {
        int h = Math.max(1, Integer.highestOneBit(Math.max(1, n / 2)));
        return List.of(Math.max(2 * latent, Math.min(512, h)));
    }

    private static Encoder denseEncoder(List<Integer> hidden, Activation a) {
        return (g, in, type) -> {
            String last = in;
            for (int i = 0; i < hidden.size(); i++) {
                String n = "enc-" + (i + 1);
                g.addLayer(n, new DenseLayer.Builder().nOut(hidden.get(i)).activation(a).build(), last);
                last = n;
            }
            return last;
        };
    }

    private static Decoder denseDecoder(List<Integer> hidden, Activation a) {
        return (g, latentName, target) -> {
            String last = latentName;
            for (int i = hidden.size() - 1, k = 1; i >= 0; i--, k++) {
                String n = "dec-" + k;
                g.addLayer(n, new DenseLayer.Builder().nOut(hidden.get(i)).activation(a).build(), last);
                last = n;
            }
            g.addLayer("dec-out", new DenseLayer.Builder().nOut(target.arrayElementsPerExample())
                    .activation(Activation.IDENTITY).build(), last);
            return "dec-out";
        };
    }

    /** Dense layers "code-1", "code-2", ... between the sampled code and a decoder. */
    private static Decoder withDenseInput(List<Integer> sizes, Activation a, Decoder decoder) {
        return (g, latentName, target) -> {
            String last = latentName;
            for (int i = 0; i < sizes.size(); i++) {
                String n = "code-" + (i + 1);
                g.addLayer(n, new DenseLayer.Builder().nOut(sizes.get(i)).activation(a).build(), last);
                last = n;
            }
            return decoder.addTo(g, last, target);
        };
    }

    private String defaultName(String architecture) {
        if (architecture != null) {
            return "vae [" + latent + "]" + (decoderDense.isEmpty() ? "" : "-" + decoderDense.stream()
                    .map(String::valueOf).collect(Collectors.joining("-"))) + " " + distribution.id()
                    + (beta != 1.0 ? " beta=" + beta : "") + " of " + architecture;
        }
        int n = inputSize();
        String enc = customEncoder ? "custom" : hidden.stream().map(String::valueOf).collect(Collectors.joining("-"));
        List<Integer> rev = new ArrayList<>(hidden);
        java.util.Collections.reverse(rev);
        String dec = customDecoder ? "custom" : rev.stream().map(String::valueOf).collect(Collectors.joining("-"));
        return "vae " + n + (enc.isEmpty() ? "" : "-" + enc) + "-[" + latent + "]" + (dec.isEmpty() ? "" : "-" + dec)
                + "-" + n + " " + distribution.id() + (beta != 1.0 ? " beta=" + beta : "");
    }

    @Override
    public int inputSize() {
        return inputSizeOf(input);
    }

    @Override
    public int[] inputShape() {
        return ModelSpec.shapeOf(input);
    }

    /** @return the input type */
    public InputType input() {
        return input;
    }

    /** @return the latent size */
    public int latentSize() {
        return latent;
    }

    /** @return the hidden layer sizes of the dense encoder/decoder (unused where custom ones are given) */
    public List<Integer> hidden() {
        return hidden;
    }

    /**
     * @return sizes of the dense layers between the sampled code and the decoder (empty: the decoder reads the
     *         code)
     */
    public List<Integer> decoderDense() {
        return decoderDense;
    }

    /** @return the weight of the KL term */
    public double beta() {
        return beta;
    }

    /** @return epochs of KL warm-up (0 = none) */
    public int warmupEpochs() {
        return warmupEpochs;
    }

    /** @return the reconstruction distribution */
    public Distribution distribution() {
        return distribution;
    }

    /** @return whether a Gaussian reconstruction learns its per-feature variance */
    public boolean learnedVariance() {
        return learnedVariance;
    }

    /** @return the description stored in saved models */
    public String name() {
        return name;
    }

    @Override
    public ComputationGraphConfiguration buildGraph(IUpdater updater, long seed) {
        Objects.requireNonNull(updater, "updater");
        int n = inputSize();
        GraphBuilder g = AutoencoderSpec.newGraphBuilder(updater, seed).addInputs(INPUT).setInputTypes(input);
        String encOut = encoder.addTo(g, INPUT, input);
        if (!INPUT.equals(encOut)) { // an encoder may return its input: statistics straight from the input
            requireVertex(g, encOut, "encoder", Set.of());
        }
        g.addLayer(STATS, new DenseLayer.Builder().nOut(2L * latent).activation(Activation.IDENTITY).build(), encOut);
        g.addVertex(LATENT, new ReparameterizationVertex(), STATS);
        Set<String> before = Set.copyOf(g.getVertices().keySet());
        String decOut = decoder.addTo(g, LATENT, input);
        requireVertex(g, decOut, "decoder", before);
        g.addVertex(LOGITS, new FlattenVertex(), decOut);
        g.addVertex(KL_WEIGHT, new KlWeightVertex(beta), STATS);
        g.addVertex(ELBO_TERMS, new MergeVertex(), LOGITS, KL_WEIGHT);
        g.addLayer(RECONSTRUCTION, new ElboOutputLayer(n, latent,
                ElboOutputLayer.Likelihood.valueOf(distribution.name()), learnedVariance, minVariance),
                ELBO_TERMS);
        g.setOutputs(RECONSTRUCTION);
        ComputationGraphConfiguration conf;
        try {
            conf = g.build();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid variational autoencoder graph: " + e.getMessage(), e);
        }
        Map<String, InputType> types = conf.getLayerActivationTypes(input);
        long decoded = types.get(LOGITS).arrayElementsPerExample();
        if (decoded != n) {
            throw new IllegalArgumentException("decoder output '" + decOut + "' has " + decoded
                    + " values per example (" + types.get(decOut) + "), the input has " + n + " (" + input + ")");
        }
        return conf;
    }

    private static void requireVertex(GraphBuilder g, String vertex, String what, Set<String> before) {
        for (String v : g.getVertices().keySet()) {
            if (!before.contains(v) && RESERVED.contains(v)) {
                throw new IllegalArgumentException("the " + what + " must not add a vertex named '" + v
                        + "': reserved names are " + new java.util.TreeSet<>(RESERVED));
            }
        }
        if (vertex == null || !g.getVertices().containsKey(vertex) || before.contains(vertex)) {
            throw new IllegalArgumentException("the " + what + " returned '" + vertex
                    + "', which is not a vertex it added; return the name of its last layer");
        }
    }

    @Override
    public ReconstructionLoss loss() {
        return distribution == Distribution.BERNOULLI ? ReconstructionLosses.binaryCrossEntropy()
                : ReconstructionLosses.mse();
    }

    @Override
    public String decoderOutput() {
        return LOGITS;
    }

    @Override
    public Activation decoderOutputActivation() {
        return distribution == Distribution.BERNOULLI ? Activation.SIGMOID : Activation.IDENTITY;
    }

    @Override
    public String kind() {
        return KIND;
    }

    /**
     * Checks that the training configuration suits this model and returns the KL warm-up schedule,
     * if any.
     *
     * @param config the training configuration
     * @return a {@link KlWarmup} when {@link #warmupEpochs()} is positive, else nothing
     * @throws IllegalArgumentException for Bernoulli data with standard normalisation, or a trimmed loss
     */
    @Override
    public List<TrainingListener> trainingListeners(TrainingConfig config) {
        Objects.requireNonNull(config, "config");
        if (distribution == Distribution.BERNOULLI && config.normalization() == Normalization.STANDARD) {
            throw new IllegalArgumentException("a Bernoulli reconstruction needs data in [0, 1]: use normalization"
                    + " scale or minmax, got standard (or choose the Gaussian distribution for standardised data)");
        }
        if (config.trimFraction() > 0) {
            throw new IllegalArgumentException("trimmed loss (trimFraction " + config.trimFraction()
                    + ") is not supported by variational autoencoders: use trimFraction 0");
        }
        return warmupEpochs > 0 ? List.of(new KlWarmup(warmupEpochs)) : List.of();
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("input", input.toString());
        m.put("inputShape", Arrays.stream(inputShape()).boxed().toList());
        m.put("latent", latent);
        m.put("encoder", customEncoder ? "custom" : "dense " + hidden);
        m.put("decoder", (decoderDense.isEmpty() ? "" : "dense " + decoderDense + " then ")
                + (customDecoder ? "custom" : "dense " + hidden));
        m.put("activation", activation.toString().toLowerCase(java.util.Locale.ROOT));
        m.put("distribution", distribution.id());
        m.put("learnedVariance", learnedVariance);
        m.put("beta", beta);
        m.put("warmupEpochs", warmupEpochs);
        return m;
    }

    @Override
    public String toString() {
        return "VariationalAutoencoder[" + name + "]";
    }

    /**
     * Builds a {@link VariationalAutoencoder}. Defaults: latent {@code clamp(n / 4, 2, 16)}, one
     * dense hidden layer (largest power of two not above {@code n / 2}, at most 512, at least
     * {@code 2 * latent}), ReLU, Bernoulli reconstruction, beta 1, no warm-up, no dense layers between the code
     * and a given decoder ({@link #decoderDense(int...)}).
     */
    public static final class Builder {
        private final InputType input;
        private List<Integer> hidden;
        private List<Integer> decoderDense;
        private int latent;
        private double beta = 1.0;
        private int warmupEpochs;
        private Distribution distribution = Distribution.BERNOULLI;
        private boolean learnedVariance;
        private double minVariance = 1e-3;
        private Activation activation = Activation.RELU;
        private Encoder encoder;
        private Decoder decoder;
        private String name;
        private String architecture;

        private Builder(InputType input) {
            this.input = input;
        }

        /**
         * Hidden layer sizes of the dense encoder (the decoder mirrors them); none gives a linear
         * encoder.
         *
         * @param sizes sizes, each at least 1
         * @return this builder
         */
        public Builder hidden(int... sizes) {
            Objects.requireNonNull(sizes, "sizes");
            for (int s : sizes) {
                if (s < 1) {
                    throw new IllegalArgumentException("hidden layer sizes must be >= 1, got " + Arrays.toString(sizes));
                }
            }
            this.hidden = IntStream.of(sizes).boxed().toList();
            return this;
        }

        /**
         * Dense layers (with the {@link #activation(Activation) activation} of the hidden layers) between the
         * sampled code and the decoder, e.g. to give a convolutional decoder a non-linear map from the code to its
         * first feature map; none (the default): the decoder reads the code. Measured on MNIST at 5 epochs
         * (docs/notes/issue-16-session3.md), not a default: one layer of 256 before ae-conv's decoder did not
         * clearly improve the judged prior samples and slowed the ELBO's convergence.
         *
         * @param sizes sizes, each at least 1, code side first
         * @return this builder
         */
        public Builder decoderDense(int... sizes) {
            Objects.requireNonNull(sizes, "sizes");
            for (int s : sizes) {
                if (s < 1) {
                    throw new IllegalArgumentException("decoderDense sizes must be >= 1, got " + Arrays.toString(sizes));
                }
            }
            this.decoderDense = IntStream.of(sizes).boxed().toList();
            return this;
        }

        /**
         * The latent size.
         *
         * @param size values per latent code, at least 1
         * @return this builder
         */
        public Builder latent(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("latent size must be >= 1, got " + size);
            }
            this.latent = size;
            return this;
        }

        /**
         * The weight of the KL term (beta-VAE, Higgins et al. 2017): 1 is the ordinary VAE, larger
         * values favour disentangled, smoother latents at the cost of reconstruction.
         *
         * @param b the weight, finite and {@code >= 0}
         * @return this builder
         */
        public Builder beta(double b) {
            if (!(b >= 0) || !Double.isFinite(b)) {
                throw new IllegalArgumentException("beta must be finite and >= 0, got " + b);
            }
            this.beta = b;
            return this;
        }

        /**
         * KL warm-up: the KL weight grows linearly from 0 in epoch 1 to beta in epoch
         * {@code epochs + 1} (training losses of those epochs use the reduced weight; validation
         * losses always use beta).
         *
         * @param epochs warm-up epochs, {@code >= 0} (0 = none)
         * @return this builder
         */
        public Builder warmupEpochs(int epochs) {
            if (epochs < 0) {
                throw new IllegalArgumentException("warmupEpochs must be >= 0, got " + epochs);
            }
            this.warmupEpochs = epochs;
            return this;
        }

        /**
         * The reconstruction distribution (default Bernoulli).
         *
         * @param d the distribution
         * @return this builder
         */
        public Builder distribution(Distribution d) {
            this.distribution = Objects.requireNonNull(d, "distribution");
            return this;
        }

        /**
         * For the Gaussian distribution: learn one variance per feature ({@code minVariance +
         * exp(logVar)}, floor 1e-3 in normalised units) instead of the fixed variance 1. A learned
         * variance gives a real likelihood for scores such as the reconstruction probability.
         *
         * @param learn whether to learn the variance
         * @return this builder
         */
        public Builder learnedVariance(boolean learn) {
            this.learnedVariance = learn;
            return this;
        }

        /**
         * The floor of learned variances (default 1e-3).
         *
         * @param v the floor, finite and &gt; 0
         * @return this builder
         */
        public Builder minVariance(double v) {
            if (!(v > 0) || !Double.isFinite(v)) {
                throw new IllegalArgumentException("minVariance must be finite and > 0, got " + v);
            }
            this.minVariance = v;
            return this;
        }

        /**
         * Activation of the dense hidden layers (default ReLU).
         *
         * @param a the activation
         * @return this builder
         */
        public Builder activation(Activation a) {
            this.activation = Objects.requireNonNull(a, "activation");
            return this;
        }

        /**
         * Replaces the dense encoder (e.g. a convolutional one); its output feeds the dense layer
         * producing the posterior statistics.
         *
         * @param e the encoder
         * @return this builder
         */
        public Builder encoder(Encoder e) {
            this.encoder = Objects.requireNonNull(e, "encoder");
            return this;
        }

        /**
         * Replaces the dense decoder; it reads the latent vertex and must end in pre-activations
         * of the input's shape.
         *
         * @param d the decoder
         * @return this builder
         */
        public Builder decoder(Decoder d) {
            this.decoder = Objects.requireNonNull(d, "decoder");
            return this;
        }

        /**
         * A description stored in saved models (default e.g. {@code vae 784-256-[16]-256-784 bernoulli}).
         *
         * @param n the description
         * @return this builder
         */
        public Builder name(String n) {
            this.name = Objects.requireNonNull(n, "name");
            return this;
        }

        /**
         * @return whether the encoder and decoder came from a deterministic architecture
         *         ({@link VariationalAutoencoder#builder(io.github.ae4j.core.AutoencoderSpec)}), e.g. a convolutional one
         */
        public boolean fromArchitecture() {
            return architecture != null;
        }

        /**
         * Builds the spec.
         *
         * @return the spec
         * @throws IllegalArgumentException for a learned variance with the Bernoulli distribution
         */
        public VariationalAutoencoder build() {
            if (learnedVariance && distribution != Distribution.GAUSSIAN) {
                throw new IllegalArgumentException("learnedVariance needs the Gaussian distribution, got "
                        + distribution.id());
            }
            return new VariationalAutoencoder(this);
        }
    }
}
