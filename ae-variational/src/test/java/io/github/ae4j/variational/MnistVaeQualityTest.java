package io.github.ae4j.variational;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.TrainingListener;
import io.github.ae4j.core.ModelFile;
import java.nio.file.Path;
import java.util.Arrays;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The quality floor on real data: a VAE trained on 6,000 MNIST digits generates digits,
 * judged by a classifier trained on real digits; the mean-image baseline fails the same bar; the
 * held-out ELBO improves over training; a saved model generates the same samples.
 */
class MnistVaeQualityTest {

    static final int LATENT = 8;
    static final double BETA = 2.0;
    static final int EPOCHS = 40;

    /** The model of this test: dense 784-512-256-[8]-256-512-784, Bernoulli, beta 2. */
    static VariationalAutoencoder spec() {
        return VariationalAutoencoder.builder(784).hidden(512, 256).latent(LATENT).beta(BETA).build();
    }

    static TrainingConfig config(int epochs) {
        return TrainingConfig.defaults().withEpochs(epochs).withBatchSize(128).withUpdater(new Adam(2e-3))
                .withNormalization(Normalization.SCALE).withValidationFraction(0).withPatience(0).withSeed(42);
    }

    @Test
    void givenMnist_whenVaeTrained_thenPriorSamplesAreDigitsTheMeanImageIsNotAndTheElboImproves(
            @TempDir Path dir) throws Exception {
        Mnist data = Mnist.load();
        INDArray train01 = data.trainX.div(255);
        INDArray test01 = data.testX.div(255);

        // the judge: a small classifier trained on real digits
        long t0 = System.nanoTime();
        DigitClassifier judge = DigitClassifier.train(train01, data.trainY, 8, 3e-3, 256, true, 7);
        double accuracy = judge.accuracy(test01, data.testY);
        double realConfident = judge.judge(test01, 0.9).confidentFraction();
        double classifierSecs = (System.nanoTime() - t0) / 1e9;
        assertTrue(accuracy >= 0.95, "classifier held-out accuracy " + accuracy);

        // the VAE, with snapshots of its graph before training and after the first epoch
        ComputationGraph[] snapshots = new ComputationGraph[2];
        TrainingListener snap = new TrainingListener() {
            @Override
            public void onEpochStart(int epoch, ComputationGraph graph) {
                if (epoch <= 2) {
                    snapshots[epoch - 1] = graph.clone();
                }
            }
        };
        t0 = System.nanoTime();
        Autoencoder model = Autoencoder.fit(spec(), data.trainX, config(EPOCHS), snap);
        double vaeSecs = (System.nanoTime() - t0) / 1e9;
        Vae vae = Vae.of(model);

        // prior samples, judged
        INDArray samples = vae.sample(1000, 2024L);
        DigitClassifier.Verdict v = judge.judge(samples.div(255), 0.9);

        // the baseline: the mean training digit plus per-pixel Gaussian noise of the training spread
        Nd4j.getRandom().setSeed(99);
        INDArray noise = Nd4j.randn(DataType.FLOAT, 1000, 784).muliRowVector(train01.std(0));
        INDArray baseline = Transforms.min(Transforms.max(noise.addiRowVector(train01.mean(0)), 0.0, false), 1.0, false);
        DigitClassifier.Verdict b = judge.judge(baseline, 0.9);

        // held-out ELBO: before training, after one epoch, after training
        double before = heldOutNegativeElbo(snapshots[0], model, data.testX);
        double afterOne = heldOutNegativeElbo(snapshots[1], model, data.testX);
        double after = vae.meanNegativeElbo(data.testX, 16, 1L);

        System.out.printf("MNIST VAE (latent %d, beta %.1f, %d epochs, %.0f s; classifier %.0f s, accuracy %.3f, %.1f%% of real"
                        + " test digits at p>=0.9): prior samples %.1f%% at p>=0.9 covering %d classes %s;"
                        + " mean-image baseline %.1f%% covering %d classes %s; held-out -ELBO %.1f -> %.1f (1 epoch)"
                        + " -> %.1f nats%n",
                LATENT, BETA, EPOCHS, vaeSecs, classifierSecs, accuracy, 100 * realConfident, 100 * v.confidentFraction(),
                v.classesCovered(), Arrays.toString(v.counts()), 100 * b.confidentFraction(), b.classesCovered(),
                Arrays.toString(b.counts()), before, afterOne, after);

        assertTrue(v.confidentFraction() >= 0.70, "confidently classified samples: " + v.confidentFraction());
        assertTrue(v.classesCovered() >= 8, "classes covered by samples: " + v.classesCovered());
        assertFalse(b.confidentFraction() >= 0.70 && b.classesCovered() >= 8,
                "the mean-image baseline must fail the bar: " + b.confidentFraction() + ", " + b.classesCovered());
        assertTrue(after < afterOne && afterOne < before, "held-out -ELBO " + before + " -> " + afterOne + " -> " + after);

        // a saved VAE generates the same samples for the same seed
        Path file = dir.resolve("mnist-vae.ae4j");
        model.save(file);
        Vae loaded = Vae.of(ModelFile.read(file).model());
        assertArrayEquals(samples.toFloatMatrix(), loaded.sample(1000, 2024L).toFloatMatrix());
    }

    /** Monte-Carlo -ELBO of held-out rows under a snapshot of the graph taken during training. */
    private static double heldOutNegativeElbo(ComputationGraph snapshot, Autoencoder trained, INDArray x) {
        Autoencoder m = Autoencoder.restore(snapshot, trained.normalizer(), trained.info(), null);
        return Vae.of(m).meanNegativeElbo(x, 16, 1L);
    }
}
