package io.github.ae4j.dense;

import io.github.ae4j.core.AutoencoderSpec;
import io.github.ae4j.core.Bottleneck;
import io.github.ae4j.core.Decoder;
import io.github.ae4j.core.Encoder;
import io.github.ae4j.core.ReconstructionLoss;
import io.github.ae4j.core.ReconstructionLosses;
import io.github.ae4j.core.layers.NativeDense;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Dense (fully connected) autoencoders: a funnel of hidden layers down to a bottleneck, and a
 * decoder that mirrors it back to the input width.
 *
 * <pre>{@code
 * AutoencoderSpec spec = DenseAutoencoder.builder(64)
 *         .hidden(32).latent(8)                      // 64-32-[8]-32-64
 *         .activation(Activation.ELU).dropout(0.1)
 *         .build();
 * Autoencoder model = Autoencoder.fit(spec, rows, TrainingConfig.defaults());
 *
 * AutoencoderSpec auto = DenseAutoencoder.defaults(64).build();   // sizes derived from the width
 * }</pre>
 *
 * <h2>Sizes derived from the data</h2>
 * A user who gives only the input width {@code w} gets:
 * <ul>
 *   <li>a bottleneck of {@link #defaultLatent(int) clamp(round(sqrt(w)), 2, 64)} units (never
 *       wider than {@code w - 1}): 8 for 64 features, 28 for 784 pixels, 3 for 10 features. The code
 *       grows sub-linearly with the width because real features are correlated (pixels, sensor
 *       channels, one-hot groups) and their intrinsic dimension is far below their count; the cap
 *       keeps very wide inputs from getting a code too wide to compress or to plot.</li>
 *   <li>{@link #defaultHidden(int, int) hidden layers} halving from {@code min(256, ceil(w / 2))}
 *       and stopping at the first size within 4x of the code (sizes not wider than the code are
 *       dropped): {@code 64-32-[8]}, {@code 784-256-128-64-[28]}, {@code 10-5-[3]}, {@code 4-[2]}.
 *       Halving keeps each layer's compression mild (the classic funnel of Hinton &amp;
 *       Salakhutdinov, Science 2006), stopping within 4x of the code avoids layers that add cost
 *       but little capacity, and the 256 cap keeps CPU training fast.</li>
 *   <li>the decoder mirrors the encoder; ELU activations (as accurate as ReLU on the digits below,
 *       with no dead units on standardised inputs); a linear (identity) bottleneck; MSE loss on a
 *       linear output; no dropout, batch normalisation, L2 or sparsity.</li>
 * </ul>
 * On the UCI 8x8 digits (64 pixels scaled to [0, 1], 1,400 training rows) the default
 * {@code 64-32-[8]-32-64} reaches a held-out MSE about 20% below PCA with 8 components (0.0201 vs
 * 0.0250 after 120 epochs of Adam(3e-3), batch 64); the shallow linear {@code 64-[8]-64} lands
 * within 1% of PCA, as theory says it should (Baldi &amp; Hornik, Neural Networks 1989).
 * Hidden sizes not given are derived from the bottleneck finally chosen, so setting only
 * {@code latent(n)} gives a funnel that fits it.
 *
 * <h2>Graph</h2>
 * Vertex names: encoder blocks {@code enc1, enc2, ...}, the bottleneck {@code latent}, an optional
 * {@value #SPARSITY} penalty layer, decoder blocks {@code dec1, ...}, the output layer
 * {@value #OUTPUT}, and ae-core's loss layer {@code reconstruction}. A block is a dense layer
 * ({@code encN}), with batch normalisation {@code encN_bn} and {@code encN_act} when enabled, and
 * {@code encN_dropout} when dropout is on. Dropout acts after every hidden layer, never on the input
 * (use {@code TrainingConfig.withCorruption} for a denoising autoencoder) nor on the code.
 *
 * <h2>Denoising and sparse variants</h2>
 * <pre>{@code
 * // denoising: corruption is a training option, applied to training batches only
 * Autoencoder dae = Autoencoder.fit(DenseAutoencoder.defaults(64).build(), rows,
 *         TrainingConfig.defaults().withCorruption(Corruption.gaussian(0.2)));
 * // sparse: an L1 activity penalty on a ReLU code (or Sparsity.kl(0.05, 0.1) on a sigmoid code)
 * AutoencoderSpec sparse = DenseAutoencoder.builder(64).hidden(64).latent(32)
 *         .latentActivation(Activation.RELU).sparsity(Sparsity.l1(0.01)).build();
 * }</pre>
 *
 * <h2>Tied weights</h2>
 * Not offered: DL4J gives every layer of a graph a disjoint slice of one flat parameter array, so a
 * decoder layer cannot use the transpose of an encoder layer's weights without cross-layer wiring
 * that DL4J's cloning, serialisation and ae-core's decoder-only graph would all lose.
 */
public final class DenseAutoencoder {

    /** Name of the activity-penalty layer placed after {@code latent} when sparsity is on. */
    public static final String SPARSITY = "sparsity";
    /** Name of the decoder's last dense layer (pre-activations of the reconstruction). */
    public static final String OUTPUT = "dec_out";
    /** Name of the identity vertex used as the encoder's output when there are no hidden layers. */
    public static final String ENCODER_IDENTITY = "enc_identity";

    /** Widest hidden layer the default sizing picks. */
    public static final int MAX_DEFAULT_HIDDEN = 256;
    /** Widest bottleneck the default sizing picks. */
    public static final int MAX_DEFAULT_LATENT = 64;

    private DenseAutoencoder() {
    }

    /**
     * A builder for rows of {@code inputSize} values. Everything not set takes the defaults described
     * in the class documentation; hidden sizes not set are derived from the chosen bottleneck.
     *
     * @param inputSize values per input row, at least 1
     * @return the builder
     * @throws IllegalArgumentException when {@code inputSize < 1}
     */
    public static Builder builder(int inputSize) {
        return new Builder(inputSize);
    }

    /**
     * The preset: a builder with the bottleneck set to {@link #defaultLatent(int)} and every other
     * setting at its default; the hidden sizes follow the bottleneck ({@link #defaultHidden(int, int)})
     * unless set, so {@code defaults(64).latent(4)} gets hidden sizes fit for a 4-unit code.
     * {@code defaults(64).build()} is {@code dense 64-32-[8]-32-64}. It configures the same model as
     * {@link #builder(int)}; use it where the intent "all defaults" should read at the call site.
     *
     * @param inputSize values per input row, at least 1
     * @return the builder, to adjust further or build as is
     */
    public static Builder defaults(int inputSize) {
        return new Builder(inputSize).latent(defaultLatent(inputSize));
    }

    /**
     * Fraction of the standardised variance that {@link #forAnomalyDetection(INDArray)} sizes the code
     * for: 0.99 (0.95 until session 4 of issue 14). A wider code lets the detector's latent
     * nearest-codes term see nearly all of a row's variation and the decoder reconstruct normal rows
     * more closely: on the six development tables ({@code QualityBenchmark}, 5 seeds, same splits) the
     * default detector's mean AUROC is 0.821 against 0.812 with 0.95 (kNN 0.810; letter 0.939 vs 0.919,
     * vehicle 0.886 vs 0.855, sonar 0.590 vs 0.599), and 0.826 against 0.808 on {@code anomaly_eval.py}'s
     * splits (kNN 0.818); letter trained in 27.9 s vs 28.8 s at load 1-4 (1.3x under heavy load). See
     * {@code docs/notes/issue-14-session4.md}.
     */
    public static final double DETECTION_VARIANCE = 0.99;
    /** Most rows {@link #varianceDimension(INDArray, double)} reads (a seeded subsample beyond). */
    static final int MAX_SIZING_ROWS = 5000;
    /** Widest input {@link #forAnomalyDetection(INDArray)} sizes from the data (wider: width rule). */
    public static final int MAX_SIZING_WIDTH = 512;

    /**
     * The anomaly-detection preset, sized from the training rows themselves: a bottleneck of as many
     * units as principal components hold {@value #DETECTION_VARIANCE} of the variance of the
     * standardised rows ({@link #varianceDimension(INDArray, double)}), clamped to
     * {@code [2, min(64, w - 1)]}, and one hidden layer of {@code min(256, max(4 * latent, w))} units
     * each side. On the six development tables (glass, vowel, vehicle, sonar, letter, soybean; see
     * {@code docs/notes/issue-14.md}) the width rule's narrow code ({@code sqrt(w)}: 3 units for 9
     * features) could not represent the normal data (mean AUROC 0.72 with the standardised score, vs
     * 0.80 for this sizing): a detector needs a code wide enough to reconstruct normal rows well, and
     * the variance spectrum says how wide that is. Inputs wider than {@value #MAX_SIZING_WIDTH} (images)
     * fall back to {@link #defaults(int)}.
     *
     * @param rows training rows, raw, shape [rows, w] (at least 2 rows)
     * @return a builder with the bottleneck and hidden sizes set
     * @throws IllegalArgumentException on fewer than 2 rows or non-finite values
     */
    public static Builder forAnomalyDetection(INDArray rows) {
        Objects.requireNonNull(rows, "rows");
        int w = (int) rows.size(1);
        if (w > MAX_SIZING_WIDTH || w < 3) {
            return defaults(w);
        }
        int k = Math.max(2, Math.min(Math.min(MAX_DEFAULT_LATENT, w - 1), varianceDimension(rows, DETECTION_VARIANCE)));
        int h = Math.min(MAX_DEFAULT_HIDDEN, Math.max(4 * k, w));
        return new Builder(w).latent(k).hidden(h);
    }

    /**
     * How many principal components of the standardised rows (every column centred and divided by
     * its standard deviation; constant columns left out) hold a fraction of the total variance.
     * Reads at most {@value #MAX_SIZING_ROWS} rows (a seeded subsample beyond).
     *
     * @param rows     rows, shape [rows, w], at least 2
     * @param fraction the variance fraction, in (0, 1]
     * @return the number of components, in [1, w] (1 when every column is constant)
     * @throws IllegalArgumentException on fewer than 2 rows, non-finite values or a bad fraction
     */
    public static int varianceDimension(INDArray rows, double fraction) {
        Objects.requireNonNull(rows, "rows");
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1], got " + fraction);
        }
        if (rows.rank() != 2 || rows.size(0) < 2) {
            throw new IllegalArgumentException("need at least 2 rows of a [rows, features] matrix, got shape "
                    + Arrays.toString(rows.shape()));
        }
        int n = (int) Math.min(rows.size(0), Integer.MAX_VALUE);
        int w = (int) rows.size(1);
        int[] pick;
        if (n > MAX_SIZING_ROWS) {
            java.util.Random r = new java.util.Random(0x51E5L);
            pick = new int[MAX_SIZING_ROWS];
            for (int i = 0; i < pick.length; i++) {
                pick[i] = i;
            }
            for (int i = pick.length; i < n; i++) {   // reservoir sample of row indices
                int j = r.nextInt(i + 1);
                if (j < pick.length) {
                    pick[j] = i;
                }
            }
        } else {
            pick = new int[n];
            for (int i = 0; i < n; i++) {
                pick[i] = i;
            }
        }
        double[][] x = new double[pick.length][];
        for (int i = 0; i < pick.length; i++) {
            x[i] = rows.getRow(pick[i]).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleVector();
        }
        int m = x.length;
        List<Integer> live = new ArrayList<>();
        for (int j = 0; j < w; j++) {
            double mean = 0;
            for (double[] row : x) {
                mean += row[j];
            }
            mean /= m;
            double var = 0;
            for (double[] row : x) {
                var += (row[j] - mean) * (row[j] - mean);
            }
            if (!Double.isFinite(var)) {
                throw new IllegalArgumentException("rows contain NaN or infinite values (column " + j + ")");
            }
            double sd = Math.sqrt(var / m);
            if (sd > 1e-12 * Math.max(1, Math.abs(mean))) {
                live.add(j);
                for (double[] row : x) {
                    row[j] = (row[j] - mean) / sd;
                }
            }
        }
        int d = live.size();
        if (d == 0) {
            return 1;
        }
        double[][] cov = new double[d][d];
        for (double[] row : x) {
            for (int a = 0; a < d; a++) {
                double va = row[live.get(a)];
                for (int b = a; b < d; b++) {
                    cov[a][b] += va * row[live.get(b)];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                cov[a][b] /= m;
                cov[b][a] = cov[a][b];
            }
        }
        double[] ev = Projection.jacobi(cov, new double[d][d]);
        double[] sorted = ev.clone();
        Arrays.sort(sorted);
        double total = 0;
        for (double v : sorted) {
            total += Math.max(0, v);
        }
        double acc = 0;
        int count = 0;
        for (int i = sorted.length - 1; i >= 0; i--) {
            acc += Math.max(0, sorted[i]);
            count++;
            if (acc >= fraction * total - 1e-12) {
                break;
            }
        }
        return Math.max(1, count);
    }

    /**
     * The default mini-batch size for a number of training rows: 64, or 256 from 2,000 rows on
     * (four times fewer optimiser steps per epoch where there are rows enough: on the letter table,
     * 3,800 rows, training is about 3x faster at a small loss of AUROC; see
     * {@code docs/notes/issue-14.md}).
     *
     * @param rows the number of training rows
     * @return the batch size
     */
    public static int defaultBatchSize(long rows) {
        return rows >= 2000 ? 256 : 64;
    }

    /**
     * The default bottleneck size for a width: {@code clamp(round(sqrt(w)), 2, 64)}, but at most
     * {@code w - 1} so that the code is narrower than the input (1 for a 1-feature input, which then
     * needs {@link Builder#overcomplete(boolean) overcomplete}).
     *
     * @param inputSize the input width {@code w}, at least 1
     * @return the bottleneck size
     */
    public static int defaultLatent(int inputSize) {
        requireInputSize(inputSize);
        if (inputSize == 1) {
            return 1;
        }
        int k = (int) Math.round(Math.sqrt(inputSize));
        k = Math.max(2, Math.min(MAX_DEFAULT_LATENT, k));
        return Math.min(inputSize - 1, k);
    }

    /**
     * The default encoder hidden sizes for a width, with the default bottleneck:
     * {@code defaultHidden(w, defaultLatent(w))}.
     *
     * @param inputSize the input width, at least 1
     * @return the hidden sizes, widest first (possibly empty)
     */
    public static int[] defaultHidden(int inputSize) {
        return defaultHidden(inputSize, defaultLatent(inputSize));
    }

    /**
     * The default encoder hidden sizes for a width and a bottleneck: halving from
     * {@code min(256, ceil(w / 2))} (rounding up), keeping only sizes wider than the code, and
     * stopping after the first size at most 4x the code.
     *
     * @param inputSize the input width, at least 1
     * @param latent    the bottleneck size, at least 1
     * @return the hidden sizes, widest first (possibly empty)
     */
    public static int[] defaultHidden(int inputSize, int latent) {
        requireInputSize(inputSize);
        if (latent < 1) {
            throw new IllegalArgumentException("latent size must be >= 1, got " + latent);
        }
        List<Integer> sizes = new ArrayList<>();
        int h = Math.min(MAX_DEFAULT_HIDDEN, (inputSize + 1) / 2);
        while (h > latent) {
            sizes.add(h);
            if (h <= 4L * latent) {
                break;
            }
            h = (h + 1) / 2;
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void requireInputSize(int inputSize) {
        if (inputSize < 1) {
            throw new IllegalArgumentException("input size must be >= 1 feature, got " + inputSize);
        }
    }

    /**
     * Configures a dense autoencoder and builds its {@link AutoencoderSpec}. Each setter checks its
     * argument at once ({@link IllegalArgumentException} naming the expected range and the value
     * given); {@link #build()} checks the combination. Not thread-safe; the specs it builds are
     * immutable.
     */
    public static final class Builder {

        private final int inputSize;
        private int[] hidden;
        private int[] decoderHidden;
        private int latent;
        private Activation activation = Activation.ELU;
        private Activation latentActivation = Activation.IDENTITY;
        private double dropout;
        private boolean batchNorm;
        private double l2;
        private ReconstructionLoss loss = ReconstructionLosses.mse();
        private boolean overcomplete;
        private Sparsity sparsity = Sparsity.none();

        private Builder(int inputSize) {
            requireInputSize(inputSize);
            this.inputSize = inputSize;
        }

        /**
         * The encoder's hidden layer sizes, widest first; no sizes means no hidden layer (a shallow
         * autoencoder, {@code input-[latent]-input}). Unless {@link #decoderHidden(int...)} is
         * given, the decoder uses the same sizes in reverse.
         *
         * @param sizes the sizes, each at least 1
         * @return this builder
         */
        public Builder hidden(int... sizes) {
            this.hidden = checkSizes(sizes, "hidden");
            return this;
        }

        /**
         * The decoder's hidden layer sizes, nearest the code first (instead of the mirrored
         * encoder); no sizes means the decoder is a single dense layer from the code to the output.
         *
         * @param sizes the sizes, each at least 1
         * @return this builder
         */
        public Builder decoderHidden(int... sizes) {
            this.decoderHidden = checkSizes(sizes, "decoder hidden");
            return this;
        }

        /**
         * The bottleneck size.
         *
         * @param size number of latent units, at least 1 (smaller than the input unless
         *             {@link #overcomplete(boolean) overcomplete})
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
         * The activation of every hidden layer (default ELU).
         *
         * @param a the activation
         * @return this builder
         */
        public Builder activation(Activation a) {
            this.activation = Objects.requireNonNull(a, "activation");
            return this;
        }

        /**
         * The activation of the bottleneck (default identity: a linear code). ReLU suits L1
         * sparsity; sigmoid is required by KL sparsity.
         *
         * @param a the activation
         * @return this builder
         */
        public Builder latentActivation(Activation a) {
            this.latentActivation = Objects.requireNonNull(a, "latentActivation");
            return this;
        }

        /**
         * Dropout after every hidden layer (encoder and decoder), as a drop probability.
         *
         * @param rate probability of zeroing an activation in training, in [0, 1); 0 disables it
         * @return this builder
         */
        public Builder dropout(double rate) {
            if (!(rate >= 0 && rate < 1)) {
                throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
            }
            this.dropout = rate;
            return this;
        }

        /**
         * Batch normalisation in every hidden layer, between the dense layer (then without bias)
         * and its activation.
         *
         * @param on true to enable
         * @return this builder
         */
        public Builder batchNorm(boolean on) {
            this.batchNorm = on;
            return this;
        }

        /**
         * L2 weight penalty on the weights of every hidden layer and of the output layer (the
         * bottleneck layer is built by ae-core and has none).
         *
         * @param coefficient the L2 coefficient, &gt;= 0; 0 disables it
         * @return this builder
         */
        public Builder l2(double coefficient) {
            if (!(coefficient >= 0) || !Double.isFinite(coefficient)) {
                throw new IllegalArgumentException("l2 must be >= 0 and finite, got " + coefficient);
            }
            this.l2 = coefficient;
            return this;
        }

        /**
         * The reconstruction loss (default {@link ReconstructionLosses#mse()}); e.g.
         * {@link ReconstructionLosses#binaryCrossEntropy()} for data scaled to [0, 1].
         *
         * @param l the loss
         * @return this builder
         */
        public Builder loss(ReconstructionLoss l) {
            this.loss = Objects.requireNonNull(l, "loss");
            return this;
        }

        /**
         * Allows a bottleneck at least as wide as the input, on purpose (a sparse or denoising
         * model); without it such a bottleneck fails in {@link #build()}.
         *
         * @param on true to allow
         * @return this builder
         */
        public Builder overcomplete(boolean on) {
            this.overcomplete = on;
            return this;
        }

        /**
         * An activity penalty on the bottleneck (default {@link Sparsity#none()}).
         *
         * @param s the penalty
         * @return this builder
         */
        public Builder sparsity(Sparsity s) {
            this.sparsity = Objects.requireNonNull(s, "sparsity");
            return this;
        }

        /** @return the bottleneck size that {@link #build()} will use */
        public int latentSize() {
            return latent > 0 ? latent : defaultLatent(inputSize);
        }

        /** @return the encoder hidden sizes that {@link #build()} will use */
        public int[] hiddenSizes() {
            return hidden != null ? hidden.clone() : defaultHidden(inputSize, latentSize());
        }

        /** @return the decoder hidden sizes that {@link #build()} will use */
        public int[] decoderHiddenSizes() {
            if (decoderHidden != null) {
                return decoderHidden.clone();
            }
            int[] h = hiddenSizes();
            int[] r = new int[h.length];
            for (int i = 0; i < h.length; i++) {
                r[i] = h[h.length - 1 - i];
            }
            return r;
        }

        /**
         * Checks the configuration as a whole and builds the spec.
         *
         * @return an immutable spec named like {@code dense 64-32-[8]-32-64}
         * @throws IllegalArgumentException when the bottleneck is not narrower than the input and
         *                                  overcomplete is not set, or KL sparsity is asked for without a
         *                                  sigmoid bottleneck
         */
        public AutoencoderSpec build() {
            validate();
            Layers layers = layers();
            return new AutoencoderSpec(InputType.feedForward(inputSize), layers.encoder(), bottleneck(),
                    layers.decoder(), loss, overcomplete, name());
        }

        /**
         * The encoder alone (the configured hidden blocks), to combine with a custom decoder in an
         * {@link AutoencoderSpec} of your own.
         *
         * @return the encoder
         */
        public Encoder encoder() {
            validate();
            return layers().encoder();
        }

        /**
         * The decoder alone (optional sparsity layer, hidden blocks, output layer of the input
         * width), to combine with a custom encoder: its input is the {@code latent} vertex of
         * whatever size.
         *
         * @return the decoder
         */
        public Decoder decoder() {
            validate();
            return layers().decoder();
        }

        /** @return the bottleneck that {@link #build()} will use */
        public Bottleneck bottleneck() {
            return Bottleneck.dense(latentSize(), latentActivation);
        }

        /**
         * The name given to the spec: the layer widths with the bottleneck in brackets, then the
         * settings that differ from the defaults, e.g. {@code dense 64-32-[8]-32-64} or
         * {@code dense 64-[16]-64 (latent relu, sparsity l1(0.01))}.
         *
         * @return the name
         */
        public String name() {
            int[] enc = hiddenSizes();
            int[] dec = decoderHiddenSizes();
            StringBuilder s = new StringBuilder("dense ").append(inputSize);
            for (int h : enc) {
                s.append('-').append(h);
            }
            s.append("-[").append(latentSize()).append(']');
            for (int h : dec) {
                s.append('-').append(h);
            }
            s.append('-').append(inputSize);
            List<String> opts = new ArrayList<>();
            if (activation != Activation.ELU && (enc.length > 0 || dec.length > 0)) {
                opts.add(lower(activation));
            }
            if (latentActivation != Activation.IDENTITY) {
                opts.add("latent " + lower(latentActivation));
            }
            if (batchNorm) {
                opts.add("batchnorm");
            }
            if (dropout > 0) {
                opts.add("dropout " + dropout);
            }
            if (l2 > 0) {
                opts.add("l2 " + l2);
            }
            if (!sparsity.isNone()) {
                opts.add("sparsity " + sparsity.describe());
            }
            if (!"mse".equals(loss.name())) {
                opts.add("loss " + loss.name());
            }
            if (!opts.isEmpty()) {
                s.append(" (").append(String.join(", ", opts)).append(')');
            }
            return s.toString();
        }

        @Override
        public String toString() {
            return "DenseAutoencoder.Builder[" + name() + (overcomplete ? ", overcomplete" : "") + "]";
        }

        private void validate() {
            int k = latentSize();
            if (k >= inputSize && !overcomplete) {
                throw new IllegalArgumentException("bottleneck of " + k + " units is not smaller than the input ("
                        + inputSize + " features): an autoencoder that can copy its input learns nothing;"
                        + " call overcomplete(true) if this is intended (e.g. with sparsity or denoising)");
            }
            if (sparsity.kind() == Sparsity.Kind.KL && latentActivation != Activation.SIGMOID
                    && latentActivation != Activation.HARDSIGMOID) {
                throw new IllegalArgumentException("KL sparsity needs bottleneck activations in (0, 1): expected"
                        + " latentActivation(Activation.SIGMOID), got " + lower(latentActivation));
            }
        }

        private Layers layers() {
            return new Layers(inputSize, hiddenSizes(), decoderHiddenSizes(), activation, dropout, batchNorm, l2,
                    sparsity);
        }

        private static int[] checkSizes(int[] sizes, String what) {
            Objects.requireNonNull(sizes, what + " sizes");
            for (int i = 0; i < sizes.length; i++) {
                if (sizes[i] < 1) {
                    throw new IllegalArgumentException(what + " layer sizes must be >= 1, got " + sizes[i]
                            + " for layer " + (i + 1) + " of " + Arrays.toString(sizes));
                }
            }
            return sizes.clone();
        }

        private static String lower(Activation a) {
            return a.name().toLowerCase(Locale.ROOT);
        }
    }

    /** The immutable layer recipe captured by the encoder and decoder lambdas. */
    private record Layers(int inputSize, int[] hidden, int[] decoderHidden, Activation activation, double dropout,
                          boolean batchNorm, double l2, Sparsity sparsity) {

        Encoder encoder() {
            return (g, input, in) -> {
                if (hidden.length == 0) {
                    g.addLayer(ENCODER_IDENTITY, new ActivationLayer.Builder().activation(Activation.IDENTITY)
                            .build(), input);
                    return ENCODER_IDENTITY;
                }
                String prev = input;
                for (int i = 0; i < hidden.length; i++) {
                    prev = block(g, "enc" + (i + 1), hidden[i], prev);
                }
                return prev;
            };
        }

        Decoder decoder() {
            return (g, latent, target) -> {
                String prev = latent;
                if (!sparsity.isNone()) {
                    ActivityPenalty p = new ActivityPenalty(sparsity);
                    p.setLayerName(SPARSITY);
                    g.addLayer(SPARSITY, p, prev);
                    prev = SPARSITY;
                }
                for (int i = 0; i < decoderHidden.length; i++) {
                    prev = block(g, "dec" + (i + 1), decoderHidden[i], prev);
                }
                DenseLayer.Builder out = new DenseLayer.Builder().nOut(inputSize).activation(Activation.IDENTITY);
                if (l2 > 0) {
                    out.l2(l2);
                }
                g.addLayer(OUTPUT, NativeDense.of(out.build()), prev);
                return OUTPUT;
            };
        }

        private String block(GraphBuilder g, String name, int size, String in) {
            DenseLayer.Builder d = new DenseLayer.Builder().nOut(size)
                    .activation(batchNorm ? Activation.IDENTITY : activation)
                    .hasBias(!batchNorm)
                    .weightInit(initFor(activation));
            if (l2 > 0) {
                d.l2(l2);
            }
            g.addLayer(name, NativeDense.of(d.build()), in);
            String out = name;
            if (batchNorm) {
                g.addLayer(name + "_bn", new BatchNormalization.Builder().build(), out);
                g.addLayer(name + "_act", new ActivationLayer.Builder().activation(activation).build(), name + "_bn");
                out = name + "_act";
            }
            if (dropout > 0) {
                g.addLayer(name + "_dropout", new DropoutLayer(1.0 - dropout), out);
                out = name + "_dropout";
            }
            return out;
        }

        private static WeightInit initFor(Activation a) {
            return switch (a) {
                case RELU, RELU6, LEAKYRELU, RRELU, ELU, SELU, GELU, SWISH, MISH -> WeightInit.RELU;
                default -> WeightInit.XAVIER;
            };
        }
    }
}
