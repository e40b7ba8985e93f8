/**
 * Time-series anomaly detection with 1-D convolutional autoencoders:
 * {@link io.github.ae4j.conv.series.SlidingWindows} cuts a (multivariate) series into windows and maps
 * per-window results back to every point, {@link io.github.ae4j.conv.series.SeriesAutoencoder}
 * builds the model and computes per-step and per-point reconstruction errors, and
 * {@link io.github.ae4j.conv.series.WindowPolicy} says how overlapping windows are combined.
 */
package io.github.ae4j.conv.series;
