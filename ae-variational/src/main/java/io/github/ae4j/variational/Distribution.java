package io.github.ae4j.variational;

import java.util.Locale;

/**
 * The distribution of the data given the latent code, {@code p(x | z)}, which the decoder
 * parameterises. Choose it to match the (normalised) data.
 */
public enum Distribution {
    /**
     * Independent Bernoulli per feature, parameterised by logits: for data in [0, 1] (pixels,
     * binary features); pair with {@code Normalization.SCALE} or {@code MINMAX}. Continuous values
     * in [0, 1] are used as soft targets (the usual binary cross-entropy).
     */
    BERNOULLI,
    /**
     * Independent Gaussian per feature with the decoder's output as the mean: for standardised data
     * ({@code Normalization.STANDARD}). The variance is 1 unless learned (one value per feature, see
     * {@link VariationalAutoencoder.Builder#learnedVariance(boolean)}).
     */
    GAUSSIAN;

    /**
     * Parses a name ({@code bernoulli}, {@code gaussian}), case-insensitive.
     *
     * @param s the name
     * @return the distribution
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Distribution parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown distribution '" + s + "': expected bernoulli or gaussian", e);
        }
    }

    /** @return the lower-case name */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
