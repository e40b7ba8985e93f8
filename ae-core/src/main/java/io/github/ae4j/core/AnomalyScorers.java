package io.github.ae4j.core;

import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Finds {@link AnomalyScorer}s by id, including those of other modules. */
public final class AnomalyScorers {

    private AnomalyScorers() {
    }

    /**
     * Creates scorers of one id; modules register theirs in
     * {@code META-INF/services/io.github.ae4j.core.AnomalyScorers$Factory}.
     */
    public interface Factory {
        /** @return the id of the scorers this factory creates */
        String id();

        /**
         * Creates a scorer.
         *
         * @param params the stored settings
         * @return the scorer
         */
        AnomalyScorer create(Map<String, Object> params);
    }

    /**
     * Re-creates a scorer from its id and settings.
     *
     * @param id     the id
     * @param params the settings
     * @return the scorer
     * @throws IllegalArgumentException when no module on the class path provides that id
     */
    public static AnomalyScorer create(String id, Map<String, Object> params) {
        Objects.requireNonNull(id, "id");
        if (ReconstructionError.ID.equals(id)) {
            return ReconstructionError.INSTANCE;
        }
        for (Factory f : ServiceLoader.load(Factory.class, AnomalyScorers.class.getClassLoader())) {
            if (f.id().equals(id)) {
                return f.create(params == null ? Map.of() : params);
            }
        }
        throw new IllegalArgumentException("unknown anomaly scorer '" + id
                + "': is the module that provides it (e.g. ae-variational) on the class path?");
    }

    static final class ReconstructionError implements AnomalyScorer {
        static final String ID = "reconstruction-error";
        static final ReconstructionError INSTANCE = new ReconstructionError();

        @Override
        public double[] score(Autoencoder model, INDArray x) {
            return model.reconstructionError(x).toDoubleVector();
        }

        @Override
        public String id() {
            return ID;
        }

        @Override
        public String toString() {
            return "reconstruction error";
        }
    }
}
