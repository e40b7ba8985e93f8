package io.github.ae4j.conv.layers;

import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import io.github.ae4j.core.layers.ExactSameDiffLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitUtil;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.PadMode;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A 2-D convolution layer for DL4J graphs that runs ND4J's native {@code conv2d} op through SameDiff
 * ({@code sd.cnn().conv2d}) in NHWC layout, instead of DL4J's {@code ConvolutionLayer}.
 *
 * <p>Why: in DL4J 1.0.0-M2.1 the {@code ConvolutionLayer} on CPU computes through a Java-side
 * {@code im2col} because its oneDNN helper never engages; the native {@code conv2d} op uses oneDNN
 * directly when the oneDNN build of nd4j-native is on the class path. On the reference conv
 * autoencoder (28x28x1, 2 CPU cores) that is ~2,100 instead of ~120 rows/s in training and ~15,000
 * instead of ~330 rows/s in inference.
 *
 * <p>One layer computes, in order (each step optional except the convolution):
 * <ol>
 *   <li>reshape of a flattened input row {@code [n, h*w*c]} (row-major height, width, channels, as in
 *       CSV and PNG files) to {@code [n, h, w, c]};</li>
 *   <li>nearest-neighbour upsampling by {@link #getUpsampleHeight()} x {@link #getUpsampleWidth()}
 *       (ND4J's {@code upsampling2d} in NCHW layout: its NHWC gradient is wrong in 1.0.0-M2.1);</li>
 *   <li>cropping (or zero-padding) at the bottom and right to {@link #getResizeHeight()} x
 *       {@link #getResizeWidth()}, so that a decoder can rebuild odd sizes exactly;</li>
 *   <li>the convolution with bias, {@code SAME} or {@code VALID} padding and a stride;</li>
 *   <li>the activation and max pooling (kernel = stride = {@link #getPoolHeight()} x
 *       {@link #getPoolWidth()}, {@code SAME} padding); for a non-decreasing activation (ReLU, tanh,
 *       sigmoid, ...) pooling runs first, which gives the same result on a quarter of the values;</li>
 *   <li>flattening to {@code [n, h'*w'*filters]} (height, width, channels order).</li>
 * </ol>
 * Fusing these steps into one SameDiff graph keeps the number of DL4J layers (and their per-layer
 * overhead) small. Weights have shape {@code [kernelHeight, kernelWidth, inputChannels, filters]}
 * (YXIO), the bias {@code [filters]}.
 *
 * <p>The input and output types between layers are {@code InputType.convolutional(h, w, c, NHWC)}
 * or, flattened, {@code InputType.feedForward(h*w*c)}; a {@code convolutionalFlat(h, w, c)} input
 * is read as flattened HWC rows.
 *
 * <p>This is a DL4J layer configuration: a bean with a public no-argument constructor, getters and
 * setters, serialised to JSON with the graph. Build one with {@link #builder()}.
 */
public class SameDiffConv2D extends ExactSameDiffLayer {

    private static final long serialVersionUID = 1L;

    /** Name of the weight parameter. */
    public static final String WEIGHT_KEY = "W";
    /** Name of the bias parameter. */
    public static final String BIAS_KEY = "b";

    private int inputHeight;
    private int inputWidth;
    private int inputChannels;
    private int upsampleHeight = 1;
    private int upsampleWidth = 1;
    private int resizeHeight;
    private int resizeWidth;
    private int filters;
    private int kernelHeight = 3;
    private int kernelWidth = 3;
    private int strideHeight = 1;
    private int strideWidth = 1;
    private boolean samePadding = true;
    private Activation activation = Activation.IDENTITY;
    private int poolHeight = 1;
    private int poolWidth = 1;
    private boolean flattenOutput;

    /** For JSON deserialisation; use {@link #builder()}. */
    public SameDiffConv2D() {
        this.weightInit = WeightInit.XAVIER;
        this.regularization = new java.util.ArrayList<>();
        this.regularizationBias = new java.util.ArrayList<>();
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ shapes

    /**
     * The output shape for an input of the given size (before flattening).
     *
     * @param h input height
     * @param w input width
     * @return {height, width, filters}
     */
    public int[] outputShape(int h, int w) {
        return Shapes.convLayerOutput(h, w, upsampleHeight, upsampleWidth, resizeHeight, resizeWidth, kernelHeight,
                kernelWidth, strideHeight, strideWidth, samePadding, poolHeight, poolWidth, filters);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        int[] in = Shapes.imageShape(inputType, inputHeight, inputWidth, inputChannels, getLayerName());
        int[] out = outputShape(in[0], in[1]);
        return flattenOutput ? InputType.feedForward((long) out[0] * out[1] * out[2])
                : InputType.convolutional(out[0], out[1], out[2], CNN2DFormat.NHWC);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (inputChannels > 0 && !override) {
            return;
        }
        int[] in = Shapes.imageShape(inputType, inputHeight, inputWidth, inputChannels, getLayerName());
        if (in[0] != inputHeight || in[1] != inputWidth || in[2] != inputChannels) {
            inputHeight = in[0];
            inputWidth = in[1];
            inputChannels = in[2];
            setLayerParams(null);
        }
    }

    // ------------------------------------------------------------------ parameters

    @Override
    public void defineParameters(SDLayerParams params) {
        if (inputChannels < 1 || filters < 1) {
            throw new IllegalStateException("layer " + getLayerName() + ": input channels (" + inputChannels
                    + ") and filters (" + filters + ") must be known before parameters are defined");
        }
        params.clear();
        params.addWeightParam(WEIGHT_KEY, kernelHeight, kernelWidth, inputChannels, filters);
        params.addBiasParam(BIAS_KEY, filters);
    }

    @Override
    @SuppressWarnings("try")
    public void initializeParameters(Map<String, INDArray> params) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray w = params.get(WEIGHT_KEY);
            double fanIn = (double) inputChannels * kernelHeight * kernelWidth;
            double fanOut = (double) filters * kernelHeight * kernelWidth;
            WeightInitUtil.initWeights(fanIn, fanOut, w.shape(), weightInit == null ? WeightInit.XAVIER : weightInit,
                    null, 'c', w);
            params.get(BIAS_KEY).assign(0);
        }
    }

    // ------------------------------------------------------------------ the graph

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
        SDVariable x = Shapes.toNhwc(sd, input, inputHeight, inputWidth, inputChannels);
        int h = inputHeight;
        int w = inputWidth;
        if (upsampleHeight > 1 || upsampleWidth > 1) {
            x = upsample(sd, x);
            h *= upsampleHeight;
            w *= upsampleWidth;
        }
        x = resize(sd, x, h, w);
        Conv2DConfig conv = Conv2DConfig.builder()
                .kH(kernelHeight).kW(kernelWidth)
                .sH(strideHeight).sW(strideWidth)
                .paddingMode(samePadding ? PaddingMode.SAME : PaddingMode.VALID)
                .dataFormat(Conv2DConfig.NHWC)
                .weightsFormat(WeightsFormat.YXIO)
                .build();
        x = sd.cnn().conv2d(x, params.get(WEIGHT_KEY), params.get(BIAS_KEY), conv);
        boolean pool = poolHeight > 1 || poolWidth > 1;
        // max pooling commutes with a non-decreasing activation: pool first, activate 1/(ph*pw) as many values
        boolean poolFirst = pool && SdActivations.MONOTONE.contains(activation);
        if (!poolFirst) {
            x = SdActivations.apply(sd, x, activation);
        }
        if (pool) {
            x = Shapes.maxPool(sd, x, poolHeight, poolWidth);
        }
        if (poolFirst) {
            x = SdActivations.apply(sd, x, activation);
        }
        if (flattenOutput) {
            int[] out = outputShape(inputHeight, inputWidth);
            x = sd.reshape(x, -1, (long) out[0] * out[1] * out[2]);
        }
        return x;
    }

    /**
     * Nearest-neighbour upsampling of NHWC activations: ND4J's {@code upsampling2d} op applied in
     * NCHW layout between two permutations. In 1.0.0-M2.1 the op's backward pass
     * ({@code upsampling2d_bp}) is wrong for NHWC data, and a broadcast formulation (reshape and
     * multiply by ones) is correct but its backward pass is ~10x slower than the convolutions.
     */
    private SDVariable upsample(SameDiff sd, SDVariable x) {
        SDVariable nchw = sd.permute(x, 0, 3, 1, 2);
        SDVariable up = sd.cnn().upsampling2d(nchw, upsampleHeight, upsampleWidth, true);
        return sd.permute(up, 0, 2, 3, 1);
    }

    private SDVariable resize(SameDiff sd, SDVariable x, int h, int w) {
        int th = resizeHeight > 0 ? resizeHeight : h;
        int tw = resizeWidth > 0 ? resizeWidth : w;
        SDVariable y = x;
        if (th < h || tw < w) {
            y = y.get(SDIndex.all(), SDIndex.interval(0, Math.min(th, h)), SDIndex.interval(0, Math.min(tw, w)),
                    SDIndex.all());
        }
        if (th > h || tw > w) {
            SDVariable pads = sd.constant(Nd4j.createFromArray(new int[][] {
                {0, 0}, {0, Math.max(0, th - h)}, {0, Math.max(0, tw - w)}, {0, 0}}));
            y = sd.nn().pad(y, pads, PadMode.CONSTANT, 0.0);
        }
        return y;
    }

    // ------------------------------------------------------------------ bean properties

    /** @return input height (set from the input type) */
    public int getInputHeight() {
        return inputHeight;
    }

    /** @param v input height */
    public void setInputHeight(int v) {
        inputHeight = v;
    }

    /** @return input width (set from the input type) */
    public int getInputWidth() {
        return inputWidth;
    }

    /** @param v input width */
    public void setInputWidth(int v) {
        inputWidth = v;
    }

    /** @return input channels (set from the input type) */
    public int getInputChannels() {
        return inputChannels;
    }

    /** @param v input channels */
    public void setInputChannels(int v) {
        inputChannels = v;
    }

    /** @return upsampling factor along the height (1: none) */
    public int getUpsampleHeight() {
        return upsampleHeight;
    }

    /** @param v upsampling factor along the height */
    public void setUpsampleHeight(int v) {
        upsampleHeight = v;
    }

    /** @return upsampling factor along the width (1: none) */
    public int getUpsampleWidth() {
        return upsampleWidth;
    }

    /** @param v upsampling factor along the width */
    public void setUpsampleWidth(int v) {
        upsampleWidth = v;
    }

    /** @return height after upsampling, by cropping or zero-padding at the bottom (0: unchanged) */
    public int getResizeHeight() {
        return resizeHeight;
    }

    /** @param v height after upsampling (0: unchanged) */
    public void setResizeHeight(int v) {
        resizeHeight = v;
    }

    /** @return width after upsampling, by cropping or zero-padding at the right (0: unchanged) */
    public int getResizeWidth() {
        return resizeWidth;
    }

    /** @param v width after upsampling (0: unchanged) */
    public void setResizeWidth(int v) {
        resizeWidth = v;
    }

    /** @return output channels */
    public int getFilters() {
        return filters;
    }

    /** @param v output channels */
    public void setFilters(int v) {
        filters = v;
    }

    /** @return kernel height */
    public int getKernelHeight() {
        return kernelHeight;
    }

    /** @param v kernel height */
    public void setKernelHeight(int v) {
        kernelHeight = v;
    }

    /** @return kernel width */
    public int getKernelWidth() {
        return kernelWidth;
    }

    /** @param v kernel width */
    public void setKernelWidth(int v) {
        kernelWidth = v;
    }

    /** @return stride along the height */
    public int getStrideHeight() {
        return strideHeight;
    }

    /** @param v stride along the height */
    public void setStrideHeight(int v) {
        strideHeight = v;
    }

    /** @return stride along the width */
    public int getStrideWidth() {
        return strideWidth;
    }

    /** @param v stride along the width */
    public void setStrideWidth(int v) {
        strideWidth = v;
    }

    /** @return true for SAME padding (output = ceil(input / stride)), false for VALID */
    public boolean isSamePadding() {
        return samePadding;
    }

    /** @param v true for SAME padding, false for VALID */
    public void setSamePadding(boolean v) {
        samePadding = v;
    }

    /** @return the activation after the convolution */
    public Activation getActivation() {
        return activation;
    }

    /** @param v the activation after the convolution */
    public void setActivation(Activation v) {
        activation = v;
    }

    /** @return max-pooling size along the height (1: none) */
    public int getPoolHeight() {
        return poolHeight;
    }

    /** @param v max-pooling size along the height */
    public void setPoolHeight(int v) {
        poolHeight = v;
    }

    /** @return max-pooling size along the width (1: none) */
    public int getPoolWidth() {
        return poolWidth;
    }

    /** @param v max-pooling size along the width */
    public void setPoolWidth(int v) {
        poolWidth = v;
    }

    /** @return true when the output is flattened to [n, h*w*c] */
    public boolean isFlattenOutput() {
        return flattenOutput;
    }

    /** @param v true to flatten the output to [n, h*w*c] */
    public void setFlattenOutput(boolean v) {
        flattenOutput = v;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SameDiffConv2D c) || !super.equals(o)) {
            return false;
        }
        return inputHeight == c.inputHeight && inputWidth == c.inputWidth && inputChannels == c.inputChannels
                && upsampleHeight == c.upsampleHeight && upsampleWidth == c.upsampleWidth
                && resizeHeight == c.resizeHeight && resizeWidth == c.resizeWidth && filters == c.filters
                && kernelHeight == c.kernelHeight && kernelWidth == c.kernelWidth && strideHeight == c.strideHeight
                && strideWidth == c.strideWidth && samePadding == c.samePadding && activation == c.activation
                && poolHeight == c.poolHeight && poolWidth == c.poolWidth && flattenOutput == c.flattenOutput;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(super.hashCode(), inputHeight, inputWidth, inputChannels, upsampleHeight,
                upsampleWidth, resizeHeight, resizeWidth, filters, kernelHeight, kernelWidth, strideHeight, strideWidth,
                samePadding, activation, poolHeight, poolWidth, flattenOutput);
    }

    @Override
    public String toString() {
        return "SameDiffConv2D[" + inputHeight + "x" + inputWidth + "x" + inputChannels
                + (upsampleHeight * upsampleWidth > 1 ? ", up " + upsampleHeight + "x" + upsampleWidth : "")
                + (resizeHeight > 0 ? ", resize " + resizeHeight + "x" + resizeWidth : "")
                + ", " + filters + " filters " + kernelHeight + "x" + kernelWidth + " stride " + strideHeight + "x"
                + strideWidth + (samePadding ? " same" : " valid") + ", " + activation
                + (poolHeight * poolWidth > 1 ? ", maxpool " + poolHeight + "x" + poolWidth : "")
                + (flattenOutput ? ", flat" : "") + "]";
    }

    /** Builds a {@link SameDiffConv2D}. */
    public static final class Builder {
        private final SameDiffConv2D l = new SameDiffConv2D();

        private Builder() {
        }

        /**
         * @param n output channels, at least 1
         * @return this
         */
        public Builder filters(int n) {
            l.filters = Shapes.positive(n, "filters");
            return this;
        }

        /**
         * @param h kernel height
         * @param w kernel width
         * @return this
         */
        public Builder kernel(int h, int w) {
            l.kernelHeight = Shapes.positive(h, "kernel height");
            l.kernelWidth = Shapes.positive(w, "kernel width");
            return this;
        }

        /**
         * @param h stride along the height
         * @param w stride along the width
         * @return this
         */
        public Builder stride(int h, int w) {
            l.strideHeight = Shapes.positive(h, "stride height");
            l.strideWidth = Shapes.positive(w, "stride width");
            return this;
        }

        /**
         * @param same true for SAME padding, false for VALID
         * @return this
         */
        public Builder samePadding(boolean same) {
            l.samePadding = same;
            return this;
        }

        /**
         * @param a the activation after the convolution
         * @return this
         */
        public Builder activation(Activation a) {
            l.activation = SdActivations.require(a, "activation");
            return this;
        }

        /**
         * Nearest-neighbour upsampling before the convolution.
         *
         * @param h factor along the height
         * @param w factor along the width
         * @return this
         */
        public Builder upsample(int h, int w) {
            l.upsampleHeight = Shapes.positive(h, "upsampling height");
            l.upsampleWidth = Shapes.positive(w, "upsampling width");
            return this;
        }

        /**
         * Crops (or zero-pads) the upsampled input at the bottom/right to an exact size.
         *
         * @param h the height
         * @param w the width
         * @return this
         */
        public Builder resize(int h, int w) {
            l.resizeHeight = Shapes.positive(h, "resize height");
            l.resizeWidth = Shapes.positive(w, "resize width");
            return this;
        }

        /**
         * Max pooling after the activation.
         *
         * @param h pooling size (and stride) along the height
         * @param w pooling size (and stride) along the width
         * @return this
         */
        public Builder pool(int h, int w) {
            l.poolHeight = Shapes.positive(h, "pool height");
            l.poolWidth = Shapes.positive(w, "pool width");
            return this;
        }

        /**
         * The input shape, needed when the input type is a plain feed-forward row (otherwise it is
         * taken from the input type).
         *
         * @param h height
         * @param w width
         * @param c channels
         * @return this
         */
        public Builder input(int h, int w, int c) {
            l.inputHeight = Shapes.positive(h, "input height");
            l.inputWidth = Shapes.positive(w, "input width");
            l.inputChannels = Shapes.positive(c, "input channels");
            return this;
        }

        /**
         * @param flat true to flatten the output to [n, h*w*c]
         * @return this
         */
        public Builder flatten(boolean flat) {
            l.flattenOutput = flat;
            return this;
        }

        /**
         * @param init the weight initialisation (fan-in = k_h k_w c_in, fan-out = k_h k_w filters)
         * @return this
         */
        public Builder weightInit(WeightInit init) {
            l.weightInit = java.util.Objects.requireNonNull(init, "init");
            return this;
        }

        /**
         * @param name the layer name
         * @return this
         */
        public Builder name(String name) {
            l.setLayerName(name);
            return this;
        }

        /** @return the layer */
        public SameDiffConv2D build() {
            if (l.filters < 1) {
                throw new IllegalArgumentException("filters must be set (>= 1)");
            }
            return (SameDiffConv2D) l.clone();
        }
    }
}
