package io.github.ae4j.variational;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.conv.ConvAutoencoder;
import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.TrainingListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The convolutional VAE against the dense VAE of {@link MnistVaeQualityTest} on the bundled 6,000 MNIST digits, same
 * latent size, beta, optimiser, epochs and data: the conv VAE (ae-conv's 32,64 encoder and decoder with a 256-unit
 * dense layer between the code and the conv decoder, the VAE's defaults otherwise) has fewer parameters and a lower
 * held-out negative ELBO than the dense VAE trained in the same run, and its prior samples are digits. The share of
 * prior samples the classifier labels confidently is printed beside the dense VAE's, not asserted larger: at 20
 * epochs 74.9% against 73.9% (seed 42) and 70.8% against 70.2% (seed 7), larger on both seeds but by less than one
 * judgement's standard error (~1.4 points); without the dense layer ({@code -Dae4j.convVae.decoderDense=0}) 72.7%
 * and 70.9%, a tie (issue 16; docs/notes/issue-16-session4.md). Besides prior samples
 * it judges the decoded posterior means of the test digits, which separates what the decoder can draw from where the
 * prior sends it (prior holes).
 *
 * <p>Slow (two MNIST VAEs per seed):
 * {@code mvn -pl ae-variational -am test -Dsurefire.excludedGroups= -Dsurefire.groups=slow
 * -Dtest=MnistConvVaeQualityTest -Dsurefire.failIfNoSpecifiedTests=false}; {@code -Dae4j.convVae.seeds=42,7,11}
 * trains both models once per training seed and asserts on the means (default: seed 42 only);
 * {@code -Dae4j.convVae.saveDir=DIR} keeps the trained models there ({@code dense-SEED.ae4j}, {@code conv-SEED.ae4j}).
 * Training progress goes to standard error.
 */
@Tag("slow")
class MnistConvVaeQualityTest {

    static final int EPOCHS = Integer.getInteger("ae4j.convVae.epochs", 20);
    static final String SAVE_DIR = System.getProperty("ae4j.convVae.saveDir");
    static final long[] SEEDS = Arrays.stream(System.getProperty("ae4j.convVae.seeds", "42").split(","))
            .map(String::trim).mapToLong(Long::parseLong).toArray();

    /** The conv VAE of this test: ae-conv's 32,64 encoder, a dense layer, its mirrored decoder; VAE defaults. */
    static VariationalAutoencoder convSpec() {
        VariationalAutoencoder.Builder b = VariationalAutoencoder.builder(ConvAutoencoder.builder(28, 28, 1)
                .filters(32, 64).denseBottleneck(MnistVaeQualityTest.LATENT).build()).beta(MnistVaeQualityTest.BETA);
        return DECODER_DENSE > 0 ? b.decoderDense(DECODER_DENSE).build() : b.build();
    }

    /** {@code -Dae4j.convVae.decoderDense=N}: N units between the code and the conv decoder (0: none). */
    static final int DECODER_DENSE = Integer.getInteger("ae4j.convVae.decoderDense", 256);
    /** {@code -Dae4j.convVae.only=conv}: train and judge the conv VAE only (the dense VAE's rows are known). */
    static final boolean CONV_ONLY = "conv".equals(System.getProperty("ae4j.convVae.only"));

    /** What one trained VAE measured. */
    record Measured(long params, double negativeElbo, double kl, DigitClassifier.Verdict prior,
                    DigitClassifier.Verdict reconstructions) {
    }

    private static Measured measure(Autoencoder m, String file, Mnist data, DigitClassifier judge, long sampleSeed) {
        if (SAVE_DIR != null) {
            try {
                java.nio.file.Files.createDirectories(Path.of(SAVE_DIR));
                m.save(Path.of(SAVE_DIR, file));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        Vae vae = Vae.of(m);
        return new Measured(m.graph().numParams(), vae.meanNegativeElbo(data.testX, 16, 1L),
                Arrays.stream(vae.latentKl(data.testX)).average().orElseThrow(),
                judge.judge(vae.sample(1000, sampleSeed).div(255), 0.9),
                judge.judge(vae.decode(vae.latentMean(data.testX)).div(255), 0.9));
    }

    private static String row(String model, long seed, Measured r) {
        return String.format("| %s | %d | %,d | %.1f | %.1f | %.1f%% | %d | %.1f%% |%n", model, seed, r.params(),
                r.negativeElbo(), r.kl(), 100 * r.prior().confidentFraction(), r.prior().classesCovered(),
                100 * r.reconstructions().confidentFraction());
    }

    @Test
    void givenMnist_whenConvAndDenseVaeTrainedAlike_thenConvHasFewerParametersBetterElboAndSamples() {
        Mnist data = Mnist.load();
        DigitClassifier judge = DigitClassifier.train(data.trainX.div(255), data.trainY, 8, 3e-3, 256, true, 7);
        List<Measured> dense = new ArrayList<>();
        List<Measured> conv = new ArrayList<>();
        StringBuilder table = new StringBuilder(String.format("MNIST VAEs, latent %d, beta %.1f, %d epochs on 6,000"
                        + " digits, held-out -ELBO on 1,000 test digits (16 samples), 1,000 prior samples and the"
                        + " decoded posterior means of the test digits judged at p>=0.9:%n"
                        + "| model | seed | parameters | held-out -ELBO (nats) | KL (nats) | confident prior samples"
                        + " | classes | confident reconstructions |%n", MnistVaeQualityTest.LATENT,
                MnistVaeQualityTest.BETA, EPOCHS));
        for (long seed : SEEDS) {
            long sampleSeed = 2024L + seed - 42;
            TrainingListener progress = TrainingListener.printing(System.err);
            if (!CONV_ONLY) {
                dense.add(measure(Autoencoder.fit(MnistVaeQualityTest.spec(), data.trainX,
                        MnistVaeQualityTest.config(EPOCHS).withSeed(seed), progress), "dense-" + seed + ".ae4j",
                        data, judge, sampleSeed));
                table.append(row("dense 784-512-256-[8]", seed, dense.get(dense.size() - 1)));
            }
            conv.add(measure(Autoencoder.fit(convSpec(), data.trainX,
                    MnistVaeQualityTest.config(EPOCHS).withSeed(seed), progress), "conv-" + seed + ".ae4j", data,
                    judge, sampleSeed));
            table.append(row("conv 32,64 [8]" + (DECODER_DENSE > 0 ? " + dense " + DECODER_DENSE : ""), seed,
                    conv.get(conv.size() - 1)));
        }
        System.out.print(table);
        if (CONV_ONLY) {
            return;
        }

        long denseParams = dense.get(0).params();
        long convParams = conv.get(0).params();
        double denseElbo = dense.stream().mapToDouble(Measured::negativeElbo).average().orElseThrow();
        double convElbo = conv.stream().mapToDouble(Measured::negativeElbo).average().orElseThrow();
        double denseShare = dense.stream().mapToDouble(r -> r.prior().confidentFraction()).average().orElseThrow();
        double convShare = conv.stream().mapToDouble(r -> r.prior().confidentFraction()).average().orElseThrow();
        System.out.printf("mean over %d seed(s): dense -ELBO %.1f, %.1f%% confident; conv -ELBO %.1f, %.1f%%"
                + " confident%n", SEEDS.length, denseElbo, 100 * denseShare, convElbo, 100 * convShare);
        assertTrue(convParams <= denseParams, "parameters " + convParams + " vs " + denseParams);
        assertTrue(convElbo < denseElbo, "held-out -ELBO conv " + convElbo + " vs dense " + denseElbo);
        // "the judge labels a larger share of the conv VAE's prior samples confidently" (issue 16) is printed, not
        // asserted: at 20 epochs 72.9% vs 72.1% (mean of seeds 42 and 7), larger on both seeds by less than one
        // judgement's standard error; see docs/notes/issue-16-session4.md.
        assertTrue(conv.stream().allMatch(r -> r.prior().confidentFraction() >= 0.5
                && r.prior().classesCovered() >= 8), "conv VAE samples are digits");
    }
}
