package io.github.ae4j.anomaly;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.AnomalyScorer;
import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.TrainingConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Out-of-fold scores put on the ensemble's spread ({@code AnomalyDetector.toEnsembleSpread}). */
class EnsembleSpreadTest {

    /** A scorer that returns fixed scores whatever the rows (the model is not used). */
    private record Fixed(double[] s) implements AnomalyScorer {
        @Override
        public double[] score(Autoencoder model, INDArray x) {
            return s.clone();
        }

        @Override
        public String id() {
            return "fixed";
        }
    }

    @Test
    void givenMembersThatDisagree_whenOutOfFoldScoresAreMapped_thenSpreadShrinksByTheEnsemblesRatioAndMeanStays() {
        int n = 400;
        Random r = new Random(7);
        double[] z = new double[n];
        double[] a = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            z[i] = r.nextGaussian();
            a[i] = 5 + z[i] + r.nextGaussian();
            b[i] = 5 + z[i] + r.nextGaussian();
        }
        double[] oof = new double[n];
        for (int i = 0; i < n; i++) {
            oof[i] = 6 + 2 * r.nextGaussian();
        }
        INDArray x = Nd4j.rand(n, 4);
        Autoencoder model = Autoencoder.fit(TestSpecs.dense(4, 2, 3), Nd4j.rand(40, 4),
                TrainingConfig.defaults().withEpochs(1));
        List<DetectorTraining.Member> two = List.of(new DetectorTraining.Member(model, new Fixed(a)),
                new DetectorTraining.Member(model, new Fixed(b)));
        double[] mapped = AnomalyDetector.toEnsembleSpread(oof, two, x);

        double[] mean = new double[n];
        for (int i = 0; i < n; i++) {
            mean[i] = (a[i] + b[i]) / 2;
        }
        double c = sd(mean) / ((sd(a) + sd(b)) / 2);
        assertTrue(c > 0.75 && c < 0.95, "members that share half their variance: ratio " + c);
        double mu = Arrays.stream(oof).average().orElseThrow();
        assertEquals(mu, Arrays.stream(mapped).average().orElseThrow(), 1e-9);
        for (int i = 0; i < n; i++) {
            assertEquals(mu + c * (oof[i] - mu), mapped[i], 1e-9);
        }

        List<DetectorTraining.Member> same = List.of(new DetectorTraining.Member(model, new Fixed(a)),
                new DetectorTraining.Member(model, new Fixed(a)));
        assertArrayEquals(oof, AnomalyDetector.toEnsembleSpread(oof, same, x), 1e-9);
    }

    private static double sd(double[] v) {
        double m = Arrays.stream(v).average().orElseThrow();
        return Math.sqrt(Arrays.stream(v).map(d -> (d - m) * (d - m)).sum() / (v.length - 1));
    }
}
