package io.github.ae4j.variational;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.conv.ConvAutoencoder;
import io.github.ae4j.core.Autoencoder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The convolutional VAE against the dense VAE of {@link MnistVaeQualityTest} on the bundled 6,000 MNIST digits, same
 * latent size, beta, optimiser, epochs and data: the conv VAE has fewer parameters and a lower held-out negative ELBO,
 * and its prior samples are digits (the share the classifier labels confidently is printed beside the dense VAE's). Slow (two MNIST VAEs):
 * {@code mvn -pl ae-variational -am test -Dsurefire.excludedGroups= -Dsurefire.groups=slow -Dtest=MnistConvVaeQualityTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("slow")
class MnistConvVaeQualityTest {

    static final int EPOCHS = Integer.getInteger("ae4j.convVae.epochs", 20);

    static VariationalAutoencoder convSpec() {
        return VariationalAutoencoder.builder(ConvAutoencoder.builder(28, 28, 1).filters(32, 64)
                .denseBottleneck(MnistVaeQualityTest.LATENT).build()).beta(MnistVaeQualityTest.BETA).build();
    }

    @Test
    void givenMnist_whenConvAndDenseVaeTrainedAlike_thenConvHasFewerParametersBetterElboAndSamples() {
        Mnist data = Mnist.load();
        INDArray train01 = data.trainX.div(255);
        INDArray test01 = data.testX.div(255);
        DigitClassifier judge = DigitClassifier.train(train01, data.trainY, 8, 3e-3, 256, true, 7);

        long t0 = System.nanoTime();
        Autoencoder dense = Autoencoder.fit(MnistVaeQualityTest.spec(), data.trainX, MnistVaeQualityTest.config(EPOCHS));
        double denseSecs = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        Autoencoder conv = Autoencoder.fit(convSpec(), data.trainX, MnistVaeQualityTest.config(EPOCHS));
        double convSecs = (System.nanoTime() - t0) / 1e9;

        long denseParams = dense.graph().numParams();
        long convParams = conv.graph().numParams();
        double denseElbo = Vae.of(dense).meanNegativeElbo(data.testX, 16, 1L);
        double convElbo = Vae.of(conv).meanNegativeElbo(data.testX, 16, 1L);
        DigitClassifier.Verdict dv = judge.judge(Vae.of(dense).sample(1000, 2024L).div(255), 0.9);
        DigitClassifier.Verdict cv = judge.judge(Vae.of(conv).sample(1000, 2024L).div(255), 0.9);
        System.out.printf("MNIST VAEs, latent %d, beta %.1f, %d epochs on 6,000 digits, held-out -ELBO on 1,000 test"
                        + " digits (16 samples), prior samples judged at p>=0.9:%n"
                        + "| model | parameters | train s | held-out -ELBO (nats) | confident samples | classes |%n"
                        + "| dense 784-512-256-[8] | %,d | %.0f | %.1f | %.1f%% | %d |%n"
                        + "| conv 32,64 [8] | %,d | %.0f | %.1f | %.1f%% | %d |%n",
                MnistVaeQualityTest.LATENT, MnistVaeQualityTest.BETA, EPOCHS, denseParams, denseSecs, denseElbo,
                100 * dv.confidentFraction(), dv.classesCovered(), convParams, convSecs, convElbo,
                100 * cv.confidentFraction(), cv.classesCovered());
        assertTrue(convParams <= denseParams, "parameters " + convParams + " vs " + denseParams);
        assertTrue(convElbo < denseElbo, "held-out -ELBO conv " + convElbo + " vs dense " + denseElbo);
        // The share of confidently judged prior samples is printed, not asserted: measured 72.7% (conv) vs 73.9%
        // (dense) on 2026-12-06, so "the conv VAE's samples are judged better" does not hold yet (issue 16).
        assertTrue(cv.confidentFraction() >= 0.5 && cv.classesCovered() >= 8,
                "conv VAE samples are digits: " + cv.confidentFraction() + ", " + cv.classesCovered() + " classes");
    }
}
