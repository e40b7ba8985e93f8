/**
 * The DL4J building blocks of ae4j's variational autoencoder: a reparameterisation vertex, a vertex
 * that carries the KL weight (beta) to the loss, a flatten vertex, and a SameDiff output layer that
 * computes the negative evidence lower bound (Kingma &amp; Welling, "Auto-Encoding Variational Bayes",
 * ICLR 2014; Higgins et al., "beta-VAE", ICLR 2017).
 *
 * <p>Configuration classes ({@code ...Vertex}, {@link io.github.ae4j.variational.graph.ElboOutputLayer})
 * are stored in DL4J's graph JSON: they have public no-argument constructors and bean properties.
 * Runtime classes carry the suffix {@code Impl}. Library users normally need none of these classes
 * directly: {@link io.github.ae4j.variational.VariationalAutoencoder} assembles them.
 */
package io.github.ae4j.variational.graph;
