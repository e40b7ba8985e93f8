package io.github.ae4j.conv;

import io.github.ae4j.conv.image.ImageShape;
import io.github.ae4j.conv.layers.NativeConv2D;
import io.github.ae4j.conv.layers.NativeMaxPool2D;
import io.github.ae4j.core.AutoencoderSpec;
import io.github.ae4j.core.Bottleneck;
import io.github.ae4j.core.Decoder;
import io.github.ae4j.core.Encoder;
import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.ReconstructionLoss;
import io.github.ae4j.core.ReconstructionLosses;
import io.github.ae4j.core.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.nd4j.linalg.activations.Activation;

/**
 * Convolutional autoencoders for images given as flattened rows of {@code height * width *
 * channels} values (HWC order, as in CSV files and PNG images).
 *
 * <pre>{@code
 * ModelSpec spec = ConvAutoencoder.builder(28, 28, 1)          // the reference net:
 *         .build();                                           // conv 16 + pool, conv 8 + pool, mirrored
 * ModelSpec small = ConvAutoencoder.builder(28, 28, 1)
 *         .filters(32, 16).batchNorm(true).denseBottleneck(16)
 *         .loss(ReconstructionLosses.binaryCrossEntropy())    // pixels scaled to [0, 1]
 *         .build();
 * Autoencoder m = Autoencoder.fit(small, rows, ConvAutoencoder.trainingDefaults());
 * }</pre>
 *
 * <p>The encoder is a stack of {@link ConvBlock}s; the bottleneck is either the encoder's last
 * feature map ({@link Builder#convolutionalBottleneck()}, the default) or a dense layer
 * ({@link Builder#denseBottleneck(int)}); the decoder mirrors the encoder with nearest-neighbour
 * upsampling and convolutions, cropping or zero-padding at the bottom/right after each upsampling so
 * that every size is rebuilt exactly (28 -&gt; 14 -&gt; 7 -&gt; 14 -&gt; 28; 27 -&gt; 14 -&gt; 7 -&gt; 14
 * -&gt; 28 cropped to 27), and ends with a convolution to the input's channels giving
 * pre-activations; the loss's output activation is applied by the reconstruction layer (identity
 * for MSE, sigmoid for binary cross-entropy).
 *
 * <p>Every convolution is a {@link NativeConv2D}: ND4J's native {@code conv2d} op in NHWC layout,
 * which runs on oneDNN with the oneDNN build of nd4j-native, with upsampling, cropping, the
 * activation and max pooling fused into the same layer, and a backward pass of its own over the
 * native {@code _bp} ops. DL4J's {@code ConvolutionLayer} and
 * {@code Deconvolution2D} are not used: on CPU they are 15-50x slower in DL4J 1.0.0-M2.1. Batch
 * normalisation, when asked for, is DL4J's {@code BatchNormalization} layer (NHWC), because a
 * SameDiff layer cannot tell training from inference.
 */
public final class ConvAutoencoder {

    private ConvAutoencoder() {
    }

    /**
     * A builder for images of the given shape, starting from the reference net: conv 16 (3x3, ReLU)
     * + 2x2 max pool, conv 8 + 2x2 max pool, the 8-channel feature map as the (convolutional)
     * bottleneck, mirrored back with upsampling + conv 8, upsampling + conv 16, and a 3x3 output
     * convolution; MSE loss.
     *
     * @param height   image height
     * @param width    image width
     * @param channels channels (1 grey, 3 RGB)
     * @return the builder
     */
    public static Builder builder(int height, int width, int channels) {
        return new Builder(new ImageShape(height, width, channels));
    }

    /**
     * A builder for images of the given shape.
     *
     * @param shape the image shape
     * @return the builder
     * @see #builder(int, int, int)
     */
    public static Builder builder(ImageShape shape) {
        return new Builder(Objects.requireNonNull(shape, "shape"));
    }

    /**
     * Training settings suited to pixel data: {@link TrainingConfig#defaults()} with
     * {@link Normalization#SCALE} (pixels divided by the largest training value, to [0, 1]) and
     * batch 64. Pair it with {@link ReconstructionLosses#binaryCrossEntropy()}.
     *
     * @return the configuration
     */
    public static TrainingConfig trainingDefaults() {
        return TrainingConfig.defaults().withNormalization(Normalization.SCALE);
    }

