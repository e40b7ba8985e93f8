/**
 * Not API, may change without notice: helpers that ae4j's own modules share (array checks, the graph
 * replica pool, sub-graph cutting, the JSON mapper of the model files). Do not use these classes from
 * applications; anything here can be renamed, changed or removed in any release. (The fused scoring
 * paths, {@code FusedErrors}, {@code JavaChain} and {@code LayerChain}, are package-private in
 * {@code io.github.ae4j.core} and hidden already.)
 */
package io.github.ae4j.core.internal;
