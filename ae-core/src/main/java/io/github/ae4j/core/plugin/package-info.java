/**
 * The one plugin mechanism of ae4j: architectures are {@link java.util.ServiceLoader} providers
 * ({@link io.github.ae4j.core.plugin.ArchitectureProvider}), found by name by
 * {@link io.github.ae4j.core.plugin.Architectures}; the built-in dense, conv and vae architectures
 * register exactly as a user's jar does. A saved model records its provider's name, and loading
 * refuses a model whose provider is missing, and any graph, layer or loss class outside DL4J, ND4J,
 * ae-core and the packages registered providers vouch for.
 */
package io.github.ae4j.core.plugin;
