/**
 * Time-series anomaly detection with window autoencoders:
 * {@link io.github.ae4j.conv.series.SlidingWindows} cuts a (multivariate) series into windows and maps
 * per-window results back to every point, {@link io.github.ae4j.conv.series.SeriesAutoencoder}
 * builds the 1-D convolutional model and computes per-step and per-point reconstruction errors,
 * {@link io.github.ae4j.conv.series.LstmSeriesAutoencoder} builds the LSTM encoder-decoder model
 * (Malhotra et al. 2016) and computes per-channel errors,
 * {@link io.github.ae4j.conv.series.WindowScores} scores whole windows, and
 * {@link io.github.ae4j.conv.series.WindowPolicy} says how overlapping windows are combined.
 */
package io.github.ae4j.conv.series;
