package io.github.ae4j.core;

import java.nio.file.Path;
import java.util.Objects;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * How to train: epochs, mini-batches, optimiser, seed, validation split and early stopping,
 * normalisation, input corruption (denoising), trimmed loss (robust training) and checkpoints.
 * Immutable; {@code withX} methods return copies. Start from {@link #defaults()}.
 *
 * @param epochs             maximum number of passes over the training rows, at least 1
 * @param batchSize          rows per mini-batch, at least 1
 * @param updater            the optimiser (DL4J {@link IUpdater}, e.g. {@code new Adam(1e-3)})
 * @param seed               seed for weight initialisation, shuffling, the validation split and noise
 * @param validationFraction fraction of rows held out for validation loss and early stopping, in
 *                           [0, 0.9]; 0 disables both
 * @param patience           epochs without validation improvement before training stops (the best
 *                           weights are restored); 0 disables early stopping
 * @param minDelta           smallest relative decrease of the validation loss that counts as an
 *                           improvement
 * @param normalization      how features are scaled (fitted on the training rows only)
 * @param corruption         input corruption in training (denoising); {@link Corruption#none()} for none
 * @param trimFraction       fraction of rows with the largest loss ignored in each batch (trimmed
 *                           loss, for training data that contains anomalies), in [0, 0.5)
 * @param checkpoint         file to save the best model to after each improving epoch, or null
 */
public record TrainingConfig(int epochs, int batchSize, IUpdater updater, long seed,
                             double validationFraction, int patience, double minDelta,
                             Normalization normalization, Corruption corruption, double trimFraction,
                             Path checkpoint) {

    /** Validates the record. */
    public TrainingConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        Objects.requireNonNull(updater, "updater");
        if (!(validationFraction >= 0 && validationFraction <= 0.9)) {
            throw new IllegalArgumentException("validationFraction must be in [0, 0.9], got " + validationFraction);
        }
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be >= 0, got " + patience);
        }
        if (!(minDelta >= 0) || !Double.isFinite(minDelta)) {
            throw new IllegalArgumentException("minDelta must be >= 0, got " + minDelta);
        }
        Objects.requireNonNull(normalization, "normalization");
        Objects.requireNonNull(corruption, "corruption");
        if (!(trimFraction >= 0 && trimFraction < 0.5)) {
            throw new IllegalArgumentException("trimFraction must be in [0, 0.5), got " + trimFraction);
        }
    }

    /**
     * 50 epochs at most, batch 64, Adam(1e-3), seed 42, 10% validation, patience 5, standard
     * normalisation, no corruption, no trimming, no checkpoint.
     *
     * @return the defaults
     */
    public static TrainingConfig defaults() {
        return new TrainingConfig(50, 64, new Adam(1e-3), 42L, 0.1, 5, 1e-4,
                Normalization.STANDARD, Corruption.none(), 0.0, null);
    }

    /** @param v epochs @return a copy */
    public TrainingConfig withEpochs(int v) {
        return new TrainingConfig(v, batchSize, updater, seed, validationFraction, patience, minDelta,
                normalization, corruption, trimFraction, checkpoint);
    }

    /** @param v batch size @return a copy */
    public TrainingConfig withBatchSize(int v) {
        return new TrainingConfig(epochs, v, updater, seed, validationFraction, patience, minDelta,
                normalization, corruption, trimFraction, checkpoint);
    }

    /** @param v the optimiser @return a copy */
    public TrainingConfig withUpdater(IUpdater v) {
        return new TrainingConfig(epochs, batchSize, v, seed, validationFraction, patience, minDelta,
                normalization, corruption, trimFraction, checkpoint);
    }

    /** @param v the seed @return a copy */
    public TrainingConfig withSeed(long v) {
        return new TrainingConfig(epochs, batchSize, updater, v, validationFraction, patience, minDelta,
                normalization, corruption, trimFraction, checkpoint);
    }

    /** @param v the validation fraction @return a copy */
    public TrainingConfig withValidationFraction(double v) {
        return new TrainingConfig(epochs, batchSize, updater, seed, v, patience, minDelta,
                normalization, corruption, trimFraction, checkpoint);
    }

    /** The seed libnd4j gets in place of 0, which it takes as "seed from the clock". */
    static final long NATIVE_SEED_FOR_ZERO = 0x9E3779B97F4A7C15L;

    /**
     * The seed to hand to ND4J's native random generator (and to DL4J's network configuration, which
     * passes it on) for a seed of ae4j: the seed itself, except 0. libnd4j 1.0.0-M2.1 treats a root
     * seed of 0 as "no seed" and draws one from the clock, so a model trained with seed 0 got
     * different initial weights, dropout masks and noise on every run (measured: {@code setSeed(0)}
     * then {@code nextDouble()} differs between runs, seed 7 does not). 0 is therefore replaced by
     * a fixed non-zero constant; every other seed is passed unchanged.
     *
     * @param seed an ae4j seed
     * @return the seed for ND4J / DL4J, never 0
     */
    public static long nativeSeed(long seed) {
        return seed == 0 ? NATIVE_SEED_FOR_ZERO : seed;
    }

    /** @param v patience in epochs (0 = no early stopping) @return a copy */
    public TrainingConfig withPatience(int v) {
        return new TrainingConfig(epochs, batchSize, updater, seed, validationFraction, v, minDelta,
                normalization, corruption, trimFraction, checkpoint);
    }

    /** @param v minimum relative improvement @return a copy */
    public TrainingConfig withMinDelta(double v) {
        return new TrainingConfig(epochs, batchSize, updater, seed, validationFraction, patience, v,
                normalization, corruption, trimFraction, checkpoint);
    }

    /** @param v the normalisation @return a copy */
    public TrainingConfig withNormalization(Normalization v) {
        return new TrainingConfig(epochs, batchSize, updater, seed, validationFraction, patience, minDelta,
                v, corruption, trimFraction, checkpoint);
    }

    /** @param v the input corruption @return a copy */
    public TrainingConfig withCorruption(Corruption v) {
        return new TrainingConfig(epochs, batchSize, updater, seed, validationFraction, patience, minDelta,
                normalization, v, trimFraction, checkpoint);
    }

    /** @param v trimmed fraction per batch @return a copy */
    public TrainingConfig withTrimFraction(double v) {
        return new TrainingConfig(epochs, batchSize, updater, seed, validationFraction, patience, minDelta,
                normalization, corruption, v, checkpoint);
    }

    /** @param v checkpoint file, or null for none @return a copy */
    public TrainingConfig withCheckpoint(Path v) {
        return new TrainingConfig(epochs, batchSize, updater, seed, validationFraction, patience, minDelta,
                normalization, corruption, trimFraction, v);
    }
}
