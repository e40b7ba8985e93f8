package io.github.ae4j.core.plugin;

import java.util.Objects;

/**
 * One documented option of an architecture ({@code ae4j train --arch NAME --arch-option KEY=VALUE};
 * {@code --latent} and {@code --hidden} set the options {@value Architectures#LATENT} and
 * {@value Architectures#HIDDEN}).
 *
 * @param name         the key
 * @param description  what it does, the values it takes
 * @param defaultValue the default, in words (e.g. "derived from the data")
 */
public record ArchitectureOption(String name, String description, String defaultValue) {

    /** Validates the record. */
    public ArchitectureOption {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(defaultValue, "defaultValue");
    }
}
