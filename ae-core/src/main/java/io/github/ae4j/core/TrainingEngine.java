package io.github.ae4j.core;

import io.github.ae4j.core.data.TabularSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The epoch loop every ae4j training run goes through, whatever trains the epochs (a {@link TrainingStep}):
 * listeners, the history of losses, the divergence guard (a non-finite training or validation loss
 * throws {@link TrainingDivergedException} carrying the best model so far), best weights (kept when the
 * monitored loss improves by more than {@link TrainingConfig#minDelta()}), checkpoints of each
 * improvement, early stopping after {@link TrainingConfig#patience()} epochs without one (with
 * validation rows), interruption, and the trained {@link Autoencoder} with its {@link ModelInfo}.
 *
 * <p>The monitored loss is the validation loss, or the training loss without validation rows; the best
 * weights are restored at the end only with validation rows (as the training loss of the last epoch is
 * the one trained on most). One engine runs one training at a time.
 */
public final class TrainingEngine {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingEngine.class);

    private final TrainingConfig config;
    private final List<TrainingListener> listeners;

    /**
     * Creates an engine.
     *
     * @param config    epochs, patience, minimum improvement and checkpoint file (the step reads the rest)
     * @param listeners progress listeners, in call order
     */
    public TrainingEngine(TrainingConfig config, List<TrainingListener> listeners) {
        this.config = Objects.requireNonNull(config, "config");
        this.listeners = List.copyOf(Objects.requireNonNull(listeners, "listeners"));
    }

    /**
     * Runs the epochs.
     *
     * @param step       what trains each epoch
     * @param normalizer the normaliser the step's rows went through (saved with the model)
     * @param template   the model's metadata before this run: architecture fields, training configuration,
     *                   provenance, extras; its history and training seconds are continued (warm start)
     * @param schema     the tabular schema to record, or null
     * @return the trained model: the best validation weights with validation rows, else the last ones
     * @throws TrainingDivergedException when a loss becomes NaN or infinite
     */
    public Autoencoder run(TrainingStep step, Normalizer normalizer, ModelInfo template, TabularSchema schema) {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(normalizer, "normalizer");
        Objects.requireNonNull(template, "template");
        Run r = new Run(step, normalizer, template, schema);
        return r.loop();
    }

    /** The state of one run. */
    private final class Run {
        private final TrainingStep step;
        private final Normalizer normalizer;
        private final ModelInfo template;
        private final TabularSchema schema;
        private final List<ModelInfo.Epoch> history;
        private final int epochOffset;
        private final long t0 = System.nanoTime();
        private INDArray bestParams;

        Run(TrainingStep step, Normalizer normalizer, ModelInfo template, TabularSchema schema) {
            this.step = step;
            this.normalizer = normalizer;
            this.template = template;
            this.schema = schema;
            this.history = new ArrayList<>(template.history() == null ? List.of() : template.history());
            this.epochOffset = history.size();
        }

        Autoencoder loop() {
            boolean validation = step.validationRows() > 0;
            long nTrain = step.trainingRows();
            listeners.forEach(l -> l.onStart(config.epochs(), nTrain, step.validationRows()));
            double best = Double.POSITIVE_INFINITY;
            int sinceBest = 0;
            String stopReason = "max-epochs";
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                long e0 = System.nanoTime();
                final int ep = epoch;
                ComputationGraph net = step.graph();
                listeners.forEach(l -> l.onEpochStart(ep, net));
                if (Thread.currentThread().isInterrupted()) {
                    stopReason = "interrupted";
                    break;
                }
                TrainingStep.Epoch done = step.fitEpoch(epoch);
                if (done.interrupted()) {
                    stopReason = "interrupted";
                    break;
                }
                double trainLoss = done.trainingLoss();
                if (done.rows() > 0 && !Double.isFinite(trainLoss)) {
                    throw diverged(epoch, trainLoss);
                }
                double valLoss = validation ? step.validationLoss() : Double.NaN;
                if (validation && !Double.isFinite(valLoss)) {
                    throw diverged(epoch, valLoss);
                }
                double monitored = validation ? valLoss : trainLoss;
                boolean improved = best == Double.POSITIVE_INFINITY
                        || monitored < best - config.minDelta() * Math.abs(best);
                if (improved) {
                    best = monitored;
                    sinceBest = 0;
                    bestParams = step.graph().params().dup();
                } else {
                    sinceBest++;
                }
                history.add(new ModelInfo.Epoch(epochOffset + epoch, trainLoss, valLoss));
                double secs = (System.nanoTime() - e0) / 1e9;
                double elapsed = (System.nanoTime() - t0) / 1e9;
                EpochReport report = new EpochReport(epoch, config.epochs(), trainLoss, valLoss,
                        validation ? best : Double.NaN, improved && validation, done.rows() / Math.max(secs, 1e-9),
                        elapsed, elapsed / epoch * (config.epochs() - epoch));
                LOG.debug("{}", report.summary());
                listeners.forEach(l -> l.onEpochEnd(report));
                if (improved && config.checkpoint() != null) {
                    try {
                        build(step.graph(), "checkpoint").save(config.checkpoint());
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot write checkpoint " + config.checkpoint(), e);
                    }
                }
                if (validation && config.patience() > 0 && sinceBest >= config.patience()) {
                    stopReason = "early-stopping";
                    break;
                }
            }
            int epochsRun = history.size() - epochOffset;
            ComputationGraph result = step.graph();
            if (bestParams != null && validation) {
                result.setParams(bestParams);
            }
            final String reason = stopReason;
            listeners.forEach(l -> l.onEnd(epochsRun, reason));
            LOG.debug("training stopped after {} epochs: {}", epochsRun, reason);
            return build(result, reason);
        }

        private TrainingDivergedException diverged(int epoch, double loss) {
            Autoencoder best = null;
            if (bestParams != null) {
                ComputationGraph g = step.graph();
                g.setParams(bestParams);
                best = build(g, "diverged");
            }
            return new TrainingDivergedException(epoch, loss, best);
        }

        private Autoencoder build(ComputationGraph graph, String stopReason) {
            ComputationGraph copy = graph.clone();
            ModelInfo info = template.toBuilder()
                    .createdAt(Instant.now().toString())
                    .trainingSeconds(template.trainingSeconds() + (System.nanoTime() - t0) / 1e9)
                    .history(history)
                    .stopReason(stopReason)
                    .extras(template.extras())
                    .build();
            return new Autoencoder(copy, normalizer, info, schema);
        }
    }
}
