package io.github.ae4j.conv.series;

import io.github.ae4j.conv.ConvAutoencoder;
import io.github.ae4j.conv.ConvBlock;
import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.AutoencoderSpec;
import io.github.ae4j.core.Bottleneck;
import io.github.ae4j.core.ReconstructionLoss;
import io.github.ae4j.core.ReconstructionLosses;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * 1-D convolutional autoencoders over windows of a (multivariate) time series, and per-step and
 * per-point reconstruction errors.
 *
 * <p>A window of {@code length} points with {@code channels} values each is handled as an image of
 * height 1, width {@code length} and {@code channels} channels: every convolution is a 1 x k
 * convolution over time (ND4J's native {@code conv2d} on oneDNN, see {@link ConvAutoencoder}),
 * pooling and upsampling act along time only, and odd window lengths are rebuilt exactly.
 *
 * <pre>{@code
 * SlidingWindows w = SlidingWindows.over(series, 64, 8);          // series: double[points][channels]
 * Autoencoder m = Autoencoder.fit(SeriesAutoencoder.builder(64, channels).build(),
 *         w.extract(series), TrainingConfig.defaults());
 * double[] score = SeriesAutoencoder.pointScores(m, series, w, WindowPolicy.MAX);  // one per point
 * }</pre>
 */
public final class SeriesAutoencoder {

    private SeriesAutoencoder() {
    }

    /**
     * A builder for windows of {@code windowLength} points of {@code channels} values. Defaults:
     * two blocks of 1 x 5 convolutions with 32 and 16 filters, ReLU and max pooling by 2 along time,
     * a dense bottleneck of {@code clamp(windowLength * channels / 8, 2, 32)} units, the decoder
     * mirrored, MSE loss (use standardised data: {@code Normalization.STANDARD}).
     *
     * @param windowLength points per window
     * @param channels     values per point
     * @return the builder
     */
    public static Builder builder(int windowLength, int channels) {
        return new Builder(windowLength, channels);
    }

    /**
     * Per-step reconstruction errors of windows: the per-feature errors averaged over channels.
     *
     * @param model a model trained on windows ({@code inputShape() = [1, length, channels]})
     * @param windows raw window rows, shape [n, length * channels]
     * @return errors, shape [n, length]
     */
    public static INDArray stepErrors(Autoencoder model, INDArray windows) {
        return windowErrors(model, windows).mean(2);
    }

    /**
     * Anomaly scores for every point of a series: the windows' per-step reconstruction errors mapped
     * back to points by {@code policy}.
     *
     * @param model   a model trained on windows of {@code windows.length()} points
     * @param series  the series, {@code [points][channels]}
     * @param windows the windowing (its series length must be the series')
     * @param policy  how overlapping windows are combined
     * @return one score per point, higher = more anomalous
     */
    public static double[] pointScores(Autoencoder model, double[][] series, SlidingWindows windows,
                                       WindowPolicy policy) {
        Objects.requireNonNull(windows, "windows");
        return windows.toPoints(stepErrors(model, windows.extract(series)), policy);
    }

    /**
     * Per-feature reconstruction errors of windows arranged as {@code [n, length, channels]}, for any window model
     * (this 1-D conv one, {@link LstmSeriesAutoencoder}); shared by the per-step and per-channel views.
     */
    static INDArray windowErrors(Autoencoder model, INDArray windows) {
        Objects.requireNonNull(model, "model");
        int[] s = model.inputShape();
        if (s.length != 3 || s[0] != 1) {
            throw new IllegalArgumentException("expected a model over windows (input shape [1, length, channels]), got "
                    + Arrays.toString(s));
        }
        INDArray e = model.featureErrors(windows);
        return e.reshape('c', e.size(0), s[1], s[2]);
    }

    /** Builds a 1-D convolutional autoencoder spec. */
    public static final class Builder {
        private final int length;
        private final int channels;
        private int[] filters = {32, 16};
        private int kernel = 5;
        private int pool = 2;
        private boolean strided;
        private boolean batchNorm;
        private Activation activation = Activation.RELU;
        private Bottleneck bottleneck;
        private ReconstructionLoss loss = ReconstructionLosses.mse();

        private Builder(int length, int channels) {
            if (length < 1 || channels < 1) {
                throw new IllegalArgumentException("window length and channels must be >= 1, got " + length + " and "
                        + channels);
            }
            this.length = length;
            this.channels = channels;
            this.bottleneck = Bottleneck.dense(Math.max(2, Math.min(32, length * channels / 8)));
        }

        /** @param f filters per block, input side first @return this */
        public Builder filters(int... f) {
            Objects.requireNonNull(f, "filters");
            if (f.length == 0) {
                throw new IllegalArgumentException("at least one convolution block is needed");
            }
            this.filters = f.clone();
            return this;
        }

        /** @param k kernel size along time, at least 1 @return this */
        public Builder kernel(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("kernel must be >= 1, got " + k);
            }
            this.kernel = k;
            return this;
        }

        /** @param p downsampling factor per block along time (1: none) @return this */
        public Builder pooling(int p) {
            if (p < 1) {
                throw new IllegalArgumentException("pooling must be >= 1, got " + p);
            }
            this.pool = p;
            return this;
        }

        /** @param s true to downsample by strided convolutions instead of max pooling @return this */
        public Builder stridedConvolution(boolean s) {
            this.strided = s;
            return this;
        }

        /** @param bn true for batch normalisation in every block @return this */
        public Builder batchNorm(boolean bn) {
            this.batchNorm = bn;
            return this;
        }

        /** @param a the blocks' activation @return this */
        public Builder activation(Activation a) {
            this.activation = Objects.requireNonNull(a, "activation");
            return this;
        }

        /** @param size dense bottleneck units @return this */
        public Builder denseBottleneck(int size) {
            this.bottleneck = Bottleneck.dense(size);
            return this;
        }

        /** The encoder's last feature map is the code. @return this */
        public Builder convolutionalBottleneck() {
            this.bottleneck = Bottleneck.encoderOutput(Activation.IDENTITY);
            return this;
        }

        /** @param l the reconstruction loss @return this */
        public Builder loss(ReconstructionLoss l) {
            this.loss = Objects.requireNonNull(l, "loss");
            return this;
        }

        /** @return the spec, input type {@code convolutionalFlat(1, length, channels)} */
        public AutoencoderSpec build() {
            List<ConvBlock> blocks = new ArrayList<>();
            for (int f : filters) {
                ConvBlock b = ConvBlock.of(f).withKernel(1, kernel).withActivation(activation).withBatchNorm(batchNorm);
                b = strided ? b.withStride(1, pool).withPool(1, 1) : b.withPool(1, pool);
                blocks.add(b);
            }
            return ConvAutoencoder.builder(1, length, channels)
                    .blocks(blocks)
                    .bottleneck(bottleneck)
                    .loss(loss)
                    .outputKernel(1, kernel)
                    .name("conv1d window " + length + "x" + channels + " " + Arrays.toString(filters) + " k" + kernel
                            + (strided ? " stride " : " pool ") + pool + " ["
                            + (bottleneck.isDense() ? "dense " + bottleneck.size() : "conv") + "] mirrored, " + loss.name())
                    .build();
        }
    }
}
