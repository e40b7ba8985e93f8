package io.github.ae4j.core;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Turns rows into anomaly scores with a trained model: higher always means more anomalous.
 *
 * <p>The default is the reconstruction error ({@link #reconstructionError()}); other modules add
 * more (the variational module: reconstruction log-probability, negative ELBO, latent KL). A scorer
 * is saved with a detector as its {@link #id()} and {@link #params()}, and re-created on load by
 * {@link AnomalyScorers#create(String, Map)}, which finds scorers of other modules through
 * {@link java.util.ServiceLoader} ({@link AnomalyScorers.Factory}).
 */
public interface AnomalyScorer {

    /**
     * Scores rows.
     *
     * @param model the trained model
     * @param x     raw rows, shape [rows, model.inputSize()]
     * @return one score per row, higher = more anomalous
     */
    double[] score(Autoencoder model, INDArray x);

    /** @return a stable identifier, e.g. {@code reconstruction-error} */
    String id();

    /** @return the scorer's settings as plain values (stored with a detector) */
    default Map<String, Object> params() {
        return Map.of();
    }

    /**
     * Whether this scorer can score with a given model (e.g. variational scorers need a variational
     * model).
     *
     * @param model the model
     * @return true when {@link #score} works with it
     */
    default boolean supports(Autoencoder model) {
        return true;
    }

    /** @return the per-row reconstruction error ({@link Autoencoder#reconstructionError(INDArray)}) */
    static AnomalyScorer reconstructionError() {
        return AnomalyScorers.ReconstructionError.INSTANCE;
    }
}
