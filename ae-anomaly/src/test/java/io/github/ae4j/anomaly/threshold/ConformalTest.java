package io.github.ae4j.anomaly.threshold;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ConformalTest {

    @Test
    void givenFourCalibrationScores_whenPValue_thenOnePlusCountAtOrAboveOverNPlusOne() {
        Conformal c = Conformal.of(new double[] {3, 1, 4, 2});
        assertEquals(1 / 5.0, c.pValue(5));
        assertEquals(2 / 5.0, c.pValue(4));
        assertEquals(3 / 5.0, c.pValue(2.5));
        assertEquals(1.0, c.pValue(0));
        assertEquals(1.0, c.pValue(1));
        assertArrayEquals(new double[] {0.2, 1.0}, c.pValues(new double[] {9, -9}));
    }

    @Test
    void givenCalibrationWithTies_whenFlagAtFpr_thenSameAsPercentileThreshold() {
        Random r = new Random(4);
        double[] cal = new double[999];
        for (int i = 0; i < cal.length; i++) {
            cal[i] = Math.round(r.nextGaussian() * 20) / 20.0; // ties
        }
        Conformal c = Conformal.of(cal);
        double[] probe = new double[3000];
        for (int i = 0; i < probe.length; i++) {
            probe[i] = i < 999 ? cal[i] : i < 1998 ? Math.nextUp(cal[i - 999]) : r.nextGaussian() * 2;
        }
        for (double alpha : new double[] {0.001, 0.01, 0.05, 0.1, 0.5, 1 - 0.9}) {
            double t = c.thresholdAtFpr(alpha);
            double p = 100 * (1 - alpha);
            assertEquals(t, Thresholds.percentile(p).fit(cal).value(), () -> "alpha " + alpha);
            for (double s : probe) {
                assertEquals(c.flag(s, alpha), s >= t, () -> "alpha " + alpha + " score " + s);
                assertEquals(c.flag(s, alpha), c.pValue(s) <= alpha + 1e-15, () -> "alpha " + alpha + " score " + s);
            }
        }
    }

    @Test
    void givenFewerScoresThanTheRateAllows_whenThresholdAtFpr_thenInfinite() {
        Conformal c = Conformal.of(new double[] {1, 2, 3});
        assertEquals(Double.POSITIVE_INFINITY, c.thresholdAtFpr(0.2));
        assertEquals(Math.nextUp(3.0), c.thresholdAtFpr(0.25));
        assertTrue(c.flag(3.5, 0.25));
    }

    @Test
    void givenExchangeableNormalScores_whenFlaggedAt1Percent_thenFreshFalsePositiveRateNearOnePercent() {
        Random r = new Random(8);
        double[] cal = new double[2000];
        for (int i = 0; i < cal.length; i++) {
            cal[i] = Math.exp(r.nextGaussian());
        }
        Conformal c = Conformal.of(cal);
        int flagged = 0;
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            flagged += c.flag(Math.exp(r.nextGaussian()), 0.01) ? 1 : 0;
        }
        double fpr = flagged / (double) n;
        assertTrue(fpr >= 0.005 && fpr <= 0.016, "fresh FPR " + fpr);
    }

    @Test
    void givenInvalidInput_whenConformal_thenIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> Conformal.of(new double[0]));
        assertThrows(IllegalArgumentException.class, () -> Conformal.of(new double[] {1, Double.NaN}));
        Conformal c = Conformal.of(new double[] {1, 2});
        assertThrows(IllegalArgumentException.class, () -> c.pValue(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> c.flag(1, 0));
        assertThrows(IllegalArgumentException.class, () -> c.flag(1, 1));
    }
}
