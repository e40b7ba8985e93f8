/**
 * Custom DL4J layers: base classes for SameDiff layers with exact gradients (working around a DL4J
 * 1.0.0-M2.1 bug that doubles them) and without SameDiff's standard-output noise, and
 * {@link io.github.ae4j.core.layers.NativeDense}, a dense layer with its own backward pass on
 * libnd4j's matrix-product op.
 */
package io.github.ae4j.core.layers;
