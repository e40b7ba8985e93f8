package io.github.ae4j.core.plugin;

import io.github.ae4j.core.ModelSpec;
import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.TrainingConfig;
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
     * The training settings to use where the user gave none: the maximum epochs and the mini-batch
     * size ({@code ae4j train}'s defaults; early stopping usually ends training sooner).
     *
     * @param data the kind of data
     * @param rows training rows (0 when unknown, e.g. a streamed file)
     * @return {@link TrainingConfig#defaults()} with, for images, {@value #IMAGE_EPOCHS} epochs and batches
     *         of 128; otherwise 100 epochs and batches of 64, 256 from 2,000 rows on
     */
    default TrainingConfig defaultTraining(DataKind data, long rows) {
        return TrainingConfig.defaults().withEpochs(data.isImage() ? IMAGE_EPOCHS : 100)
                .withBatchSize(data.isImage() ? 128 : rows >= 2000 ? 256 : 64);
    }

    /**
     * Default maximum epochs for images: on MNIST one-class (3,000 images) the default conv detector's
     * AUROC was the same after 30 epochs as after 100, in a third of the time (docs/notes/issue-14.md).
     */
    int IMAGE_EPOCHS = 30;

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
