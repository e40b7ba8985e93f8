package io.github.ae4j.variational;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.AnomalyScorer;
import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.testing.Ranks;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

/**
 * One-class anomaly detection on MNIST (one digit is normal, the nine others are anomalies), the
 * protocol of An &amp; Cho 2015: the reconstruction probability is reported next to the plain
 * reconstruction error, the negative ELBO and the latent KL.
 */
class MnistOneClassTest {

    /** AUROCs of the four scores for one normal digit. */
    record Result(int digit, double reconstructionProbability, double reconstructionError, double negativeElbo,
                  double latentKl) {
        @Override
        public String toString() {
            return String.format("digit %d: reconstruction probability %.3f, reconstruction error %.3f,"
                    + " negative ELBO %.3f, latent KL %.3f", digit, reconstructionProbability, reconstructionError,
                    negativeElbo, latentKl);
        }
    }

    static Result oneClass(Mnist data, int digit) {
        INDArray normal = Mnist.where(data.trainX, data.trainY, digit);
        Autoencoder m = Autoencoder.fit(VariationalAutoencoder.builder(784).hidden(256).latent(8).build(), normal,
                TrainingConfig.defaults().withEpochs(30).withBatchSize(64).withUpdater(new Adam(2e-3))
                        .withNormalization(Normalization.SCALE).withValidationFraction(0).withPatience(0));
        int[] anomaly = Arrays.stream(data.testY).map(y -> y == digit ? 0 : 1).toArray();
        return new Result(digit,
                auroc(VariationalScorers.reconstructionProbability(16, 0L), m, data.testX, anomaly),
                auroc(AnomalyScorer.reconstructionError(), m, data.testX, anomaly),
                auroc(VariationalScorers.negativeElbo(16, 0L), m, data.testX, anomaly),
                auroc(VariationalScorers.latentKl(), m, data.testX, anomaly));
    }

    private static double auroc(AnomalyScorer s, Autoencoder m, INDArray x, int[] labels) {
        return Ranks.auroc(s.score(m, x), labels);
    }

    @Test
    void givenOneNormalDigit_whenScoringTheTestSet_thenReconstructionProbabilityAndErrorBothDetectOtherDigits() {
        Result r = oneClass(Mnist.load(), 4);
        System.out.println("MNIST one-class AUROC, " + r);
        assertTrue(r.reconstructionProbability() > 0.75, r.toString());
        assertTrue(r.reconstructionError() > 0.75, r.toString());
        assertTrue(r.negativeElbo() > 0.75, r.toString());
    }

    @Test
    @Tag("slow")
    void givenEachDigitAsNormal_whenScoringTheTestSet_thenEveryScoreBeatsRandom() {
        Mnist data = Mnist.load();
        double[] rp = new double[10];
        double[] re = new double[10];
        double[] ne = new double[10];
        double[] kl = new double[10];
        for (int d = 0; d < 10; d++) {
            Result r = oneClass(data, d);
            System.out.println("MNIST one-class AUROC, " + r);
            rp[d] = r.reconstructionProbability();
            re[d] = r.reconstructionError();
            ne[d] = r.negativeElbo();
            kl[d] = r.latentKl();
        }
        System.out.printf("MNIST one-class AUROC, mean over digits: reconstruction probability %.3f,"
                        + " reconstruction error %.3f, negative ELBO %.3f, latent KL %.3f%n",
                mean(rp), mean(re), mean(ne), mean(kl));
        assertTrue(Arrays.stream(rp).allMatch(a -> a > 0.6), Arrays.toString(rp));
        assertTrue(Arrays.stream(re).allMatch(a -> a > 0.6), Arrays.toString(re));
        assertTrue(mean(rp) > 0.8 && mean(re) > 0.8, mean(rp) + " " + mean(re));
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElseThrow();
    }
}
