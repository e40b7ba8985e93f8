package io.github.ae4j.anomaly;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.anomaly.metrics.Metrics;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.testing.Synthetic;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Training on data that already contains 5% anomalies: trimmed loss and refitting both beat plain
 * training by a margin (half the gap to a perfect AUROC), measured in the same test on the same data.
 */
class RobustTrainingTest {

    private static final Logger LOG = LoggerFactory.getLogger(RobustTrainingTest.class);

    private static final DetectorConfig PLAIN = DetectorConfig.legacy()
            .withTraining(TrainingConfig.defaults().withEpochs(20));

    private static double[][] train;
    private static INDArray test;
    private static int[] labels;
    private static double plainAuroc;

    /**
     * Manifold rows where a fraction are anomalies sharing one pattern (+4, -4, +4 on features 3, 11,
     * 17): a recurring fault that an autoencoder with spare capacity learns to reconstruct when it
     * trains on it.
     */
    private static Synthetic.Labelled contaminated(int rows, double fraction, long seed) {
        double[][] x = Synthetic.manifold(rows, 20, 3, 0.05, seed);
        Random r = new Random(seed + 99);
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            if (r.nextDouble() < fraction) {
                y[i] = 1;
                x[i][3] += 4;
                x[i][11] -= 4;
                x[i][17] += 4;
            }
        }
        return new Synthetic.Labelled(x, y);
    }

    private static double auroc(DetectorConfig config) {
        // latent 5 for a 3-factor manifold: spare capacity to learn the anomalies if trained on them
        AnomalyDetector d = AnomalyDetector.fit(TestSpecs.dense(20, 5, 32), TestSpecs.matrix(train), config);
        return Metrics.auroc(d.score(test), labels);
    }

    @BeforeAll
    static void trainWithoutProtection() {
        Synthetic.Labelled all = contaminated(4500, 0.05, 12);
        train = Arrays.copyOf(all.x(), 2500);
        test = TestSpecs.matrix(Arrays.copyOfRange(all.x(), 2500, 4500));
        labels = Arrays.copyOfRange(all.y(), 2500, 4500);
        plainAuroc = auroc(PLAIN);
        LOG.info("{} of 2500 training rows are anomalies; AUROC of plain training {}",
                Arrays.stream(Arrays.copyOf(all.y(), 2500)).sum(), plainAuroc);
    }

    /**
     * The floor a protected training must reach: it closes at least half of plain training's gap to a
     * perfect AUROC (measured 2026-12-05: plain 0.825, trimmed 0.994, refit 0.978; floor 0.913), so a
     * tie or a noise-sized gain fails.
     */
    private static double required() {
        return plainAuroc + 0.5 * (1 - plainAuroc);
    }

    @Test
    void givenFivePercentAnomaliesInTrainingData_whenTrimmedLoss_thenAurocAbovePlainTraining() {
        double trimmed = auroc(PLAIN.withTrimFraction(0.1));
        LOG.info("AUROC trimmed (q = 0.1) {} vs plain {}", trimmed, plainAuroc);
        assertTrue(trimmed >= required(), "trimmed " + trimmed + " vs plain " + plainAuroc + ": needs " + required());
    }

    @Test
    void givenFivePercentAnomaliesInTrainingData_whenRefitAfterDroppingFlaggedRows_thenAurocAbovePlainTraining() {
        double refit = auroc(PLAIN.withRefit(2, 0.9));
        LOG.info("AUROC after 2 refits dropping the top 10% of training scores {} vs plain {}", refit, plainAuroc);
        assertTrue(refit >= required(), "refit " + refit + " vs plain " + plainAuroc + ": needs " + required());
    }
}
