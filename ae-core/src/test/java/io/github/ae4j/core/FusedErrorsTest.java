package io.github.ae4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.github.ae4j.core.internal.Subgraphs;
import io.github.ae4j.core.testing.Models;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The fused per-row errors equal each loss's own per-feature definition, and the few-rows path
 * gives the batch path's scores.
 */
class FusedErrorsTest {

    private static final ReconstructionLoss[] LOSSES = {ReconstructionLosses.mse(), ReconstructionLosses.mseSigmoid(),
        ReconstructionLosses.mae(), ReconstructionLosses.binaryCrossEntropy()};

    /**
     * Binary cross-entropy's score (the Bernoulli KL divergence) of one element in double precision,
     * with the probability clipped to the float-rounded bounds that float arrays hold.
     */
    private static double bernoulliKl(double x, double z) {
        double lo = (float) ReconstructionLosses.EPS;
        double hi = (float) (1 - ReconstructionLosses.EPS);
        double t = Math.min(Math.max(x, lo), hi);
        double p = Math.min(Math.max(1 / (1 + Math.exp(-z)), lo), hi);
        return t * Math.log(t / p) + (1 - t) * Math.log((1 - t) / (1 - p));
    }

    @Test
    void givenEachBuiltInLoss_whenFused_thenEqualsItsDefinition() {
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 37, 50);
        x.getRow(0).assign(0);                        // targets at the clip bounds
        x.getRow(1).assign(1);
        INDArray z = Nd4j.randn(DataType.FLOAT, 37, 50).muli(4);
        z.getRow(2).assign(40);                       // saturated logits
        z.getRow(3).assign(-40);
        double[][] xd = x.toDoubleMatrix();
        double[][] zd = z.toDoubleMatrix();
        for (ReconstructionLoss loss : LOSSES) {
            Activation a = loss.outputActivation();
            double[] got = FusedErrors.perRow(loss, a, x.dup(), z.dup()).toDoubleVector();
            assertEquals(37, got.length, loss.name());
            double[] want;
            if (loss == ReconstructionLosses.binaryCrossEntropy()) {
                // against double precision: the float per-feature route loses up to 1e-3 (relative) on
                // saturated probabilities (1 - p rounded), the fused one works on the logits
                want = new double[37];
                for (int r = 0; r < 37; r++) {
                    for (int j = 0; j < 50; j++) {
                        want[r] += bernoulliKl(xd[r][j], zd[r][j]) / 50;
                    }
                }
            } else {
                want = loss.perRow(x, a.getActivationFunction().getActivation(z.dup(), false)).toDoubleVector();
            }
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], 2e-6 * Math.max(1, Math.abs(want[i])), loss.name() + " row " + i);
            }
        }
    }

    @Test
    void givenFewRows_whenScoring_thenEqualsBatchPathAndFeatureErrors() {
        Nd4j.getRandom().setSeed(5);
        INDArray data = Nd4j.rand(DataType.FLOAT, 300, 12);
        for (ReconstructionLoss loss : LOSSES) {
            Autoencoder m = Autoencoder.fit(Models.dense(12, 8, 3).withLoss(loss), data,
                    TrainingConfig.defaults().withEpochs(2).withBatchSize(32).withValidationFraction(0).withPatience(0)
                            .withNormalization(Normalization.MINMAX));
            assertNotNull(LayerChain.of(Subgraphs.instantiate(Subgraphs.upTo(m.sharedGraph().getConfiguration(),
                    m.info().decoderOutput()), m.sharedGraph())), "a dense net takes the few-rows path");
            INDArray rows = data.get(NDArrayIndex.interval(0, 200), NDArrayIndex.all());
            double[] batch = m.reconstructionError(rows).toDoubleVector();          // > FEW_ROWS: the batch path
            double[] generic = m.featureErrors(rows).mean(1).toDoubleVector();     // the loss's own definition
            assertArrayEquals(generic, batch, 1e-6, loss.name());
            for (int i = 0; i < 10; i++) {
                double one = m.reconstructionError(rows.getRow(i, true)).getDouble(0);
                assertEquals(batch[i], one, 1e-6, loss.name() + " row " + i);
            }
            double[] few = m.reconstructionError(rows.get(NDArrayIndex.interval(20, 20 + Autoencoder.FEW_ROWS),
                    NDArrayIndex.all())).toDoubleVector();
            for (int i = 0; i < few.length; i++) {
                assertEquals(batch[20 + i], few[i], 1e-6, loss.name() + " row " + (20 + i));
            }
        }
    }

    @Test
    void givenModelEndingInLossLayer_whenScoring_thenGraphIsCutBeforeItWithSameReconstructions() {
        Nd4j.getRandom().setSeed(8);
        INDArray data = Nd4j.rand(DataType.FLOAT, 120, 12);
        for (ReconstructionLoss loss : LOSSES) {
            Autoencoder m = Autoencoder.fit(Models.dense(12, 8, 3).withLoss(loss), data,
                    TrainingConfig.defaults().withEpochs(1).withValidationFraction(0).withPatience(0)
                            .withNormalization(Normalization.NONE));
            // the spec's reconstruction vertex is the loss layer; scores use the vertex before it
            assertEquals(ModelSpec.RECONSTRUCTION, m.info().decoderOutput());
            assertEquals(loss.outputActivation(), m.scoringActivation(), loss.name());
            INDArray full = m.sharedGraph().outputSingle(false, data);   // through the loss layer
            INDArray cut = m.reconstruct(data);
            assertEquals(0, full.sub(cut).amaxNumber().doubleValue(), 1e-6, loss.name());
        }
    }
}
