package io.github.ae4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.testing.Models;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The one epoch loop, driven by a scripted step: each epoch sets every parameter to the epoch's number (so
 * the weights a model ends with say which epoch they come from) and reports scripted losses.
 */
class TrainingEngineTest {

    private static final AutoencoderSpec SPEC = Models.dense(4, 3, 2);

    /** A step whose epochs set the parameters to the epoch number and report the given losses. */
    private static final class ScriptedStep implements TrainingStep {
        final ComputationGraph graph;
        final double[] train;
        final double[] val;
        final int interruptAt;
        int epoch;

        ScriptedStep(double[] train, double[] val, int interruptAt) {
            this.graph = new ComputationGraph(SPEC.buildGraph(new Adam(1e-3), 1));
            this.graph.init();
            this.train = train;
            this.val = val;
            this.interruptAt = interruptAt;
        }

        @Override
        public ComputationGraph graph() {
            return graph;
        }

        @Override
        public long trainingRows() {
            return 100;
        }

        @Override
        public long validationRows() {
            return val == null ? 0 : 20;
        }

        @Override
        public Epoch fitEpoch(int e) {
            if (e == interruptAt) {
                return Epoch.interruptedEpoch();
            }
            epoch = e;
            graph.params().assign(e);
            return new Epoch(100, train[e - 1], false);
        }

        @Override
        public double validationLoss() {
            return val[epoch - 1];
        }
    }

    private static ModelInfo template() {
        return ModelInfo.builder().spec(SPEC).latentSize(2).training(java.util.Map.of("epochs", 10)).build();
    }

    private static double weightsEpoch(Autoencoder m) {
        return m.graph().params().getDouble(0);
    }

    @Test
    void givenValidationLossThatStopsImproving_whenRunning_thenStopsAfterPatienceWithTheBestEpochsWeights() {
        double[] val = {1.0, 0.8, 0.5, 0.6, 0.7, 0.55, 0.4, 0.3};
        List<EpochReport> reports = new ArrayList<>();
        String[] end = new String[1];
        TrainingListener l = new TrainingListener() {
            @Override
            public void onEpochEnd(EpochReport r) {
                reports.add(r);
            }

            @Override
            public void onEnd(int epochs, String stopReason) {
                end[0] = epochs + " " + stopReason;
            }
        };
        TrainingEngine engine = new TrainingEngine(TrainingConfig.defaults().withEpochs(8).withPatience(3),
                List.of(l));

        Autoencoder m = engine.run(new ScriptedStep(new double[8], val, -1), Normalizer.none(4), template(), null);

        assertEquals("6 early-stopping", end[0]);
        assertEquals("early-stopping", m.info().stopReason());
        assertEquals(6, m.info().history().size());
        assertEquals(3.0, weightsEpoch(m), "weights of epoch 3, the best validation loss");
        assertEquals(0.5, reports.get(5).bestValidationLoss());
        assertTrue(reports.get(2).improved());
        assertEquals(List.of(1, 2, 3, 4, 5, 6), m.info().history().stream().map(ModelInfo.Epoch::epoch).toList());
    }

    @Test
    void givenNoValidationRows_whenRunning_thenKeepsTheLastWeightsAndNeverStopsEarly() {
        double[] train = {1.0, 0.5, 0.9, 0.9, 0.9};
        TrainingEngine engine = new TrainingEngine(TrainingConfig.defaults().withEpochs(5).withPatience(1),
                List.of());

        Autoencoder m = engine.run(new ScriptedStep(train, null, -1), Normalizer.none(4), template(), null);

        assertEquals("max-epochs", m.info().stopReason());
        assertEquals(5.0, weightsEpoch(m));
        assertTrue(Double.isNaN(m.info().history().get(0).validationLoss()));
    }

    @Test
    void givenValidationLossTurningNaN_whenRunning_thenDivergedCarriesTheBestModelSoFar() {
        double[] val = {1.0, 0.7, 0.9, Double.NaN};
        TrainingEngine engine = new TrainingEngine(TrainingConfig.defaults().withEpochs(6).withPatience(0), List.of());

        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> engine.run(new ScriptedStep(new double[6], val, -1), Normalizer.none(4), template(), null));

        assertEquals(4, e.epoch());
        assertTrue(e.bestModel().isPresent());
        assertEquals(2.0, weightsEpoch(e.bestModel().get()));
        assertEquals("diverged", e.bestModel().get().info().stopReason());
    }

    @Test
    void givenInfiniteTrainingLoss_whenRunning_thenDiverged() {
        double[] train = {1.0, Double.POSITIVE_INFINITY};
        TrainingEngine engine = new TrainingEngine(TrainingConfig.defaults().withEpochs(3), List.of());

        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> engine.run(new ScriptedStep(train, null, -1), Normalizer.none(4), template(), null));

        assertEquals(2, e.epoch());
    }

    @Test
    void givenInterruptedEpochAndEarlierHistory_whenRunning_thenStopsInterruptedAndContinuesTheHistory() {
        double[] val = {0.9, 0.8, 0.7, 0.6};
        ModelInfo earlier = template().toBuilder().history(List.of(new ModelInfo.Epoch(1, 2, 2),
                new ModelInfo.Epoch(2, 1.5, 1.5))).trainingSeconds(7).build();
        TrainingEngine engine = new TrainingEngine(TrainingConfig.defaults().withEpochs(4), List.of());

        Autoencoder m = engine.run(new ScriptedStep(new double[4], val, 3), Normalizer.none(4), earlier, null);

        assertEquals("interrupted", m.info().stopReason());
        assertEquals(List.of(1, 2, 3, 4), m.info().history().stream().map(ModelInfo.Epoch::epoch).toList());
        assertEquals(2.0, weightsEpoch(m));
        assertTrue(m.info().trainingSeconds() >= 7);
        assertNotNull(m.info().createdAt());
    }

    @Test
    void givenCheckpointFile_whenValidationImproves_thenTheFileHoldsTheBestModel(@TempDir Path dir) throws Exception {
        Path ck = dir.resolve("ck.ae4j");
        double[] val = {1.0, 0.5, 0.8};
        TrainingEngine engine = new TrainingEngine(TrainingConfig.defaults().withEpochs(3).withPatience(0)
                .withCheckpoint(ck), List.of());

        engine.run(new ScriptedStep(new double[3], val, -1), Normalizer.none(4), template(), null);

        Autoencoder saved = Autoencoder.load(ck);
        assertEquals(2.0, weightsEpoch(saved));
        assertEquals("checkpoint", saved.info().stopReason());
    }
}
