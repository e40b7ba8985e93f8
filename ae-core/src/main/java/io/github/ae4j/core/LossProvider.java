package io.github.ae4j.core;

import java.util.Set;

/**
 * A reconstruction loss that models name and {@code ae4j train --loss NAME} finds: a
 * {@link java.util.ServiceLoader} provider, listed in
 * {@code META-INF/services/io.github.ae4j.core.LossProvider} of its jar. The built-in {@code mse},
 * {@code mse-sigmoid}, {@code mae} and {@code bce} are registered the same way (ae-core's own
 * {@code META-INF/services}).
 *
 * <p>A saved model records its loss's {@link ReconstructionLoss#name()}; loading finds the loss
 * through the provider of that name ({@link ReconstructionLosses#require(String)}) and never creates
 * a class named by the file. Implementations need a public no-argument constructor and must be
 * stateless.
 */
public interface LossProvider {

    /**
     * @return the name models record and users select it by: lower case letters, digits and dashes;
     *         equal to {@code loss().name()}
     */
    String name();

    /** @return the loss (the same instance or an equal one on every call) */
    ReconstructionLoss loss();

    /** @return one line saying what it is and which data it suits */
    default String description() {
        return loss().toString();
    }

    /**
     * Packages (with a trailing dot) whose classes a saved graph may name for this loss (its
     * {@link ReconstructionLoss#lossFunction()}, e.g. a DL4J {@code SameDiffLoss} subclass); loading
     * refuses any other class outside DL4J, ND4J, ae-core and registered plugins.
     *
     * @return the provider's own package, by default
     */
    default Set<String> trustedPackages() {
        return Set.of(getClass().getPackageName() + ".");
    }
}
