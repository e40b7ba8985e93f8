package io.github.ae4j.conv.series;

import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.AutoencoderSpec;
import io.github.ae4j.core.Bottleneck;
import io.github.ae4j.core.Decoder;
import io.github.ae4j.core.Encoder;
import io.github.ae4j.core.ReconstructionLoss;
import io.github.ae4j.core.ReconstructionLosses;
import java.util.Arrays;
import java.util.Objects;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.ReshapeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.misc.RepeatVector;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * LSTM encoder-decoder autoencoders over windows of a (multivariate) time series (Malhotra,
 * Ramakrishnan, Anand, Vig, Agarwal and Shroff, <i>LSTM-based Encoder-Decoder for Multi-sensor
 * Anomaly Detection</i>, ICML anomaly detection workshop 2016), built through ae-core's contracts as
 * one DL4J {@code ComputationGraph}:
 *
 * <pre>
 * input [n, length*channels] -&gt; reshape [n, length, channels] -&gt; LSTM ... -&gt; last time step
 *   -&gt; latent (dense) -&gt; repeat length times -&gt; LSTM ... -&gt; per-step dense to channels
 *   -&gt; reshape [n, length*channels] -&gt; reconstruction
 * </pre>
 *
 * <p>Windows are the rows {@link SlidingWindows#extract(double[][])} cuts (time-major, as for
 * {@link SeriesAutoencoder}); the model's input shape is {@code [1, length, channels]}, so
 * {@link SeriesAutoencoder#stepErrors}, {@link SeriesAutoencoder#pointScores} and
 * {@link #channelErrors} work on both kinds of window model. The decoder rebuilds the window from the
 * code alone (the paper's decoder is fed its own previous output; repeating the code at every step
 * is the common simplification, Srivastava et al. 2015's "unconditioned" decoder).
 *
 * <pre>{@code
 * SlidingWindows w = SlidingWindows.over(series, 32, 1);
 * Autoencoder m = Autoencoder.fit(LstmSeriesAutoencoder.builder(32, channels).build(),
 *         w.extract(series), TrainingConfig.defaults().withNormalization(Normalization.STANDARD));
 * double[] score = SeriesAutoencoder.pointScores(m, series, w, WindowPolicy.MAX);
 * }</pre>
 */
public final class LstmSeriesAutoencoder {

    private LstmSeriesAutoencoder() {
    }

    /**
     * A builder for windows of {@code windowLength} points of {@code channels} values. Defaults: one
     * LSTM of 32 units in the encoder and the decoder, a dense linear bottleneck of
     * {@code clamp(windowLength * channels / 4, 2, 16)} units, MSE loss (use standardised data).
     *
     * @param windowLength points per window, at least 2
     * @param channels     values per point, at least 1
     * @return the builder
     */
    public static Builder builder(int windowLength, int channels) {
        return new Builder(windowLength, channels);
    }

    /**
     * Per-channel reconstruction errors of windows: the per-feature errors averaged over the steps of
     * each window (which channel a window could not rebuild).
     *
     * @param model   a window model (input shape {@code [1, length, channels]})
     * @param windows raw window rows, shape [n, length * channels]
     * @return errors, shape [n, channels]
     */
    public static INDArray channelErrors(Autoencoder model, INDArray windows) {
        return SeriesAutoencoder.windowErrors(model, windows).mean(1);
    }

    /** Builds an LSTM sequence autoencoder spec. */
    public static final class Builder {
        private final int length;
        private final int channels;
        private int[] hidden = {32};
        private int latent;
        private ReconstructionLoss loss = ReconstructionLosses.mse();

        private Builder(int length, int channels) {
            if (length < 2 || channels < 1) {
                throw new IllegalArgumentException("window length must be >= 2 and channels >= 1, got " + length
                        + " and " + channels);
            }
            this.length = length;
            this.channels = channels;
            this.latent = Math.max(2, Math.min(16, length * channels / 4));
        }

        /**
         * @param units LSTM units per encoder layer, input side first (the decoder mirrors them)
         * @return this
         */
        public Builder hidden(int... units) {
            Objects.requireNonNull(units, "units");
            if (units.length == 0 || Arrays.stream(units).anyMatch(u -> u < 1)) {
                throw new IllegalArgumentException("expected at least one LSTM layer of >= 1 units, got "
                        + Arrays.toString(units));
            }
            this.hidden = units.clone();
            return this;
        }

        /** @param size dense bottleneck units, at least 1 @return this */
        public Builder latent(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("latent size must be >= 1, got " + size);
            }
            this.latent = size;
            return this;
        }

        /** @param l the reconstruction loss @return this */
        public Builder loss(ReconstructionLoss l) {
            this.loss = Objects.requireNonNull(l, "loss");
            return this;
        }

        /** @return the spec, input type {@code convolutionalFlat(1, length, channels)} */
        public AutoencoderSpec build() {
            final int l = length;
            final int c = channels;
            final int[] h = hidden.clone();
            Encoder enc = (g, input, in) -> {
                g.addVertex("enc_seq", new ReshapeVertex('c', new int[] {-1, l, c}, null), input);
                String prev = "enc_seq";
                int nIn = c;
                for (int i = 0; i < h.length; i++) {
                    LSTM lstm = new LSTM.Builder().nIn(nIn).nOut(h[i]).activation(Activation.TANH)
                            .dataFormat(RNNFormat.NWC).build();
                    String name = "enc_lstm" + i;
                    if (i == h.length - 1) {
                        g.addLayer(name, new LastTimeStep(lstm), prev);
                    } else {
                        g.addLayer(name, lstm, prev);
                    }
                    prev = name;
                    nIn = h[i];
                }
                return prev;
            };
            int latentSize = latent;
            Decoder dec = (g, z, target) -> {
                g.addLayer("dec_repeat", new RepeatVector.Builder(l).dataFormat(RNNFormat.NWC)
                        .nIn(latentSize).nOut(latentSize).build(), z);
                String prev = "dec_repeat";
                int nIn = latentSize;
                for (int i = h.length - 1; i >= 0; i--) {
                    String name = "dec_lstm" + (h.length - 1 - i);
                    g.addLayer(name, new LSTM.Builder().nIn(nIn).nOut(h[i]).activation(Activation.TANH)
                            .dataFormat(RNNFormat.NWC).build(), prev);
                    prev = name;
                    nIn = h[i];
                }
                g.addLayer("dec_out", new TimeDistributed(new DenseLayer.Builder().nIn(nIn).nOut(c)
                        .activation(Activation.IDENTITY).build(), RNNFormat.NWC), prev);
                g.addVertex("dec_flat", new ReshapeVertex('c', new int[] {-1, l * c}, null), "dec_out");
                return "dec_flat";
            };
            return new AutoencoderSpec(InputType.convolutionalFlat(1, l, c), enc, Bottleneck.dense(latentSize), dec,
                    loss, false, "lstm window " + l + "x" + c + " " + Arrays.toString(h) + " [dense " + latentSize
                    + "] mirrored, " + loss.name());
        }
    }
}
