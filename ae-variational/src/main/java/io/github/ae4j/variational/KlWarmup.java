package io.github.ae4j.variational;

import io.github.ae4j.core.TrainingListener;
import io.github.ae4j.variational.graph.KlWeightVertexImpl;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * KL warm-up (Sønderby et al., "Ladder Variational Autoencoders", NIPS 2016; Bowman et al. 2016):
 * the weight of the KL term grows linearly from 0 in the first epoch to its configured value
 * (beta) after {@code epochs} epochs, which keeps the decoder from ignoring the latent code early in
 * training. Training losses of warm-up epochs are computed with the reduced weight; validation
 * losses always use the full weight.
 *
 * <p>{@link VariationalAutoencoder#trainingListeners} adds it when {@code warmupEpochs > 0}; the
 * factor in (1-based) epoch {@code e} is {@code min(1, (e - 1) / epochs)}.
 */
public final class KlWarmup implements TrainingListener {

    private static final Logger LOG = LoggerFactory.getLogger(KlWarmup.class);

    private final int epochs;

    /**
     * Creates the schedule.
     *
     * @param epochs warm-up epochs, at least 1
     */
    public KlWarmup(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("warm-up epochs must be >= 1, got " + epochs);
        }
        this.epochs = epochs;
    }

    /** @return the number of warm-up epochs */
    public int epochs() {
        return epochs;
    }

    /**
     * The factor applied to beta in an epoch.
     *
     * @param epoch the 1-based epoch
     * @return {@code min(1, (epoch - 1) / epochs)}
     */
    public double factor(int epoch) {
        return Math.min(1.0, Math.max(0, epoch - 1) / (double) epochs);
    }

    @Override
    public void onEpochStart(int epoch, ComputationGraph graph) {
        GraphVertex v = graph.getVertex(VariationalAutoencoder.KL_WEIGHT);
        if (!(v instanceof KlWeightVertexImpl k)) {
            throw new IllegalStateException("KL warm-up needs a variational graph with a '"
                    + VariationalAutoencoder.KL_WEIGHT + "' vertex");
        }
        k.setWarmupFactor(factor(epoch));
        LOG.debug("epoch {}: KL weight {} (warm-up factor {})", epoch, k.effectiveBeta(true), k.warmupFactor());
    }

    @Override
    public String toString() {
        return "KlWarmup[" + epochs + " epochs]";
    }
}
