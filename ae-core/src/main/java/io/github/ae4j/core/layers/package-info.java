/**
 * Base classes for custom SameDiff layers with exact gradients (working around a DL4J 1.0.0-M2.1
 * bug that doubles them) and without SameDiff's standard-output noise.
 */
package io.github.ae4j.core.layers;
