/**
 * DL4J layer configurations that run ND4J's native convolution ops (oneDNN on CPU with the oneDNN
 * build of nd4j-native) in NHWC layout.
 *
 * <p>{@link io.github.ae4j.conv.layers.NativeConv2D} (upsampling, crop/pad, convolution, activation,
 * max pooling, flattening, fused) and {@link io.github.ae4j.conv.layers.NativeMaxPool2D} have their own
 * backward pass over libnd4j's ops and are what new models use. The SameDiff versions,
 * {@link io.github.ae4j.conv.layers.SameDiffConv2D} and
 * {@link io.github.ae4j.conv.layers.SameDiffMaxPool2D}, compute the same functions (tested to agree)
 * and are kept so that models saved with them load and score as before. All are JSON-serialisable
 * with the graph configuration, so models using them save and load like any DL4J model.
 */
package io.github.ae4j.conv.layers;
