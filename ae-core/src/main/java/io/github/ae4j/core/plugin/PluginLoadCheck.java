package io.github.ae4j.core.plugin;

import io.github.ae4j.core.ModelLoadCheck;
import java.util.Map;
import java.util.Optional;

/**
 * The registry's checks on a model being loaded ({@link Architectures#checkGraphClasses},
 * {@link Architectures#checkArchitecture}), registered as ae-core's {@link ModelLoadCheck} service. Not
 * for users.
 */
public final class PluginLoadCheck implements ModelLoadCheck {

    /** Creates the check (for {@link java.util.ServiceLoader}). */
    public PluginLoadCheck() {
    }

    @Override
    public Optional<String> checkGraph(String graphJson) {
        return Architectures.checkGraphClasses(graphJson);
    }

    @Override
    public Optional<String> checkModel(Map<String, Object> spec, String loss) {
        return Architectures.checkArchitecture(spec, loss);
    }
}
