/**
 * Dense (fully connected) autoencoders: deep, denoising, sparse and overcomplete, for tabular data
 * and flattened images, built on the contracts of {@code io.github.ae4j.core}.
 *
 * <ul>
 *   <li>{@link io.github.ae4j.dense.DenseAutoencoder}: a validating builder that turns hidden sizes,
 *       a bottleneck size and per-layer options (activation, dropout, batch normalisation, L2) into
 *       an {@link io.github.ae4j.core.AutoencoderSpec}, with defaults sized from the input width.</li>
 *   <li>{@link io.github.ae4j.dense.Sparsity} and {@link io.github.ae4j.dense.ActivityPenalty}: an
 *       activity penalty on the bottleneck (L1 or a KL sparsity target), implemented as a
 *       parameter-free DL4J layer that is the identity at inference.</li>
 *   <li>{@link io.github.ae4j.dense.Projection}: 2-D coordinates of latent codes for plotting.</li>
 * </ul>
 *
 * <p>Denoising autoencoders need nothing from this package: input corruption is a training option
 * of the shared trainer ({@code TrainingConfig.withCorruption(Corruption.gaussian(0.3))}), applied
 * to training batches only.
 */
package io.github.ae4j.dense;
