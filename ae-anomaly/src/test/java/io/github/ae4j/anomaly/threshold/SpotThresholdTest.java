package io.github.ae4j.anomaly.threshold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code spot:Q} and {@code dspot:Q:D} threshold specs. */
class SpotThresholdTest {

    private static double[] sample(int n, DoubleSupplier d) {
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = d.getAsDouble();
        }
        return s;
    }

    @ParameterizedTest
    @CsvSource({
        "spot:0.001, spot:0.001, 0",
        "' SPOT : 1e-2 ', spot:0.01, 0",
        "dspot:0.001, dspot:0.001:10, 10",
        "dspot:0.005:50, dspot:0.005:50, 50",
        "' DSpot:1e-3 : 007 ', dspot:0.001:7, 7"})
    void givenSpotSpec_whenParsed_thenCanonicalSpecRoundTripsWithRiskAndDepth(String spec, String canonical,
            int depth) {
        ThresholdStrategy t = Thresholds.parse(spec);
        assertEquals(canonical, t.spec());
        assertEquals(t, Thresholds.parse(t.spec()));
        Thresholds.SpotStrategy s = Thresholds.spotSettings(t.spec()).orElseThrow();
        assertEquals(depth, s.depth());
        assertEquals(Double.parseDouble(canonical.split(":")[1]), s.risk());
        assertEquals(depth + 500, t.minCalibrationScores());
    }

    @Test
    void givenOtherSpecs_whenAskedForSpotSettings_thenEmpty() {
        for (String spec : new String[] {"pot:0.001", "percentile:99", "f1", "fixed:1", "spot:0.5", "custom", null}) {
            assertTrue(Thresholds.spotSettings(spec).isEmpty(), String.valueOf(spec));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "spot:0|risk must be in (0, 0.02)",
        "spot:0.02|risk must be in (0, 0.02)",
        "spot:0.3|risk must be in (0, 0.02)",
        "spot:-0.001|risk must be in (0, 0.02)",
        "spot|needs a value",
        "spot:abc|'abc' is not a number",
        "dspot:0.001:0|dspot depth must be in [1, 1000000], got 0",
        "dspot:0.001:-4|dspot depth must be in [1, 1000000], got -4",
        "dspot:0.001:2000000|dspot depth must be in [1, 1000000], got 2000000",
        "dspot:0.001:99999999999|dspot depth must be in [1, 1000000], got 99999999999",
        "dspot:0.001:2.5|the depth '2.5' is not a whole number",
        "dspot:0.05:10|risk must be in (0, 0.02)",
        "dspot:x:10|'x' is not a number"})
    void givenOutOfRangeSpec_whenParsed_thenOneLineNamingTheProblem(String spec, String why) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Thresholds.parse(spec));
        assertTrue(e.getMessage().contains("'" + spec + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
        assertTrue(e.getMessage().contains("spot:Q") && e.getMessage().contains("dspot:Q[:D]"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.01, 0.002})
    void givenExponentialScores_whenSpot_thenFreshExceedanceRateNearTheRisk(double risk) {
        Random r = new Random(11);
        DoubleSupplier exp = () -> -Math.log(1 - r.nextDouble());
        Threshold t = Thresholds.parse("spot:" + risk).fit(sample(5_000, exp));
        double rate = exceedance(t, sample(400_000, exp));
        System.out.printf(java.util.Locale.ROOT, "exponential, spot:%s on 5,000: %.5g, fresh exceedance %.5f%n",
                risk, t.value(), rate);
        assertTrue(rate >= 0.5 * risk && rate <= 2 * risk, () -> "rate " + rate + " at risk " + risk + ": " + t);
        assertEquals("spot:" + Thresholds.num(risk), t.spec());
        assertEquals(5_000, t.calibrationSize());
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.01, 0.002})
    void givenGaussianScores_whenSpot_thenFreshExceedanceRateNearTheRisk(double risk) {
        Random r = new Random(12);
        Threshold t = Thresholds.spot(risk).fit(sample(3_000, r::nextGaussian));
        double rate = exceedance(t, sample(400_000, r::nextGaussian));
        System.out.printf(java.util.Locale.ROOT, "Gaussian, spot:%s on 3,000: %.5g, fresh exceedance %.5f%n",
                risk, t.value(), rate);
        assertTrue(rate >= 0.5 * risk && rate <= 2 * risk, () -> "rate " + rate + " at risk " + risk + ": " + t);
    }

    private static double exceedance(Threshold t, double[] fresh) {
        int k = 0;
        for (int f : t.predict(fresh)) {
            k += f;
        }
        return k / (double) fresh.length;
    }

    @Test
    void givenScores_whenSpot_thenSameValueAsPotAndAsTheThresholdSpotStartsFrom() {
        Random r = new Random(13);
        double[] s = sample(4_000, () -> Math.abs(r.nextGaussian()) + 0.1 * r.nextDouble());
        Threshold spot = Thresholds.parse("spot:0.001").fit(s);
        Threshold pot = Thresholds.parse("pot:0.001").fit(s);
        // equal up to the GPD fit's tolerance (the excesses come in another order): 1.7e-9 relative here
        assertEquals(pot.value(), spot.value(), 1e-7 * pot.value(), "spot:Q is pot:Q");
        assertEquals(Spot.fit(s, Spot.Config.of(0.001)).threshold(), spot.value(), 0.0);
        assertEquals(pot.details().get("peaks"), spot.details().get("peaks"));
    }

    @Test
    void givenScores_whenDspot_thenTheThresholdDspotHoldsAfterTheCalibrationScores() {
        Random r = new Random(14);
        double[] s = sample(3_000, r::nextGaussian);
        Threshold t = Thresholds.dspot(0.005, 25).fit(s);
        DSpot d = DSpot.fit(s, 25, Spot.Config.of(0.005));
        assertEquals(d.threshold(), t.value(), 0.0);
        double mean = 0;
        for (int i = s.length - 25; i < s.length; i++) {
            mean += s[i] / 25;
        }
        assertEquals(mean, t.details().get("localMean"), 1e-9);
        assertEquals(t.value(), mean + t.details().get("deviationThreshold"), 1e-9);
        assertEquals(25.0, t.details().get("depth"));
    }

    @Test
    void givenTooFewScores_whenSpotOrDspot_thenOneLineNamingTheMinimum() {
        double[] s = sample(519, new Random(15)::nextGaussian);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Thresholds.dspot(0.001, 20).fit(s));
        assertTrue(e.getMessage().contains("dspot:0.001:20 needs at least 520 calibration scores"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Thresholds.spot(0.001).fit(java.util.Arrays.copyOf(s, 499)));
        assertTrue(e.getMessage().contains("spot:0.001 needs at least 500 calibration scores"), e.getMessage());
        assertEquals(20.0 + 500, Thresholds.dspot(0.001, 20).minCalibrationScores());
        assertThrows(IllegalArgumentException.class, () -> Thresholds.dspot(0.001, 0));
    }
}
