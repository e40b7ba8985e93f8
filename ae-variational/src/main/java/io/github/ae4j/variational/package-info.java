/**
 * Variational and beta-variational autoencoders for ae4j: {@link
 * io.github.ae4j.variational.VariationalAutoencoder} (the architecture, trained by ae-core's shared
 * trainer), {@link io.github.ae4j.variational.Vae} (generation, interpolation, latent statistics,
 * probabilities and pictures of a trained model) and {@link
 * io.github.ae4j.variational.VariationalScorers} (reconstruction probability, negative ELBO and
 * latent KL anomaly scores).
 *
 * <p>References: Kingma &amp; Welling, "Auto-Encoding Variational Bayes", ICLR 2014; Higgins et al.,
 * "beta-VAE: Learning Basic Visual Concepts with a Constrained Variational Framework", ICLR 2017;
 * Sønderby et al., "Ladder Variational Autoencoders", NIPS 2016 (KL warm-up); An &amp; Cho,
 * "Variational Autoencoder based Anomaly Detection using Reconstruction Probability", SNU Data Mining
 * Center, 2015.
 */
package io.github.ae4j.variational;
