package io.github.ae4j.conv;

import java.util.Objects;
import org.nd4j.linalg.activations.Activation;

/**
 * One encoder block of a convolutional autoencoder: a convolution (filters, kernel, stride,
 * padding), optional batch normalisation, an activation, and optional max pooling. The decoder
 * mirrors each block with nearest-neighbour upsampling by the block's downsampling factor
 * ({@code stride * pool}), a crop or zero-pad back to the block's exact input size, and a
 * stride-1 {@code SAME} convolution with the same filters, kernel, batch normalisation and
 * activation.
 *
 * <p>Start from {@link #of(int)} (3x3 kernel, stride 1, SAME padding, 2x2 max pooling, ReLU, no batch
 * normalisation) and adjust with the {@code withX} copies.
 *
 * @param filters       output channels, at least 1
 * @param kernelHeight  kernel height, at least 1
 * @param kernelWidth   kernel width, at least 1
 * @param strideHeight  stride along the height (2 for a strided-convolution downsampling)
 * @param strideWidth   stride along the width
 * @param samePadding   true for SAME padding (output = ceil(input / stride)), false for VALID
 * @param poolHeight    max-pooling size and stride along the height (1: no pooling)
 * @param poolWidth     max-pooling size and stride along the width (1: no pooling)
 * @param batchNorm     batch normalisation between the convolution and the activation (Ioffe &amp;
 *                      Szegedy, ICML 2015)
 * @param activation    the activation
 */
public record ConvBlock(int filters, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
                        boolean samePadding, int poolHeight, int poolWidth, boolean batchNorm, Activation activation) {

    /** Validates the record. */
    public ConvBlock {
        positive(filters, "filters");
        positive(kernelHeight, "kernel height");
        positive(kernelWidth, "kernel width");
        positive(strideHeight, "stride height");
        positive(strideWidth, "stride width");
        positive(poolHeight, "pool height");
        positive(poolWidth, "pool width");
        Objects.requireNonNull(activation, "activation");
        if (activation == Activation.SOFTMAX) {
            throw new IllegalArgumentException("softmax is not a convolution-block activation: expected relu, "
                    + "leakyrelu, elu, tanh, sigmoid, ...");
        }
    }

    private static void positive(int v, String what) {
        if (v < 1) {
            throw new IllegalArgumentException(what + " must be >= 1, got " + v);
        }
    }

    /**
     * A block with {@code filters} 3x3 filters, stride 1, SAME padding, ReLU and 2x2 max pooling.
     *
     * @param filters output channels
     * @return the block
     */
    public static ConvBlock of(int filters) {
        return new ConvBlock(filters, 3, 3, 1, 1, true, 2, 2, false, Activation.RELU);
    }

    /** @return the downsampling factor along the height ({@code strideHeight * poolHeight}) */
    public int downsampleHeight() {
        return strideHeight * poolHeight;
    }

    /** @return the downsampling factor along the width ({@code strideWidth * poolWidth}) */
    public int downsampleWidth() {
        return strideWidth * poolWidth;
    }

    /** @param f output channels @return a copy */
    public ConvBlock withFilters(int f) {
        return new ConvBlock(f, kernelHeight, kernelWidth, strideHeight, strideWidth, samePadding, poolHeight, poolWidth,
                batchNorm, activation);
    }

    /** @param h kernel height @param w kernel width @return a copy */
    public ConvBlock withKernel(int h, int w) {
        return new ConvBlock(filters, h, w, strideHeight, strideWidth, samePadding, poolHeight, poolWidth, batchNorm,
                activation);
    }

    /** @param h stride along the height @param w stride along the width @return a copy */
    public ConvBlock withStride(int h, int w) {
        return new ConvBlock(filters, kernelHeight, kernelWidth, h, w, samePadding, poolHeight, poolWidth, batchNorm,
                activation);
    }

    /** @param same true for SAME padding, false for VALID @return a copy */
    public ConvBlock withSamePadding(boolean same) {
        return new ConvBlock(filters, kernelHeight, kernelWidth, strideHeight, strideWidth, same, poolHeight, poolWidth,
                batchNorm, activation);
    }

    /** @param h pooling along the height (1: none) @param w pooling along the width (1: none) @return a copy */
    public ConvBlock withPool(int h, int w) {
        return new ConvBlock(filters, kernelHeight, kernelWidth, strideHeight, strideWidth, samePadding, h, w, batchNorm,
                activation);
    }

    /** @param bn true for batch normalisation @return a copy */
    public ConvBlock withBatchNorm(boolean bn) {
        return new ConvBlock(filters, kernelHeight, kernelWidth, strideHeight, strideWidth, samePadding, poolHeight,
                poolWidth, bn, activation);
    }

    /** @param a the activation @return a copy */
    public ConvBlock withActivation(Activation a) {
        return new ConvBlock(filters, kernelHeight, kernelWidth, strideHeight, strideWidth, samePadding, poolHeight,
                poolWidth, batchNorm, a);
    }

    /** @return a short description, e.g. {@code 16@3x3+pool2x2} */
    public String describe() {
        StringBuilder sb = new StringBuilder().append(filters).append('@').append(kernelHeight).append('x')
                .append(kernelWidth);
        if (strideHeight * strideWidth > 1) {
            sb.append("/s").append(strideHeight).append('x').append(strideWidth);
        }
        if (!samePadding) {
            sb.append(" valid");
        }
        if (batchNorm) {
            sb.append("+bn");
        }
        if (poolHeight * poolWidth > 1) {
            sb.append("+pool").append(poolHeight).append('x').append(poolWidth);
        }
        return sb.toString();
    }
}
