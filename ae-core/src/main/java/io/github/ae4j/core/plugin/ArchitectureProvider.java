package io.github.ae4j.core.plugin;

import io.github.ae4j.core.ModelSpec;
import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.data.DataKind;
import java.util.List;
import java.util.Set;

/**
 * An architecture that {@code ae4j train --arch NAME}, {@code SparkMain train --arch NAME} and
 * {@link Architectures#build} can find by name: a {@link java.util.ServiceLoader} provider, listed in
 * {@code META-INF/services/io.github.ae4j.core.plugin.ArchitectureProvider} of its jar. The
 * built-in {@code dense}, {@code conv} and {@code vae} are registered the same way.
 *
 * <p>Implementations need a public no-argument constructor and must be stateless.
 */
public interface ArchitectureProvider {

    /** @return the name users select it by: lower case letters, digits and dashes */
    String name();

    /** @return one line saying what it is and which data it suits */
    String description();

    /**
     * The options it takes (shown by {@code ae4j train --arch list}); any other key is refused
     * before {@link #build} is called.
     *
     * @return the documented options
     */
    default List<ArchitectureOption> options() {
        return List.of();
    }

    /**
     * Builds the architecture for data of a kind and width.
     *
     * @param request the data's kind and width, the scaling, the options
     * @return the spec to train
     * @throws IllegalArgumentException when the data or an option does not suit it (the message is
     *                                  shown to the user)
     */
    ModelSpec build(ArchitectureRequest request);

    /**
     * The feature scaling to use when the user chose none.
     *
     * @param data the kind of data
     * @return {@code SCALE} for images, {@code STANDARD} otherwise, by default
     */
    default Normalization defaultNormalization(DataKind data) {
        return data.isImage() ? Normalization.SCALE : Normalization.STANDARD;
    }

    /**
     * Packages (with a trailing dot) whose classes this provider's saved graphs and losses may name;
     * loading a model refuses any other class outside DL4J, ND4J and ae-core.
     *
     * @return the provider's own package, by default
     */
    default Set<String> trustedPackages() {
        return Set.of(getClass().getPackageName() + ".");
    }
}
