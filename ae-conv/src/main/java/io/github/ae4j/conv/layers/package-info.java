/**
 * DL4J layer configurations built on SameDiff that run ND4J's native convolution ops (oneDNN on
 * CPU with the oneDNN build of nd4j-native) in NHWC layout:
 * {@link io.github.ae4j.conv.layers.SameDiffConv2D} (upsampling, crop/pad, convolution, activation,
 * max pooling, flattening, fused) and {@link io.github.ae4j.conv.layers.SameDiffMaxPool2D}. They
 * are JSON-serialisable with the graph configuration, so models using them save and load like any
 * DL4J model.
 */
package io.github.ae4j.conv.layers;
