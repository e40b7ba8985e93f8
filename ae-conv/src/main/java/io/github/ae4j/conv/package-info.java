/**
 * Convolutional autoencoders for images: {@link io.github.ae4j.conv.ConvAutoencoder} builds a
 * {@link io.github.ae4j.core.ModelSpec} from {@link io.github.ae4j.conv.ConvBlock}s, trained by ae-core's
 * shared trainer. Images are flattened rows in height, width, channels (HWC) order.
 *
 * <p>Sub-packages: {@code layers} (the SameDiff convolution layers that make convolution fast on
 * CPU), {@code image} (image folders, IDX/CSV images, image grids and anomaly maps) and
 * {@code series} (1-D convolutional autoencoders over sliding windows of time series).
 */
package io.github.ae4j.conv;
