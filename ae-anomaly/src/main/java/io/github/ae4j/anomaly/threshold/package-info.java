/**
 * Anomaly thresholds, fitted on held-out normal calibration scores (never on training scores), in
 * plain Java.
 *
 * <ul>
 *   <li>{@link io.github.ae4j.anomaly.threshold.ThresholdStrategy}: how a threshold is chosen, with
 *       the command-line forms parsed by {@link io.github.ae4j.anomaly.threshold.Thresholds#parse(String)}
 *       ({@code percentile:99}, {@code contamination:0.05}, {@code zscore:3}, {@code mad:3.5},
 *       {@code iqr:1.5}, {@code pot:0.001}, {@code fixed:0.25}, {@code f1}); the result is a
 *       {@link io.github.ae4j.anomaly.threshold.Threshold}: a value, with {@code score >= value}
 *       flagged.</li>
 *   <li>{@link io.github.ae4j.anomaly.threshold.Conformal}: conformal p-values from calibration
 *       scores, and the threshold that flags at a chosen false-positive rate (Vovk, Gammerman and
 *       Shafer, <i>Algorithmic Learning in a Random World</i>, 2005).</li>
 *   <li>Extreme value theory after Siffer, Fouque, Termier and Largouet, <i>Anomaly Detection in
 *       Streams with Extreme Value Theory</i>, KDD 2017: {@link io.github.ae4j.anomaly.threshold.Gpd}
 *       (a generalized Pareto fit by Grimshaw's reduction of the likelihood to one dimension), the
 *       batch POT threshold ({@code pot:q}), the streaming {@link io.github.ae4j.anomaly.threshold.Spot}
 *       with bounded memory and its drift-aware form {@link io.github.ae4j.anomaly.threshold.DSpot}.</li>
 * </ul>
 */
package io.github.ae4j.anomaly.threshold;
