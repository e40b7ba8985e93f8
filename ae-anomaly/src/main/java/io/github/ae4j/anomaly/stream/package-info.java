/**
 * Online detection: {@link io.github.ae4j.anomaly.stream.StreamingDetector} scores rows one at a
 * time with a trained {@link io.github.ae4j.anomaly.AnomalyDetector} and flags them with SPOT or
 * DSPOT (Siffer et al., KDD 2017), whose threshold keeps adapting to the stream; its whole state
 * ({@link io.github.ae4j.anomaly.stream.StreamState}) is saved atomically to a JSON file and
 * restored, so a restarted process continues exactly where the saved one stopped.
 */
package io.github.ae4j.anomaly.stream;