    /**
     * The loss that matches a normalisation: binary cross-entropy with a sigmoid output for data
     * scaled to [0, 1] ({@link Normalization#SCALE} of non-negative pixels, {@link Normalization#MINMAX}),
     * MSE with an identity output otherwise.
     *
     * @param n the normalisation
     * @return the loss
     */
    public static ReconstructionLoss lossFor(Normalization n) {
        Objects.requireNonNull(n, "n");
        return n == Normalization.SCALE || n == Normalization.MINMAX ? ReconstructionLosses.binaryCrossEntropy()
                : ReconstructionLosses.mse();
    }

    /** Builds a convolutional autoencoder spec. Not thread-safe; {@link #build()} may be called repeatedly. */
    public static final class Builder {
        private final ImageShape shape;
        private List<ConvBlock> blocks = List.of(ConvBlock.of(16), ConvBlock.of(8));
        private Bottleneck bottleneck = Bottleneck.encoderOutput(Activation.IDENTITY);
        private ReconstructionLoss loss = ReconstructionLosses.mse();
        private int outputKernelHeight;
        private int outputKernelWidth;
        private boolean overcomplete;
        private String name;

        private Builder(ImageShape shape) {
            this.shape = shape;
        }

        /**
         * Replaces the encoder blocks.
         *
         * @param b the blocks, input side first, at least one
         * @return this
         */
        public Builder blocks(List<ConvBlock> b) {
            Objects.requireNonNull(b, "blocks");
            if (b.isEmpty()) {
                throw new IllegalArgumentException("at least one convolution block is needed");
            }
            b.forEach(x -> Objects.requireNonNull(x, "block"));
            this.blocks = List.copyOf(b);
            return this;
        }

        /**
         * Replaces the encoder blocks by one block per value, all with the settings of the current
         * first block (kernel, stride, padding, pooling, batch norm, activation).
         *
         * @param filters output channels per block, input side first
         * @return this
         */
        public Builder filters(int... filters) {
            Objects.requireNonNull(filters, "filters");
            if (filters.length == 0) {
                throw new IllegalArgumentException("at least one convolution block is needed");
            }
            ConvBlock t = blocks.get(0);
            List<ConvBlock> b = new ArrayList<>();
            for (int f : filters) {
                b.add(t.withFilters(f));
            }
            this.blocks = List.copyOf(b);
            return this;
        }

        private Builder each(UnaryOperator<ConvBlock> f) {
            this.blocks = blocks.stream().map(f).toList();
            return this;
        }

        /**
         * Sets the kernel of every block.
         *
         * @param h kernel height
         * @param w kernel width
         * @return this
         */
        public Builder kernel(int h, int w) {
            return each(b -> b.withKernel(h, w));
        }

        /**
         * Downsamples every block by max pooling of the given size (stride 1 convolutions).
         *
         * @param h pooling along the height (1: none)
         * @param w pooling along the width (1: none)
         * @return this
         */
        public Builder pooling(int h, int w) {
            return each(b -> b.withStride(1, 1).withPool(h, w));
        }

        /**
         * Downsamples every block by a strided convolution instead of pooling, by the block's current
         * pooling factor (2x2 by default).
         *
         * @return this
         */
        public Builder stridedConvolution() {
            return each(b -> b.withStride(b.downsampleHeight(), b.downsampleWidth()).withPool(1, 1));
        }

        /**
         * Sets the padding of every encoder convolution (decoder convolutions always use SAME).
         *
         * @param same true for SAME, false for VALID
         * @return this
         */
        public Builder samePadding(boolean same) {
            return each(b -> b.withSamePadding(same));
        }

        /**
         * Batch normalisation in every block (encoder and decoder).
         *
         * @param bn true to normalise
         * @return this
         */
        public Builder batchNorm(boolean bn) {
            return each(b -> b.withBatchNorm(bn));
        }

        /**
         * Sets the activation of every block.
         *
         * @param a the activation
         * @return this
         */
        public Builder activation(Activation a) {
            Objects.requireNonNull(a, "activation");
            return each(b -> b.withActivation(a));
        }

