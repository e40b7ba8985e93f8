package io.github.ae4j.anomaly.threshold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.anomaly.metrics.Metrics;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ThresholdsTest {

    private static double[] range(int from, int to) {
        double[] v = new double[to - from + 1];
        for (int i = 0; i < v.length; i++) {
            v[i] = from + i;
        }
        return v;
    }

    @ParameterizedTest
    @CsvSource({
        "percentile:99, percentile:99",
        "' Percentile : 99.0 ', percentile:99",
        "percentile:99.9, percentile:99.9",
        "contamination:0.05, contamination:0.05",
        "CONTAMINATION:.5, contamination:0.5",
        "zscore:3, zscore:3",
        "mad:3.5, mad:3.5",
        "iqr:1.5, iqr:1.5",
        "iqr:0, iqr:0",
        "pot:0.001, pot:0.001",
        "pot:1e-4, pot:0.0001",
        "fixed:0.25, fixed:0.25",
        "fixed:-2, fixed:-2",
        "f1, f1",
        "' F1 ', f1"})
    void givenValidSpec_whenParsed_thenCanonicalSpec(String spec, String canonical) {
        ThresholdStrategy t = Thresholds.parse(spec);
        assertEquals(canonical, t.spec());
        assertEquals(canonical, Thresholds.parse(t.spec()).spec());
        assertEquals(canonical.equals("f1"), t.requiresLabels());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "xyz", "percentile", "percentile:", "percentile:abc", "percentile:100", "percentile:0",
        "percentile:-5", "percentile:99:1", "contamination:0", "contamination:0.6", "zscore:0", "zscore:-1", "mad:0",
        "iqr:-0.5", "pot:0", "pot:0.02", "pot:0.5", "fixed:NaN", "fixed:Infinity", "fixed:0x1p3", "f1:3", "auto:1",
        "percentile 99"})
    void givenInvalidSpec_whenParsed_thenIllegalArgumentListingValidForms(String spec) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Thresholds.parse(spec));
        assertTrue(e.getMessage().contains("'" + spec + "'"), e.getMessage());
        for (String form : new String[] {"percentile:P", "contamination:C", "zscore:K", "mad:K", "iqr:K", "pot:Q",
            "fixed:V", "f1"}) {
            assertTrue(e.getMessage().contains(form), () -> form + " missing in: " + e.getMessage());
        }
    }

    @Test
    void givenScores1To199_whenPercentile99_thenOnlyTopScoreFlaggedAsConformalRuleSays() {
        // n = 199, alpha = 0.01: K = floor(0.01 * 200) = 2 -> flag s with 1 + #{cal >= s} <= 2: only s > 198
        Threshold t = Thresholds.percentile(99).fit(range(1, 199));
        assertEquals(Math.nextUp(198.0), t.value());
        assertTrue(t.isAnomaly(199));
        assertTrue(t.isAnomaly(198.5));
        assertFalse(t.isAnomaly(198));
        assertEquals("percentile:99", t.spec());
        assertEquals(199, t.calibrationSize());
        assertEquals(1.0, t.details().get("calibrationExceedances"));
    }

    @Test
    void givenTooFewScoresForTheRate_whenPercentile_thenJustAboveTheMaximum() {
        Threshold t = Thresholds.percentile(99).fit(range(1, 50));
        assertEquals(Math.nextUp(50.0), t.value());
    }

    @Test
    void givenScores1To100_whenContamination5Percent_thenFlagsFiveOfThem() {
        Threshold t = Thresholds.contamination(0.05).fit(range(1, 100));
        assertEquals(96.0, t.value());
        int flagged = 0;
        for (int p : t.predict(range(1, 100))) {
            flagged += p;
        }
        assertEquals(5, flagged);
    }

    @Test
    void givenSmallSample_whenZscore_thenMeanPlusKSampleSd() {
        Threshold t = Thresholds.zscore(2).fit(new double[] {1, 2, 3, 4, 5});
        assertEquals(3 + 2 * Math.sqrt(2.5), t.value(), 1e-12);
        assertEquals(3.0, t.details().get("mean"), 1e-12);
    }

    @Test
    void givenOutlierInSample_whenMad_thenRobustFence() {
        // median 3, absolute deviations {2,1,0,1,97} -> MAD 1
        Threshold t = Thresholds.mad(3.5).fit(new double[] {1, 2, 3, 4, 100});
        assertEquals(3 + 3.5 * 1.482602218505602, t.value(), 1e-12);
        Threshold z = Thresholds.zscore(3.5).fit(new double[] {1, 2, 3, 4, 100});
        assertTrue(z.value() > 100, "the outlier inflates the z-score fence, not the MAD one");
    }

    @Test
    void givenScores1To9_whenIqr_thenTukeyFence() {
        // type-7 quartiles of 1..9: Q1 = 3, Q3 = 7
        Threshold t = Thresholds.iqr(1.5).fit(range(1, 9));
        assertEquals(7 + 1.5 * 4, t.value(), 1e-12);
        assertEquals(7.0, Thresholds.iqr(0).fit(range(1, 9)).value(), 1e-12);
    }

    @Test
    void givenConstantScores_whenSpreadBasedThresholds_thenEqualScoresNotFlagged() {
        double[] c = {2, 2, 2, 2};
        for (ThresholdStrategy s : new ThresholdStrategy[] {Thresholds.zscore(3), Thresholds.mad(3), Thresholds.iqr(1.5)}) {
            Threshold t = s.fit(c);
            assertFalse(t.isAnomaly(2), s.spec());
            assertTrue(t.isAnomaly(2.001), s.spec());
        }
    }

    @Test
    void givenAnyScores_whenFixed_thenTheValue() {
        assertEquals(0.25, Thresholds.fixed(0.25).fit(range(1, 10)).value());
        assertEquals(0.25, Thresholds.parse("fixed:0.25").fit(new double[0]).value());
    }

    @Test
    void givenLabelledScores_whenF1_thenBestF1Threshold() {
        double[] s = {0.1, 0.4, 0.35, 0.8};
        int[] y = {0, 0, 1, 1};
        Threshold t = Thresholds.parse("f1").fit(s, y);
        assertEquals(0.35, t.value());
        assertEquals(Metrics.bestF1(s, y).f1(), t.details().get("f1"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Thresholds.f1().fit(s));
        assertTrue(e.getMessage().contains("labelled"), e.getMessage());
    }

    @Test
    void givenLabelledScores_whenUnsupervisedStrategy_thenFitOnNormalsExceptContamination() {
        double[] s = new double[200];
        int[] y = new int[200];
        for (int i = 0; i < 200; i++) {
            s[i] = i < 100 ? i : 1000 + i;
            y[i] = i < 100 ? 0 : 1;
        }
        double[] normals = java.util.Arrays.copyOf(s, 100);
        assertEquals(Thresholds.zscore(3).fit(normals), Thresholds.zscore(3).fit(s, y));
        assertEquals(Thresholds.percentile(90).fit(normals), Thresholds.percentile(90).fit(s, y));
        assertEquals(Thresholds.contamination(0.5).fit(s), Thresholds.contamination(0.5).fit(s, y));
        assertThrows(IllegalArgumentException.class, () -> Thresholds.zscore(3).fit(s, new int[200 - 1]));
        assertThrows(IllegalArgumentException.class, () -> Thresholds.zscore(3).fit(new double[] {1}, new int[] {1}));
    }

    @Test
    void givenBadCalibrationScores_whenFit_thenIllegalArgument() {
        for (ThresholdStrategy s : new ThresholdStrategy[] {Thresholds.percentile(99), Thresholds.contamination(0.1),
            Thresholds.zscore(3), Thresholds.mad(3), Thresholds.iqr(1.5), Thresholds.pot(0.001)}) {
            assertThrows(IllegalArgumentException.class, () -> s.fit(new double[0]), s.spec());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> s.fit(new double[] {1, Double.NaN, 3}), s.spec());
            assertTrue(e.getMessage().contains("index 1"), e.getMessage());
        }
    }

    @Test
    void givenExponentialScores_whenPot_thenCloseToTheTrueQuantile() {
        Random r = new Random(1);
        double[] s = new double[20_000];
        for (int i = 0; i < s.length; i++) {
            s[i] = -Math.log(1 - r.nextDouble());
        }
        Threshold t = Thresholds.parse("pot:0.001").fit(s);
        double truth = -Math.log(0.001);
        assertEquals(truth, t.value(), 0.1 * truth, () -> "POT " + t);
        assertEquals(400, t.details().get("peaks"), 1);
        assertTrue(t.value() > t.details().get("initialThreshold"));
    }

    @Test
    void givenGaussianScores_whenPot_thenCloseToTheTrueQuantile() {
        Random r = new Random(2);
        double[] s = new double[20_000];
        for (int i = 0; i < s.length; i++) {
            s[i] = r.nextGaussian();
        }
        Threshold t = Thresholds.pot(0.001).fit(s);
        assertEquals(3.0902, t.value(), 0.1 * 3.0902, () -> "POT " + t);
    }

    @Test
    void givenStrategies_whenAskedForMinimumCalibration_thenMatchesWhatFitAccepts() {
        assertEquals(500, Thresholds.pot(0.001).minCalibrationScores());
        assertEquals(2, Thresholds.zscore(3).minCalibrationScores());
        assertEquals(1, Thresholds.percentile(99).minCalibrationScores());
        for (ThresholdStrategy s : new ThresholdStrategy[] {Thresholds.pot(0.001), Thresholds.zscore(3),
            Thresholds.mad(3), Thresholds.iqr(1.5), Thresholds.percentile(99), Thresholds.contamination(0.1)}) {
            int min = s.minCalibrationScores();
            s.fit(range(1, min)); // enough
            if (min > 1) {
                assertThrows(IllegalArgumentException.class, () -> s.fit(range(1, min - 1)), s.spec());
            }
        }
    }

    @Test
    void givenTooFewScores_whenPot_thenSaysHowManyAreNeeded() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Thresholds.pot(0.001).fit(range(1, 100)));
        assertTrue(e.getMessage().contains("at least 500 calibration scores, got 100"), e.getMessage());
    }
}
