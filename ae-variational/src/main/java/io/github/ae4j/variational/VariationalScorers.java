package io.github.ae4j.variational;

import io.github.ae4j.core.AnomalyScorer;
import io.github.ae4j.core.AnomalyScorers;
import io.github.ae4j.core.Autoencoder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Anomaly scorers for variational autoencoders, decoupled from the training loss; higher always
 * means more anomalous. All are registered for {@link AnomalyScorers#create(String, Map)} (so saved
 * detectors find them):
 *
 * <ul>
 *   <li>{@value #RECONSTRUCTION_PROBABILITY}: the negative Monte-Carlo reconstruction
 *       log-probability {@code -(1/L) sum_l log p(x | z_l)}, {@code z_l ~ q(z|x)} (An &amp; Cho
 *       2015); params {@code samples} (L, default 16) and {@code seed} (default 0);</li>
 *   <li>{@value #NEGATIVE_ELBO}: the negative ELBO, the above plus the latent KL (Kingma &amp;
 *       Welling 2014); same params;</li>
 *   <li>{@value #LATENT_KL}: {@code KL(q(z|x) || N(0, I))}, how atypical the code is; no params;</li>
 *   <li>the plain reconstruction error is ae-core's {@code reconstruction-error}
 *       ({@link AnomalyScorer#reconstructionError()}), which works for every model.</li>
 * </ul>
 *
 * <p>The Monte-Carlo scores use the same {@code L} noise vectors for every row, so a row's score
 * does not depend on the other rows or on the batch it comes in.
 */
public final class VariationalScorers {

    /** Id of the reconstruction-probability scorer. */
    public static final String RECONSTRUCTION_PROBABILITY = "reconstruction-probability";
    /** Id of the negative-ELBO scorer. */
    public static final String NEGATIVE_ELBO = "negative-elbo";
    /** Id of the latent-KL scorer. */
    public static final String LATENT_KL = "latent-kl";
    /** Default number of latent samples of the Monte-Carlo scores. */
    public static final int DEFAULT_SAMPLES = 16;

    private VariationalScorers() {
    }

    /**
     * The reconstruction-probability scorer with {@value #DEFAULT_SAMPLES} samples and seed 0.
     *
     * @return the scorer
     */
    public static AnomalyScorer reconstructionProbability() {
        return reconstructionProbability(DEFAULT_SAMPLES, 0L);
    }

    /**
     * The reconstruction-probability scorer (An &amp; Cho 2015).
     *
     * @param samples latent samples per row, 1 to 10,000
     * @param seed    the noise seed
     * @return the scorer
     */
    public static AnomalyScorer reconstructionProbability(int samples, long seed) {
        return new MonteCarlo(RECONSTRUCTION_PROBABILITY, samples, seed);
    }

    /**
     * The negative-ELBO scorer with {@value #DEFAULT_SAMPLES} samples and seed 0.
     *
     * @return the scorer
     */
    public static AnomalyScorer negativeElbo() {
        return negativeElbo(DEFAULT_SAMPLES, 0L);
    }

    /**
     * The negative-ELBO scorer.
     *
     * @param samples latent samples per row, 1 to 10,000
     * @param seed    the noise seed
     * @return the scorer
     */
    public static AnomalyScorer negativeElbo(int samples, long seed) {
        return new MonteCarlo(NEGATIVE_ELBO, samples, seed);
    }

    /**
     * The latent-KL scorer.
     *
     * @return the scorer
     */
    public static AnomalyScorer latentKl() {
        return new Kl();
    }

    /** Caches the {@link Vae} of the last model scored (wrapping builds two small graphs). */
    private abstract static class Base implements AnomalyScorer {
        private Autoencoder lastModel;
        private Vae lastVae;

        synchronized Vae vae(Autoencoder m) {
            Objects.requireNonNull(m, "model");
            if (m != lastModel) {
                lastVae = Vae.of(m);
                lastModel = m;
            }
            return lastVae;
        }

        @Override
        public boolean supports(Autoencoder model) {
            return Vae.isVariational(model);
        }
    }

    private static final class MonteCarlo extends Base {
        private final String id;
        private final int samples;
        private final long seed;

        MonteCarlo(String id, int samples, long seed) {
            if (samples < 1 || samples > 10_000) {
                throw new IllegalArgumentException(id + ": samples must be in 1..10000, got " + samples);
            }
            this.id = id;
            this.samples = samples;
            this.seed = seed;
        }

        @Override
        public double[] score(Autoencoder model, INDArray x) {
            Vae v = vae(model);
            if (id.equals(NEGATIVE_ELBO)) {
                return v.negativeElbo(x, samples, seed);
            }
            double[] ll = v.reconstructionLogProbability(x, samples, seed);
            for (int i = 0; i < ll.length; i++) {
                ll[i] = -ll[i];
            }
            return ll;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public Map<String, Object> params() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("samples", samples);
            m.put("seed", seed);
            return m;
        }

        @Override
        public String toString() {
            return (id.equals(NEGATIVE_ELBO) ? "negative ELBO" : "negative reconstruction log-probability")
                    + " (" + samples + " samples, seed " + seed + ")";
        }
    }

    private static final class Kl extends Base {
        @Override
        public double[] score(Autoencoder model, INDArray x) {
            return vae(model).latentKl(x);
        }

        @Override
        public String id() {
            return LATENT_KL;
        }

        @Override
        public String toString() {
            return "latent KL divergence";
        }
    }

    private static int intParam(String id, Map<String, Object> p, String key, int def) {
        Object v = p.get(key);
        if (v == null) {
            return def;
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE) {
            return n.intValue();
        }
        if (v instanceof String s) {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw new IllegalArgumentException("scorer " + id + ": parameter '" + key + "' must be an integer, got " + v);
    }

    private static long longParam(String id, Map<String, Object> p, String key, long def) {
        Object v = p.get(key);
        if (v == null) {
            return def;
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.longValue();
        }
        if (v instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw new IllegalArgumentException("scorer " + id + ": parameter '" + key + "' must be an integer, got " + v);
    }

    /** A Monte-Carlo scorer from saved params ({@code samples}, {@code seed}; null means defaults). */
    private static AnomalyScorer monteCarlo(String id, Map<String, Object> params) {
        Map<String, Object> p = params == null ? Map.of() : params;
        return new MonteCarlo(id, intParam(id, p, "samples", DEFAULT_SAMPLES), longParam(id, p, "seed", 0L));
    }

    /** Creates {@value #RECONSTRUCTION_PROBABILITY} scorers (service provider). */
    public static final class ReconstructionProbabilityFactory implements AnomalyScorers.Factory {
        /** Creates the factory (for {@link java.util.ServiceLoader}). */
        public ReconstructionProbabilityFactory() {
        }

        @Override
        public String id() {
            return RECONSTRUCTION_PROBABILITY;
        }

        @Override
        public AnomalyScorer create(Map<String, Object> params) {
            return monteCarlo(id(), params);
        }
    }

    /** Creates {@value #NEGATIVE_ELBO} scorers (service provider). */
    public static final class NegativeElboFactory implements AnomalyScorers.Factory {
        /** Creates the factory (for {@link java.util.ServiceLoader}). */
        public NegativeElboFactory() {
        }

        @Override
        public String id() {
            return NEGATIVE_ELBO;
        }

        @Override
        public AnomalyScorer create(Map<String, Object> params) {
            return monteCarlo(id(), params);
        }
    }

    /** Creates {@value #LATENT_KL} scorers (service provider). */
    public static final class LatentKlFactory implements AnomalyScorers.Factory {
        /** Creates the factory (for {@link java.util.ServiceLoader}). */
        public LatentKlFactory() {
        }

        @Override
        public String id() {
            return LATENT_KL;
        }

        @Override
        public AnomalyScorer create(Map<String, Object> params) {
            return latentKl();
        }
    }
}