        /**
         * Sets the bottleneck.
         *
         * @param b a dense bottleneck, or {@link Bottleneck#encoderOutput(Activation)} for the
         *          encoder's feature map
         * @return this
         */
        public Builder bottleneck(Bottleneck b) {
            this.bottleneck = Objects.requireNonNull(b, "bottleneck");
            return this;
        }

        /**
         * A dense bottleneck of {@code size} linear units after the encoder (flattened), and a dense
         * layer back to the encoder's output shape in the decoder.
         *
         * @param size latent units
         * @return this
         */
        public Builder denseBottleneck(int size) {
            return bottleneck(Bottleneck.dense(size));
        }

        /**
         * The encoder's last feature map (flattened, height x width x filters values) is the code.
         *
         * @return this
         */
        public Builder convolutionalBottleneck() {
            return bottleneck(Bottleneck.encoderOutput(Activation.IDENTITY));
        }

        /**
         * Sets the reconstruction loss (and so the output activation).
         *
         * @param l the loss, e.g. binary cross-entropy for pixels scaled to [0, 1]
         * @return this
         */
        public Builder loss(ReconstructionLoss l) {
            this.loss = Objects.requireNonNull(l, "loss");
            return this;
        }

        /**
         * Sets the loss that matches a normalisation ({@link ConvAutoencoder#lossFor(Normalization)}).
         *
         * @param n the normalisation the model will be trained with
         * @return this
         */
        public Builder lossFor(Normalization n) {
            return loss(ConvAutoencoder.lossFor(n));
        }

        /**
         * The kernel of the decoder's final convolution to the input's channels (default: the first
         * block's kernel).
         *
         * @param h kernel height
         * @param w kernel width
         * @return this
         */
        public Builder outputKernel(int h, int w) {
            if (h < 1 || w < 1) {
                throw new IllegalArgumentException("output kernel must be positive, got " + h + "x" + w);
            }
            this.outputKernelHeight = h;
            this.outputKernelWidth = w;
            return this;
        }

        /**
         * Allows a code at least as large as the input.
         *
         * @param b true to allow
         * @return this
         */
        public Builder overcomplete(boolean b) {
            this.overcomplete = b;
            return this;
        }

        /**
         * A name stored in saved models (default: a description of the architecture).
         *
         * @param n the name
         * @return this
         */
        public Builder name(String n) {
            this.name = Objects.requireNonNull(n, "name");
            return this;
        }

        /**
         * The shapes after each encoder block, input first.
         *
         * @return {height, width, channels} per stage: the input, then each block's output
         */
        public List<int[]> stageShapes() {
            List<int[]> s = new ArrayList<>();
            int[] cur = {shape.height(), shape.width(), shape.channels()};
            s.add(cur);
            for (ConvBlock b : blocks) {
                cur = encoderConv(b, cur, true, false, false).outputShape(cur[0], cur[1]);
                s.add(cur);
            }
            return s;
        }

        /**
         * Builds the spec.
         *
         * @return an {@link AutoencoderSpec} whose input type is {@code convolutionalFlat(h, w, c)}
         * @throws IllegalArgumentException when a VALID convolution does not fit, or the code is not
         *                                  smaller than the input (unless overcomplete)
         */
        public AutoencoderSpec build() {
            List<ConvBlock> bl = List.copyOf(blocks);
            List<int[]> stages = stageShapes();
            Bottleneck bn = bottleneck;
            int okh = outputKernelHeight > 0 ? outputKernelHeight : bl.get(0).kernelHeight();
            int okw = outputKernelWidth > 0 ? outputKernelWidth : bl.get(0).kernelWidth();
            int channels = shape.channels();
            Encoder encoder = (g, input, in) -> addEncoder(g, input, bl, stages);
            Decoder decoder = (g, latent, target) -> addDecoder(g, latent, bl, stages, bn, channels, okh, okw);
            int[] code = stages.get(stages.size() - 1);
            String desc = name != null ? name : "conv " + shape + " "
                    + bl.stream().map(ConvBlock::describe).collect(Collectors.joining(", "))
                    + " [" + (bn.isDense() ? "dense " + bn.size() : "conv " + code[0] + "x" + code[1] + "x" + code[2])
                    + "] mirrored, " + loss.name();
            InputType input = InputType.convolutionalFlat(shape.height(), shape.width(), shape.channels());
            return new AutoencoderSpec(input, encoder, bn, decoder, loss, overcomplete, desc);
        }
    }

