package io.github.ae4j.anomaly.threshold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

class SpotTest {

    private static final double RISK = 1e-3;
    private static final int STREAM = 1_000_000;

    private static double[] draw(DoubleSupplier d, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = d.getAsDouble();
        }
        return v;
    }

    /** Streams 10^6 scores after a 10,000-score initial batch; checks the false-alarm rate and the memory bound. */
    private static Spot runStream(DoubleSupplier d) {
        Spot spot = Spot.fit(draw(d, 10_000), Spot.Config.of(RISK));
        int maxSeen = spot.peakCount();
        for (int i = 0; i < STREAM; i++) {
            spot.step(d.getAsDouble());
            maxSeen = Math.max(maxSeen, spot.peakCount());
        }
        double far = spot.alarms() / (double) STREAM;
        String msg = "false-alarm rate " + far + ", " + spot;
        System.err.println("SPOT " + msg);
        assertTrue(far >= 0.5e-3 && far <= 2e-3, msg);
        assertTrue(maxSeen <= spot.maxPeaks(), msg);
        assertEquals(spot.maxPeaks(), spot.peakCount(), "the buffer fills but does not grow: " + msg);
        assertTrue(spot.peaksSeen() > 10L * spot.maxPeaks(), "many more peaks were seen than kept: " + msg);
        assertEquals(STREAM, spot.steps());
        return spot;
    }

    @Test
    void givenMillionGaussianScores_whenSpotAtRisk1e3_thenFalseAlarmRateNearRiskWithBoundedMemory() {
        Random r = new Random(42);
        Spot s = runStream(r::nextGaussian);
        assertEquals(3.09, s.threshold(), 0.3);
    }

    @Test
    void givenMillionExponentialScores_whenSpotAtRisk1e3_thenFalseAlarmRateNearRiskWithBoundedMemory() {
        Random r = new Random(43);
        Spot s = runStream(() -> -Math.log(1 - r.nextDouble()));
        assertEquals(-Math.log(RISK), s.threshold(), 0.7);
        assertEquals(0, s.gpd().gamma(), 0.15);
    }

    @Test
    void givenPlantedSpikes_whenSpot_thenEachIsAnAlarmAndOnlyItsExceedanceCounts() {
        double[] thresholds = new double[2];
        for (int run = 0; run < 2; run++) {
            Random r = new Random(7);
            Spot spot = Spot.fit(draw(r::nextGaussian, 5000), RISK);
            for (int i = 0; i < 20_000; i++) {
                spot.step(r.nextGaussian());
                if (i % 1000 == 500) {
                    double spike = run == 0 ? 8 : 1e9; // a mild or an absurd anomaly
                    assertTrue(spot.step(spike), "spike at step " + i);
                }
            }
            thresholds[run] = spot.threshold();
            assertEquals(3.09, spot.threshold(), 0.4);
        }
        assertEquals(thresholds[0], thresholds[1], "how far a spike exceeds the threshold must not matter");
    }

    @Test
    void givenDriftingLevel_whenDspot_thenFalseAlarmRateStaysNearRiskAndThresholdFollowsTheLevel() {
        int n = 200_000;
        Random r = new Random(9);
        double[] x = new double[n + 5000];
        for (int i = 0; i < x.length; i++) {
            x[i] = 10.0 * i / n + r.nextGaussian(); // the level rises by 10 standard deviations
        }
        DSpot dspot = DSpot.fit(java.util.Arrays.copyOf(x, 5000), 50, Spot.Config.of(RISK));
        double startThreshold = dspot.threshold();
        int maxPeaks = 0;
        for (int i = 5000; i < x.length; i++) {
            dspot.step(x[i]);
            maxPeaks = Math.max(maxPeaks, dspot.peakCount());
        }
        double rate = dspot.alarms() / (double) n;
        assertTrue(rate >= 0.3e-3 && rate <= 3e-3, "DSPOT false-alarm rate " + rate + ", " + dspot);
        assertTrue(maxPeaks <= dspot.maxPeaks());
        assertEquals(10.25, dspot.localMean(), 0.5, dspot::toString);
        assertEquals(10.25, dspot.threshold() - startThreshold, 0.6, dspot::toString);
        assertTrue(dspot.step(dspot.threshold() + 1e-9));
    }

    @Test
    void givenInvalidUse_whenSpot_thenIllegalArgument() {
        Random r = new Random(1);
        assertThrows(IllegalArgumentException.class, () -> Spot.fit(draw(r::nextGaussian, 100), RISK));
        assertThrows(IllegalArgumentException.class, () -> Spot.Config.of(0.05));
        assertThrows(IllegalArgumentException.class, () -> Spot.Config.of(1e-3).withMaxPeaks(5));
        assertThrows(IllegalArgumentException.class, () -> Spot.fit(new double[1000], RISK)); // no tail: all equal
        Spot s = Spot.fit(draw(r::nextGaussian, 1000), RISK);
        assertThrows(IllegalArgumentException.class, () -> s.step(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> DSpot.fit(draw(r::nextGaussian, 520), 50, Spot.Config.of(RISK)));
    }
}
