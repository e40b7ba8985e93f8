package io.github.ae4j.core;

import java.util.Optional;

/**
 * Training produced a NaN or infinite loss. Carries the epoch and, when at least one epoch
 * finished, the model with the best weights seen before the divergence.
 */
public class TrainingDivergedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final transient Autoencoder bestModel;

    /**
     * Creates the exception.
     *
     * @param epoch     the 1-based epoch in which the loss became non-finite
     * @param loss      the offending loss value
     * @param bestModel the best model before divergence, or null
     */
    public TrainingDivergedException(int epoch, double loss, Autoencoder bestModel) {
        super("training diverged in epoch " + epoch + ": the loss became " + loss
                + "; lower the learning rate, check the input scaling (--normalize) or the data for extreme values"
                + (bestModel != null ? " (the best weights before that were kept)" : ""));
        this.epoch = epoch;
        this.bestModel = bestModel;
    }

    /** @return the 1-based epoch in which the loss became non-finite */
    public int epoch() {
        return epoch;
    }

    /** @return the model with the best weights seen before divergence, if an epoch had finished */
    public Optional<Autoencoder> bestModel() {
        return Optional.ofNullable(bestModel);
    }
}
