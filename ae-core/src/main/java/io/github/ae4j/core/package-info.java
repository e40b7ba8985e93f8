/**
 * ae4j's core contracts and shared machinery: {@link io.github.ae4j.core.Encoder},
 * {@link io.github.ae4j.core.Bottleneck}, {@link io.github.ae4j.core.Decoder} and
 * {@link io.github.ae4j.core.ReconstructionLoss} assembled by {@link io.github.ae4j.core.AutoencoderSpec}
 * into a DL4J graph; {@link io.github.ae4j.core.AutoencoderTrainer} trains any
 * {@link io.github.ae4j.core.ModelSpec} into an immutable {@link io.github.ae4j.core.Autoencoder}
 * that owns its {@link io.github.ae4j.core.Normalizer} and saves to one file.
 */
package io.github.ae4j.core;
