package io.github.ae4j.core;

import java.util.Locale;

/**
 * How input features are scaled before they reach the network. The scaling is fitted on the
 * training data and stored in the model ({@link Normalizer}); every later call applies it.
 */
public enum Normalization {
    /** Per feature: subtract the training mean, divide by the training standard deviation. */
    STANDARD,
    /** Per feature: map the training minimum to 0 and the training maximum to 1. */
    MINMAX,
    /** One factor for all features: divide by the largest absolute training value (pixels to [0, 1]). */
    SCALE,
    /** No scaling. */
    NONE;

    /**
     * Parses a command-line name ({@code standard}, {@code minmax}, {@code scale}, {@code none}).
     *
     * @param s the name, case-insensitive
     * @return the normalization
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Normalization parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown normalization '" + s
                    + "': expected one of standard, minmax, scale, none", e);
        }
    }

    /** @return the lower-case command-line name */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
