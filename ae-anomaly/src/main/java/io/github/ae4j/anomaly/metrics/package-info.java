/**
 * Evaluation metrics for anomaly scores, in plain Java over {@code double[]} scores and
 * {@code int[]} 0/1 labels (1 = anomaly): no native backend needed.
 *
 * <p>{@link io.github.ae4j.anomaly.metrics.Metrics} computes the area under the ROC curve, average
 * precision (the area under the precision-recall curve), confusion counts at a threshold, the best
 * F1 over all thresholds and precision at k. Tied scores are treated as indistinguishable
 * everywhere: they are never split by an arbitrary order.
 */
package io.github.ae4j.anomaly.metrics;
