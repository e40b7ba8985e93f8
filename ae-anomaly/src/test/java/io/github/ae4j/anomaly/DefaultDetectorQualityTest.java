package io.github.ae4j.anomaly;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.anomaly.metrics.Metrics;
import io.github.ae4j.core.AnomalyScorer;
import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.testing.Pca;
import io.github.ae4j.core.testing.TestData;
import io.github.ae4j.dense.DenseAutoencoder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default detector (standardised score, ensemble of 3, cross-fitted calibration, data-sized
 * model) on a real table shipped in the project ({@code data/vehicle.csv.gz}: UCI Statlog Vehicle,
 * 40 vans as anomalies), one-class protocol: train on half of the normal rows, test on the rest plus
 * all anomalies. Every floor is a baseline computed here on the same split.
 */
class DefaultDetectorQualityTest {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultDetectorQualityTest.class);

    private static INDArray train;
    private static INDArray test;
    private static int[] labels;
    private static AnomalyDetector detector;

    @BeforeAll
    static void fit() throws IOException {
        List<double[]> rows = new ArrayList<>();
        List<Integer> ys = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(TestData.resource("vehicle.csv.gz"))) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n");
            for (int i = 1; i < lines.length; i++) {
                if (lines[i].isBlank()) {
                    continue;
                }
                String[] c = lines[i].trim().split(",");
                double[] r = new double[c.length - 1];
                for (int j = 0; j < r.length; j++) {
                    r[j] = Double.parseDouble(c[j]);
                }
                rows.add(r);
                ys.add(Integer.parseInt(c[c.length - 1]));
            }
        }
        List<Integer> normal = new ArrayList<>();
        List<Integer> anomalous = new ArrayList<>();
        for (int i = 0; i < ys.size(); i++) {
            (ys.get(i) == 0 ? normal : anomalous).add(i);
        }
        Collections.shuffle(normal, new Random(1));
        int half = normal.size() / 2;
        List<Integer> te = new ArrayList<>(normal.subList(half, normal.size()));
        te.addAll(anomalous);
        train = matrix(rows, normal.subList(0, half));
        test = matrix(rows, te);
        labels = te.stream().mapToInt(ys::get).toArray();
        TrainingConfig tc = TrainingConfig.defaults().withEpochs(100).withUpdater(new Adam(3e-3)).withPatience(8)
                .withBatchSize(DenseAutoencoder.defaultBatchSize(half)).withNormalization(Normalization.STANDARD)
                .withSeed(3);
        detector = AnomalyDetector.fit(DenseAutoencoder.forAnomalyDetection(train).build(), train,
                DetectorConfig.defaults().withTraining(tc));
    }

    private static INDArray matrix(List<double[]> rows, List<Integer> idx) {
        double[][] x = new double[idx.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = rows.get(idx.get(i));
        }
        return Nd4j.createFromArray(x);
    }

    @Test
    void givenVehicle_whenDefaultDetectorScores_thenAurocBeatsPcaAndRandomAndEnsembleBeatsItsAverageMember() {
        double ae = Metrics.auroc(detector.score(test), labels);
        INDArray a = detector.model().normalize(train);
        INDArray b = detector.model().normalize(test);
        int k = DenseAutoencoder.varianceDimension(train, 0.90);
        double pca = Metrics.auroc(Pca.fit(a, k).rowErrors(b), labels);
        double[] random = new Random(5).doubles(labels.length).toArray();
        double rnd = Metrics.auroc(random, labels);
        // the ensemble against its own members, each scored alone on the same split: the mean of the
        // members' scores must do at least as well as the average member (one member alone can beat it on
        // one split: with the 99%-variance code, member 0 scored 0.890 and the ensemble 0.878 on this split,
        // while over 30 benchmark splits the ensemble is ahead of one member, 0.821 vs 0.818)
        double[] memberAuroc = new double[detector.members().size()];
        for (int m = 0; m < memberAuroc.length; m++) {
            AnomalyScorer sc = detector.memberScorers().get(m);
            memberAuroc[m] = Metrics.auroc(sc.score(detector.members().get(m), test), labels);
        }
        double meanMember = Arrays.stream(memberAuroc).average().orElseThrow();
        LOG.info("vehicle: default detector AUROC {}, its members alone {} (mean {}), PCA-{} {}, random {}", ae,
                Arrays.toString(memberAuroc), meanMember, k, pca, rnd);
        assertEquals(DetectorConfig.DEFAULT_ENSEMBLE, detector.members().size());
        assertTrue(ae >= pca, "detector AUROC " + ae + " vs PCA (90% variance) " + pca);
        assertTrue(ae > rnd + 0.2, "detector AUROC " + ae + " vs random " + rnd);
        assertTrue(ae >= meanMember - 0.005, "ensemble AUROC " + ae + " vs its members' mean AUROC " + meanMember
                + " " + Arrays.toString(memberAuroc));
    }

    @Test
    void givenCrossFittedThreshold_whenNewNormalsScored_thenFalseAlarmsNearOnePercentAndEveryRowCalibrated() {
        assertEquals(train.size(0), detector.calibrationScores().length, "one out-of-fold score per training row");
        assertTrue(detector.calibration().startsWith("cross-fitted"), detector.calibration());
        double[] s = detector.score(test);
        int fp = 0;
        int n = 0;
        for (int i = 0; i < s.length; i++) {
            if (labels[i] == 0) {
                n++;
                fp += detector.threshold().isAnomaly(s[i]) ? 1 : 0;
            }
        }
        double fpr = fp / (double) n;
        double[] cal = detector.calibrationScores().clone();
        Arrays.sort(cal);
        LOG.info("vehicle: percentile:99 threshold {} (largest calibration score {}), false alarms {} of {} normals",
                detector.threshold().value(), cal[cal.length - 1], fp, n);
        // 324 test normals: at a true rate of 1%, more than 4% false alarms has probability < 0.001
        assertTrue(fpr <= 0.04, "false-alarm rate " + fpr);
        assertTrue(detector.threshold().value() < cal[cal.length - 1],
                "with every row calibrated, the 99th percentile lies below the largest calibration score");
    }

    @Test
    void givenDefaultDetector_whenExplained_thenTermsAddUpToTheScoreAndLatentIsItsOwnShare() {
        INDArray x = test.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 50),
                org.nd4j.linalg.indexing.NDArrayIndex.all());
        double[] s = detector.score(x);
        double[][] t = detector.scoreTerms(x);
        double[][] c = detector.contributions(x);
        double[] lat = detector.latentShares(x);
        Explanation[] ex = detector.explain(x, 3);
        for (int i = 0; i < s.length; i++) {
            double sum = Arrays.stream(t[i]).sum();
            assertEquals(s[i], sum, 1e-6 * Math.max(1, s[i]), "terms of row " + i);
            double shares = Arrays.stream(c[i]).sum() + lat[i];
            assertEquals(1.0, shares, 1e-6, "feature shares + latent share of row " + i);
            assertTrue(lat[i] > 0 && lat[i] < 1, "latent share " + lat[i]);
            assertEquals(t[i][t[i].length - 1], ex[i].latent(), 1e-9);
            assertEquals(s[i], ex[i].score(), 0);
        }
    }

    @Test
    void givenDefaultDetector_whenSavedAndLoaded_thenSameScoresFlagsAndDescription(@TempDir Path dir)
            throws IOException {
        Path f = dir.resolve("d.ae4j");
        detector.save(f);
        AnomalyDetector back = AnomalyDetector.load(f);
        for (int m = 0; m < 3; m++) {
            assertArrayEquals(detector.members().get(m).reconstructionError(test).toDoubleVector(),
                    back.members().get(m).reconstructionError(test).toDoubleVector(), 1e-9, "member " + m + " errors");
            assertArrayEquals(detector.memberScorers().get(m).score(detector.members().get(m), test),
                    back.memberScorers().get(m).score(back.members().get(m), test), 1e-9, "member " + m + " scores");
        }
        assertArrayEquals(detector.score(test), back.score(test), 1e-9);
        assertArrayEquals(detector.predict(test), back.predict(test));
        assertEquals(detector.describe(), back.describe());
        assertEquals(3, back.members().size());
        assertTrue(Files.size(f) < 2_000_000, "file size " + Files.size(f));
    }
}
