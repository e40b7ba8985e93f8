package io.github.ae4j.core;

import java.util.Map;
import java.util.Optional;

/**
 * A check a saved model must pass before anything named by its file is created: a
 * {@link java.util.ServiceLoader} service that ae-core registers itself (the plugin registry's
 * {@code io.github.ae4j.core.plugin.PluginLoadCheck}), so that the model file, in this package, does not
 * depend on the plugin package above it. Not for users; loading refuses every model when no check is
 * registered (a class path that lost ae-core's {@code META-INF/services}).
 */
public interface ModelLoadCheck {

    /**
     * Checks a saved graph configuration before DL4J reads it.
     *
     * @param graphJson the saved graph configuration
     * @return a message saying why the model cannot be loaded, or empty when it can
     */
    Optional<String> checkGraph(String graphJson);

    /**
     * Checks a saved model's metadata (its architecture and loss must have providers).
     *
     * @param spec the saved spec description (may be null)
     * @param loss the saved loss's name, or null
     * @return a message saying why the model cannot be loaded, or empty when it can
     */
    Optional<String> checkModel(Map<String, Object> spec, String loss);
}
