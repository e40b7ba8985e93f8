package io.github.ae4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
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
        assertThrows(IllegalArgumentException.class, () -> ReconstructionLosses.forName("huber", null));
        assertThrows(IllegalArgumentException.class, () -> ReconstructionLosses.forName("x", "java.lang.String"));
        assertThrows(IllegalArgumentException.class, () -> ReconstructionLosses.forName("x", "no.such.Loss"));
    }
}
