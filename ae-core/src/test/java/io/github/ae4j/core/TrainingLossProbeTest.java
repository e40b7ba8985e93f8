package io.github.ae4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.testing.Models;
import io.github.ae4j.core.testing.Synthetic;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The training loss the trainer reports is measured on {@value AutoencoderTrainer#TRAIN_LOSS_ROWS}
 * rows per epoch, not all of them: it stays a sound estimate of the loss over all training rows (what
 * the monitored loss stands for without validation rows), and early stopping on the validation loss
 * is unaffected.
 */
class TrainingLossProbeTest {

    @Test
    void givenNoValidationRows_whenTrained_thenReportedLossEstimatesTheLossOverAllRows() {
        double[][] x = Synthetic.lowRank(3000, 16, 3, 0.05, 21);
        TrainingConfig tc = TrainingConfig.defaults().withEpochs(3).withBatchSize(64).withSeed(5)
                .withValidationFraction(0).withPatience(0).withNormalization(Normalization.STANDARD);
        Autoencoder m = Autoencoder.fit(Models.dense(16, 24, 3), x, tc);
        List<ModelInfo.Epoch> h = m.info().history();
        assertEquals(3, h.size());
        double reported = h.get(2).trainLoss();
        INDArray all = m.normalizer().transform(Nd4j.createFromArray(x).castTo(DataType.FLOAT));
        double full = m.sharedGraph().score(new org.nd4j.linalg.dataset.DataSet(all, all), false);
        // measured on 512 of the 3,000 rows, after the last epoch's updates: within a few percent
        assertTrue(Math.abs(reported / full - 1) < 0.1, "reported " + reported + " vs all rows " + full);
    }

    @Test
    void givenValidationRows_whenTheLossStopsImproving_thenEarlyStoppingStillStops() {
        double[][] x = Synthetic.lowRank(1200, 16, 3, 0.05, 22);
        TrainingConfig tc = TrainingConfig.defaults().withEpochs(200).withBatchSize(64).withSeed(5)
                .withValidationFraction(0.2).withPatience(2).withMinDelta(0.5)
                .withNormalization(Normalization.STANDARD);
        Autoencoder m = Autoencoder.fit(Models.dense(16, 24, 3), x, tc);
        List<ModelInfo.Epoch> h = m.info().history();
        assertEquals("early-stopping", m.info().stopReason());
        assertTrue(h.size() < 200, "stopped after " + h.size() + " epochs");
        for (ModelInfo.Epoch e : h) {
            assertTrue(Double.isFinite(e.trainLoss()) && Double.isFinite(e.validationLoss()), "epoch " + e);
        }
    }
}
