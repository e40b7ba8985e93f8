package io.github.ae4j.anomaly.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.testing.Ranks;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MetricsTest {

    private static final double EPS = 1e-12;

    // scikit-learn's documented example: roc_auc_score = 0.75, average_precision_score = 0.8333...
    private static final double[] S = {0.1, 0.4, 0.35, 0.8};
    private static final int[] Y = {0, 0, 1, 1};

    @Test
    void givenScikitLearnExample_whenAurocAndAuprc_thenHandComputedValues() {
        assertEquals(0.75, Metrics.auroc(S, Y), EPS);
        // thresholds 0.8: P=1, R=.5; 0.4: P=.5, R=.5; 0.35: P=2/3, R=1 -> .5*1 + .5*2/3
        assertEquals(0.5 + 0.5 * 2 / 3.0, Metrics.auprc(S, Y), EPS);
    }

    @Test
    void givenTiedScoresAcrossClasses_whenAuroc_thenTiedPairsCountHalf() {
        double[] s = {0.9, 0.5, 0.5, 0.1};
        int[] y = {1, 1, 0, 0};
        // pairs (pos, neg): (.9,.5)=1 (.9,.1)=1 (.5,.5)=.5 (.5,.1)=1 -> 3.5 / 4
        assertEquals(0.875, Metrics.auroc(s, y), EPS);
        // groups: .9 -> P=1, R=.5; .5 (one pos, one neg together) -> P=2/3, R=1
        assertEquals(0.5 + 0.5 * 2 / 3.0, Metrics.auprc(s, y), EPS);
    }

    @Test
    void givenAllScoresTied_whenMetrics_thenChanceLevelNotOrderDependent() {
        double[] s = {0.5, 0.5, 0.5, 0.5};
        int[] y = {1, 0, 1, 0};
        assertEquals(0.5, Metrics.auroc(s, y), EPS);
        assertEquals(0.5, Metrics.auprc(s, y), EPS);
        assertEquals(0.5, Metrics.precisionAtK(s, y, 1), EPS);
        int[] y2 = {0, 0, 1, 1};
        assertEquals(Metrics.auprc(s, y), Metrics.auprc(s, y2), EPS);
    }

    @Test
    void givenNegativeZeroAndZero_whenAuroc_thenTreatedAsTied() {
        assertEquals(0.5, Metrics.auroc(new double[] {-0.0, 0.0}, new int[] {1, 0}), EPS);
        assertEquals(0.5, Metrics.auroc(new double[] {0.0, -0.0}, new int[] {1, 0}), EPS);
    }

    @Test
    void givenPerfectAndInvertedRankings_whenAuroc_thenOneAndZero() {
        assertEquals(1.0, Metrics.auroc(new double[] {1, 2, 3, 4}, new int[] {0, 0, 1, 1}), EPS);
        assertEquals(0.0, Metrics.auroc(new double[] {4, 3, 2, 1}, new int[] {0, 0, 1, 1}), EPS);
        assertEquals(1.0, Metrics.auprc(new double[] {1, 2, 3, 4}, new int[] {0, 0, 1, 1}), EPS);
        // inverted: the two positives come last: P at R=.5 is 1/3, at R=1 is 2/4
        assertEquals(0.5 / 3 + 0.5 * 0.5, Metrics.auprc(new double[] {4, 3, 2, 1}, new int[] {0, 0, 1, 1}), EPS);
    }

    @Test
    void givenRandomScoresWithTies_whenAuroc_thenMatchesPairCountAndRankSum() {
        Random r = new Random(3);
        for (int trial = 0; trial < 20; trial++) {
            int n = 50 + r.nextInt(200);
            double[] s = new double[n];
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                s[i] = Math.round(r.nextGaussian() * 3) / 3.0; // many ties
                y[i] = r.nextDouble() < 0.3 ? 1 : 0;
            }
            y[0] = 1;
            y[1] = 0;
            double pairs = 0;
            long count = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (y[i] == 1 && y[j] == 0) {
                        pairs += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                        count++;
                    }
                }
            }
            assertEquals(pairs / count, Metrics.auroc(s, y), 1e-12);
            assertEquals(Ranks.auroc(s, y), Metrics.auroc(s, y), 1e-12);
        }
    }

    @Test
    void givenShuffledInput_whenMetrics_thenSameValues() {
        Random r = new Random(5);
        int n = 300;
        double[] s = new double[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = r.nextInt(20);
            y[i] = r.nextDouble() < 0.2 + s[i] / 40 ? 1 : 0;
        }
        double auroc = Metrics.auroc(s, y);
        double ap = Metrics.auprc(s, y);
        BestF1 f1 = Metrics.bestF1(s, y);
        double p10 = Metrics.precisionAtK(s, y, 10);
        for (int t = 0; t < 5; t++) {
            for (int i = n - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                double ts = s[i];
                s[i] = s[j];
                s[j] = ts;
                int ty = y[i];
                y[i] = y[j];
                y[j] = ty;
            }
            assertEquals(auroc, Metrics.auroc(s, y), EPS);
            assertEquals(ap, Metrics.auprc(s, y), EPS);
            assertEquals(f1, Metrics.bestF1(s, y));
            assertEquals(p10, Metrics.precisionAtK(s, y, 10), EPS);
        }
    }

    @Test
    void givenThresholdEqualToAScore_whenConfusion_thenThatRowIsFlagged() {
        Confusion c = Metrics.confusion(S, Y, 0.35);
        assertEquals(new Confusion(2, 1, 1, 0), c);
        assertEquals(2 / 3.0, c.precision(), EPS);
        assertEquals(1.0, c.recall(), EPS);
        assertEquals(0.8, c.f1(), EPS);
        assertEquals(0.5, c.falsePositiveRate(), EPS);
        assertEquals(0.75, c.accuracy(), EPS);
        assertEquals(new Confusion(1, 1, 1, 1), Metrics.confusion(S, Y, 0.36));
        assertEquals(new Confusion(1, 0, 2, 1), Metrics.confusion(S, Y, 0.41));
    }

    @Test
    void givenNothingFlagged_whenRates_thenZeroNotNaN() {
        Confusion c = Metrics.confusion(S, Y, 1.0);
        assertEquals(new Confusion(0, 0, 2, 2), c);
        assertEquals(0.0, c.precision());
        assertEquals(0.0, c.recall());
        assertEquals(0.0, c.f1());
        assertEquals(new Confusion(2, 2, 0, 0), Metrics.confusion(S, Y, Double.NEGATIVE_INFINITY));
    }

    @Test
    void givenPredictions_whenConfusion_thenCountsEachCell() {
        assertEquals(new Confusion(1, 2, 3, 4), Metrics.confusion(
                new int[] {1, 1, 1, 0, 0, 0, 0, 0, 0, 0},
                new int[] {1, 0, 0, 0, 0, 0, 1, 1, 1, 1}));
    }

    @Test
    void givenExample_whenBestF1_thenHandComputedThresholdAndCounts() {
        // thresholds: .8 -> 2/3; .4 -> .5; .35 -> .8; .1 -> 2/3
        BestF1 b = Metrics.bestF1(S, Y);
        assertEquals(0.8, b.f1(), EPS);
        assertEquals(0.35, b.threshold());
        assertEquals(new Confusion(2, 1, 1, 0), b.confusion());
        assertEquals(b.f1(), Metrics.confusion(S, Y, b.threshold()).f1(), EPS);
    }

    @Test
    void givenEqualF1AtTwoThresholds_whenBestF1_thenHighestThreshold() {
        // threshold 4: tp 1, fn 1 -> 2/3; threshold 1: tp 2, fp 2 -> 2/3
        BestF1 b = Metrics.bestF1(new double[] {4, 3, 2, 1}, new int[] {1, 0, 0, 1});
        assertEquals(2 / 3.0, b.f1(), EPS);
        assertEquals(4.0, b.threshold());
    }

    @Test
    void givenTiesAtTheCut_whenPrecisionAtK_thenExpectedOverTieOrders() {
        double[] s = {0.9, 0.8, 0.8, 0.8, 0.1};
        int[] y = {1, 1, 0, 0, 1};
        assertEquals(1.0, Metrics.precisionAtK(s, y, 1), EPS);
        assertEquals((1 + 1 / 3.0) / 2, Metrics.precisionAtK(s, y, 2), EPS);
        assertEquals((1 + 2 / 3.0) / 3, Metrics.precisionAtK(s, y, 3), EPS);
        assertEquals(2 / 4.0, Metrics.precisionAtK(s, y, 4), EPS);
        assertEquals(3 / 5.0, Metrics.precisionAtK(s, y, 5), EPS);
    }

    @Test
    void givenLabelledScores_whenEvaluate_thenAllFieldsConsistent() {
        Evaluation e = Metrics.evaluate(S, Y, 0.35);
        assertEquals(4, e.n());
        assertEquals(2, e.anomalies());
        assertEquals(0.75, e.auroc(), EPS);
        assertEquals(0.8, e.f1(), EPS);
        assertEquals(0.8, e.bestF1(), EPS);
        assertEquals(0.35, e.bestF1Threshold());
        Map<String, Object> m = e.toMap();
        for (String k : new String[] {"auroc", "auprc", "precision", "recall", "f1", "threshold", "n", "anomalies"}) {
            assertTrue(m.containsKey(k), k);
        }
    }

    @Test
    void givenInvalidInput_whenMetrics_thenClearIllegalArgument() {
        assertMessage(() -> Metrics.auroc(new double[] {1, 2}, new int[] {1}), "1 labels for 2 scores");
        assertMessage(() -> Metrics.auroc(new double[0], new int[0]), "empty");
        assertMessage(() -> Metrics.auroc(new double[] {1, Double.NaN}, new int[] {1, 0}), "NaN at index 1");
        assertMessage(() -> Metrics.auroc(new double[] {1, 2}, new int[] {1, 2}), "got 2 at index 1");
        assertMessage(() -> Metrics.auroc(new double[] {1, 2}, new int[] {1, 1}), "0 normal rows");
        assertMessage(() -> Metrics.auprc(new double[] {1, 2}, new int[] {0, 0}), "at least one anomaly");
        assertMessage(() -> Metrics.bestF1(new double[] {1, 2}, new int[] {0, 0}), "at least one anomaly");
        assertMessage(() -> Metrics.precisionAtK(new double[] {1, 2}, new int[] {0, 1}, 3), "k must be in [1, 2]");
        assertMessage(() -> Metrics.confusion(S, Y, Double.NaN), "NaN");
        assertMessage(() -> Metrics.evaluate(new double[] {1, 2}, new int[] {0, 0}, 1), "0 anomalies");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable e, String part) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(part), () -> "message '" + ex.getMessage() + "' lacks '" + part + "'");
    }
}