    private static NativeConv2D encoderConv(ConvBlock b, int[] in, boolean fusePoolAndAct, boolean flatten,
                                            boolean fedByGraphInput) {
        NativeConv2D.Builder c = NativeConv2D.builder()
                .input(in[0], in[1], in[2])
                .inputGradient(!fedByGraphInput)   // nobody reads the gradient at the images
                .filters(b.filters())
                .kernel(b.kernelHeight(), b.kernelWidth())
                .stride(b.strideHeight(), b.strideWidth())
                .samePadding(b.samePadding());
        if (fusePoolAndAct) {
            c.activation(b.activation()).pool(b.poolHeight(), b.poolWidth()).flatten(flatten);
        }
        return c.build();
    }

    private static String addEncoder(GraphBuilder g, String input, List<ConvBlock> blocks, List<int[]> stages) {
        String prev = input;
        boolean graphInput = g.getNetworkInputs().contains(input);
        for (int i = 0; i < blocks.size(); i++) {
            ConvBlock b = blocks.get(i);
            int[] in = stages.get(i);
            boolean last = i == blocks.size() - 1;
            String name = "enc" + (i + 1);
            if (!b.batchNorm()) {
                NativeConv2D conv = encoderConv(b, in, true, last, i == 0 && graphInput);
                g.addLayer(name, conv, prev);
                prev = name;
            } else {
                NativeConv2D conv = encoderConv(b, in, false, false, i == 0 && graphInput);
                g.addLayer(name, conv, prev);
                prev = batchNormAndActivation(g, name, b.activation());
                if (b.poolHeight() * b.poolWidth() > 1 || last) {
                    g.addLayer(name + "_pool", new NativeMaxPool2D(b.poolHeight(), b.poolWidth(), last), prev);
                    prev = name + "_pool";
                }
            }
        }
        return prev;
    }

    private static String batchNormAndActivation(GraphBuilder g, String conv, Activation a) {
        g.addLayer(conv + "_bn", new BatchNormalization.Builder().dataFormat(CNN2DFormat.NHWC).build(), conv);
        g.addLayer(conv + "_act", new ActivationLayer.Builder().activation(a).build(), conv + "_bn");
        return conv + "_act";
    }

    private static String addDecoder(GraphBuilder g, String latent, List<ConvBlock> blocks, List<int[]> stages,
                                     Bottleneck bottleneck, int channels, int okh, int okw) {
        String prev = latent;
        int n = blocks.size();
        int[] cur = stages.get(n);
        if (bottleneck.isDense()) {
            g.addLayer("dec_dense", new DenseLayer.Builder().nOut((long) cur[0] * cur[1] * cur[2])
                    .activation(blocks.get(n - 1).activation()).build(), prev);
            prev = "dec_dense";
        }
        for (int i = n - 1; i >= 0; i--) {
            ConvBlock b = blocks.get(i);
            int[] target = stages.get(i);
            String name = "dec" + (i + 1);
            NativeConv2D.Builder c = NativeConv2D.builder()
                    .input(cur[0], cur[1], cur[2])
                    .filters(b.filters())
                    .kernel(b.kernelHeight(), b.kernelWidth())
                    .upsample(b.downsampleHeight(), b.downsampleWidth())
                    .name(name);
            if (cur[0] * b.downsampleHeight() != target[0] || cur[1] * b.downsampleWidth() != target[1]) {
                c.resize(target[0], target[1]);
            }
            if (!b.batchNorm()) {
                c.activation(b.activation());
            }
            g.addLayer(name, c.build(), prev);
            prev = b.batchNorm() ? batchNormAndActivation(g, name, b.activation()) : name;
            cur = new int[] {target[0], target[1], b.filters()};
        }
        NativeConv2D out = NativeConv2D.builder()
                .input(cur[0], cur[1], cur[2])
                .filters(channels)
                .kernel(okh, okw)
                .flatten(true)
                .name("dec_out")
                .build();
        g.addLayer("dec_out", out, prev);
        return "dec_out";
    }
}
