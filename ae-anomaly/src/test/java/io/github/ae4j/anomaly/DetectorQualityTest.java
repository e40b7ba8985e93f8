package io.github.ae4j.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.anomaly.metrics.Metrics;
import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.testing.Pca;
import io.github.ae4j.core.testing.Synthetic;
import io.github.ae4j.core.testing.TestData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The quality floors of the issue, each against a baseline computed in the same test. */
class DetectorQualityTest {

    private static final Logger LOG = LoggerFactory.getLogger(DetectorQualityTest.class);

    private static double[][] rows(double[][] x, int[] y, int label, int from, int to) {
        List<double[]> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            if (label < 0 || y[i] == label) {
                out.add(x[i]);
            }
        }
        return out.toArray(new double[0][]);
    }

    /** AUROC of the PCA baseline with k components, fitted and scored in the model's normalised space. */
    private static double pcaAuroc(AnomalyDetector d, double[][] train, INDArray test, int[] labels, int k) {
        Pca pca = Pca.fit(d.model().normalize(TestSpecs.matrix(train)), k);
        return Metrics.auroc(pca.rowErrors(d.model().normalize(test)), labels);
    }

    @Test
    void givenPlantedAnomalies_whenDetectorScores_thenAurocBeatsPcaWithAsManyComponents() {
        Synthetic.Labelled all = Synthetic.planted(5000, 20, 0.05, 3, null, 7);
        double[][] normal = rows(all.x(), all.y(), 0, 0, 3000);
        INDArray test = TestSpecs.matrix(rows(all.x(), all.y(), -1, 3000, 5000));
        int[] labels = Arrays.copyOfRange(all.y(), 3000, 5000);
        int latent = 3;
        AnomalyDetector d = AnomalyDetector.fit(TestSpecs.dense(20, latent, 32), TestSpecs.matrix(normal),
                DetectorConfig.legacy().withTraining(TrainingConfig.defaults().withEpochs(40)));
        double ae = Metrics.auroc(d.score(test), labels);
        double pca = pcaAuroc(d, normal, test, labels, latent);
        LOG.info("planted (20 features, {} anomalies of 2000): detector AUROC {}, PCA-{} AUROC {}",
                Arrays.stream(labels).sum(), ae, latent, pca);
        assertTrue(ae > pca, "detector AUROC " + ae + " vs PCA " + pca);
    }

    @Test
    void givenDigitFourAsAnomaly_whenDetectorTrainedOnOtherDigits_thenAurocBeatsPcaWithAsManyComponents() {
        TestData.Digits all = TestData.digits();
        TestData.Digits others = all.where(false, 4);
        TestData.Digits fours = all.where(true, 4);
        int nTrain = (int) (others.size() * 0.7);
        double[][] train = others.slice(0, nTrain).x();
        double[][] heldOut = others.slice(nTrain, others.size()).x();
        double[][] t = new double[heldOut.length + fours.size()][];
        int[] labels = new int[t.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = i < heldOut.length ? heldOut[i] : fours.x()[i - heldOut.length];
            labels[i] = i < heldOut.length ? 0 : 1;
        }
        INDArray test = TestSpecs.matrix(t);
        int latent = 4;
        AnomalyDetector d = AnomalyDetector.fit(TestSpecs.dense(64, latent, 64), TestSpecs.matrix(train),
                DetectorConfig.legacy().withTraining(TrainingConfig.defaults().withEpochs(60).withBatchSize(32)
                        .withPatience(10).withNormalization(Normalization.SCALE)));
        double ae = Metrics.auroc(d.score(test), labels);
        double pca = pcaAuroc(d, train, test, labels, latent);
        LOG.info("UCI digits, 4 = anomaly ({} normal, {} anomalies in test): detector AUROC {}, PCA-{} AUROC {}",
                heldOut.length, fours.size(), ae, latent, pca);
        assertTrue(ae > pca, "detector AUROC " + ae + " vs PCA " + pca);
    }

    @Test
    void givenAnomaliesPlantedInTwoKnownFeatures_whenExplained_thenTheyRankTopTwoForNinetyPercent() {
        Synthetic.Labelled all = Synthetic.planted(4000, 20, 0.1, 3, new int[] {3, 11}, 5);
        double[][] normal = rows(all.x(), all.y(), 0, 0, 2500);
        double[][] anomalies = rows(all.x(), all.y(), 1, 2500, 4000);
        AnomalyDetector d = AnomalyDetector.fit(TestSpecs.dense(20, 3, 32), TestSpecs.matrix(normal),
                DetectorConfig.legacy().withTraining(TrainingConfig.defaults().withEpochs(30)));
        Explanation[] ex = d.explain(TestSpecs.matrix(anomalies), 2);
        long hits = Arrays.stream(ex)
                .filter(e -> Arrays.stream(e.featureIndices()).boxed().collect(Collectors.toSet()).equals(Set.of(3, 11)))
                .count();
        double rate = hits / (double) ex.length;
        // baseline: two features drawn at random are the planted pair with probability 1 / C(20, 2)
        LOG.info("explanations: planted features {3, 11} are the top 2 for {} of {} anomalies ({}); chance 1/190",
                hits, ex.length, rate);
        assertTrue(rate >= 0.9, "top-2 rate " + rate);
        assertEquals("f3", Arrays.stream(ex).filter(e -> e.featureIndices()[0] == 3).findFirst()
                .orElseThrow().features().get(0).name());
    }

    @Test
    void givenPercentile99OnHeldOutNormals_whenScoringFreshNormals_thenFalsePositiveRateNearOnePercent() {
        double[][] x = Synthetic.manifold(16_000, 20, 3, 0.05, 3); // one distribution: the first 6,000 to fit
        AnomalyDetector d = AnomalyDetector.fit(TestSpecs.dense(20, 3, 32),
                TestSpecs.matrix(Arrays.copyOfRange(x, 0, 6000)),
                DetectorConfig.legacy().withCalibrationFraction(0.35)
                        .withTraining(TrainingConfig.defaults().withEpochs(15)));
        assertTrue(d.calibrationScores().length >= 2000, "calibration rows " + d.calibrationScores().length);
        INDArray fresh = TestSpecs.matrix(Arrays.copyOfRange(x, 6000, 16_000));
        int[] flags = d.predict(fresh);
        double fpr = IntStream.of(flags).sum() / (double) flags.length;
        double[] p = d.pValues(fresh);
        double pFlagged = Arrays.stream(p).filter(v -> v <= 0.01).count() / (double) p.length;
        LOG.info("percentile:99 on {} held-out normals: false-positive rate {} on {} fresh normal rows"
                + " (p <= 0.01: {})", d.calibrationScores().length, fpr, flags.length, pFlagged);
        assertTrue(fpr >= 0.005 && fpr <= 0.016, "false-positive rate " + fpr);
        assertEquals(fpr, pFlagged, 1e-12, "flagging p <= 1% is the percentile:99 threshold");
    }
}
