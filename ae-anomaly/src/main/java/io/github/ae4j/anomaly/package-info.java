/**
 * Anomaly detection with autoencoders: train on normal data, flag what does not fit, and trust the
 * flag.
 *
 * <p>{@link io.github.ae4j.anomaly.AnomalyDetector} bundles a trained
 * {@link io.github.ae4j.core.Autoencoder} (which owns its normaliser), an
 * {@link io.github.ae4j.core.AnomalyScorer} and a {@link io.github.ae4j.anomaly.threshold.Threshold}
 * calibrated on held-out normal rows, whose scores it keeps so that the threshold can be re-targeted
 * without retraining; it saves and loads as one model file. {@link io.github.ae4j.anomaly.DetectorConfig}
 * holds the training options, robust training on contaminated data included (trimmed loss and
 * refitting after dropping flagged rows). {@link io.github.ae4j.anomaly.Explanation} gives each
 * feature's share of a row's reconstruction error.
 *
 * <p>Thresholds are in {@link io.github.ae4j.anomaly.threshold}, metrics in
 * {@link io.github.ae4j.anomaly.metrics}.
 */
package io.github.ae4j.anomaly;
