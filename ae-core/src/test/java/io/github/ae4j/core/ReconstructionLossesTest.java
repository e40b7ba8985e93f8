package io.github.ae4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.testing.L2Loss;
import io.github.ae4j.core.testing.Models;
import io.github.ae4j.core.testing.Synthetic;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ReconstructionLossesTest {

    private static INDArray row(double... v) {
        return Nd4j.createFromArray(v).reshape(1, v.length).castTo(DataType.DOUBLE);
    }

    @Test
    void givenKnownValues_whenComputingPerFeatureErrors_thenHandComputedResults() {
        INDArray x = row(0.0, 1.0, 2.0);
        INDArray xh = row(0.5, 1.0, 0.0);
        assertArrayEquals(new double[] {0.25, 0.0, 4.0}, ReconstructionLosses.mse().perFeature(x, xh).toDoubleVector(), 1e-12);
        assertArrayEquals(new double[] {0.5, 0.0, 2.0}, ReconstructionLosses.mae().perFeature(x, xh).toDoubleVector(), 1e-12);
        assertEquals(4.25 / 3, ReconstructionLosses.mse().perRow(x, xh).getDouble(0), 1e-12);
    }

    @Test
    void givenBinaryTargets_whenScoringWithBce_thenEqualsCrossEntropy() {
        INDArray x = row(0.0, 1.0, 1.0);
        INDArray p = row(0.2, 0.9, 0.5);
        double[] e = ReconstructionLosses.binaryCrossEntropy().perFeature(x, p).toDoubleVector();
        assertArrayEquals(new double[] {-Math.log(0.8), -Math.log(0.9), -Math.log(0.5)}, e, 1e-5);
    }

    @Test
    void givenGreyTargets_whenReconstructedExactly_thenBceScoreIsZeroAndGrowsAwayFromIt() {
        INDArray x = row(0.3, 0.5, 0.9);
        double[] exact = ReconstructionLosses.binaryCrossEntropy().perFeature(x, x.dup()).toDoubleVector();
        assertArrayEquals(new double[] {0, 0, 0}, exact, 1e-6);
        double[] off = ReconstructionLosses.binaryCrossEntropy().perFeature(x, row(0.4, 0.5, 0.6)).toDoubleVector();
        // KL(0.3 || 0.4) by hand
        double kl = 0.3 * Math.log(0.3 / 0.4) + 0.7 * Math.log(0.7 / 0.6);
        assertEquals(kl, off[0], 1e-6);
        assertEquals(0.0, off[1], 1e-6);
        assertEquals(0.9 * Math.log(0.9 / 0.6) + 0.1 * Math.log(0.1 / 0.4), off[2], 1e-6);
    }

    @Test
    void givenStoredNames_whenLookingUp_thenBuiltInsAndClearErrors() {
        assertSame(ReconstructionLosses.mse(), ReconstructionLosses.forName("mse", null));
        assertSame(ReconstructionLosses.binaryCrossEntropy(), ReconstructionLosses.forName("bce", null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReconstructionLosses.forName("huber", null));
        assertTrue(e.getMessage().startsWith("unknown reconstruction loss 'huber': available are bce, mae, mse,"
                + " mse-sigmoid, test-l2"), e.getMessage());
        // a class named by a file is never created: only the name counts
        assertThrows(IllegalArgumentException.class, () -> ReconstructionLosses.forName("x", "java.lang.String"));
        assertSame(ReconstructionLosses.mae(), ReconstructionLosses.forName("mae", "no.such.Loss"));
    }

    @Test
    void givenBuiltInsAndATestPlugin_whenListingProviders_thenAllRegisteredThroughServiceLoader() {
        // (and "test-own" when registered by code in another test of this JVM)
        assertEquals(java.util.List.of("bce", "mae", "mse", "mse-sigmoid", L2Loss.NAME),
                java.util.List.copyOf(ReconstructionLosses.providers().keySet()).subList(0, 5));
        assertEquals(L2Loss.class, ReconstructionLosses.require(L2Loss.NAME).getClass());
    }

    @Test
    void givenLossOfACodeRegisteredClass_whenRegistering_thenFoundByName() {
        ReconstructionLoss own = new ReconstructionLoss() {
            @Override
            public org.nd4j.linalg.lossfunctions.ILossFunction lossFunction() {
                return ReconstructionLosses.mse().lossFunction();
            }

            @Override
            public org.nd4j.linalg.activations.Activation outputActivation() {
                return org.nd4j.linalg.activations.Activation.IDENTITY;
            }

            @Override
            public INDArray perFeature(INDArray x, INDArray xHat) {
                return ReconstructionLosses.mse().perFeature(x, xHat);
            }

            @Override
            public String name() {
                return "test-own";
            }
        };
        assertTrue(ReconstructionLosses.find("test-own").isEmpty());
        ReconstructionLosses.register(own);
        assertSame(own, ReconstructionLosses.require("test-own"));
    }

    @Test
    void givenPluginLoss_whenTrainingSavingAndLoading_thenNamedInTheFileAndScoresIdentical(@TempDir Path dir)
            throws Exception {
        INDArray x = Nd4j.createFromArray(Synthetic.lowRank(200, 6, 2, 0.05, 5)).castTo(DataType.FLOAT);
        Autoencoder m = Autoencoder.fit(Models.dense(6, 5, 2).withLoss(ReconstructionLosses.require(L2Loss.NAME)), x,
                TrainingConfig.defaults().withEpochs(3));
        assertEquals(L2Loss.NAME, m.info().loss());
        Path f = dir.resolve("l2.ae4j");
        m.save(f);
        Autoencoder back = Autoencoder.load(f);
        assertEquals(L2Loss.class, back.loss().getClass());
        assertArrayEquals(m.reconstructionError(x).toDoubleVector(), back.reconstructionError(x).toDoubleVector(), 0.0);
    }
}
