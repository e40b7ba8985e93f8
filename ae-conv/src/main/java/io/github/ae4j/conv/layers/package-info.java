/**
 * DL4J layer configurations for convolutional autoencoders in NHWC layout, on oneDNN's primitives called
 * directly where the CPU backend has them, libnd4j's native ops elsewhere.
 *
 * <p>{@link io.github.ae4j.conv.layers.NativeConv2D} (upsampling, crop/pad, convolution, activation,
 * max pooling, flattening, fused) and {@link io.github.ae4j.conv.layers.NativeMaxPool2D} have their own
 * backward pass and are what new models use. The SameDiff versions,
 * {@link io.github.ae4j.conv.layers.SameDiffConv2D} and
 * {@link io.github.ae4j.conv.layers.SameDiffMaxPool2D}, compute the same functions (tested to agree)
 * and are kept so that models saved with them load and score as before. All are JSON-serialisable
 * with the graph configuration, so models using them save and load like any DL4J model.
 */
package io.github.ae4j.conv.layers;
