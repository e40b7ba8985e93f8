package io.github.ae4j.variational;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.AnomalyScorer;
import io.github.ae4j.core.AnomalyScorers;
import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.AutoencoderSpec;
import io.github.ae4j.core.Bottleneck;
import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.testing.Ranks;
import io.github.ae4j.core.testing.TestData;
import java.util.Arrays;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class VariationalScorersTest {

    private static INDArray x;
    private static Autoencoder model;

    @BeforeAll
    static void train() {
        x = Nd4j.create(TestData.digits().x()).castTo(DataType.FLOAT);
        model = Autoencoder.fit(VariationalAutoencoder.builder(64).hidden(32).latent(4).build(), x,
                TrainingConfig.defaults().withEpochs(10).withBatchSize(64).withPatience(0)
                        .withNormalization(Normalization.SCALE));
    }

    @Test
    void givenIdsAndParams_whenCreatedThroughTheCoreRegistry_thenVariationalScorersRoundTrip() {
        AnomalyScorer rp = AnomalyScorers.create("reconstruction-probability", Map.of("samples", 4, "seed", 9L));
        assertEquals("reconstruction-probability", rp.id());
        assertEquals(Map.of("samples", 4, "seed", 9L), rp.params());
        AnomalyScorer again = AnomalyScorers.create(rp.id(), rp.params());
        assertArrayEquals(rp.score(model, x), again.score(model, x), 0.0);
        AnomalyScorer elbo = AnomalyScorers.create("negative-elbo", Map.of("samples", 2.0));
        assertEquals(Map.of("samples", 2, "seed", 0L), elbo.params());
        assertEquals("latent-kl", AnomalyScorers.create("latent-kl", Map.of()).id());
        assertEquals(VariationalScorers.DEFAULT_SAMPLES,
                AnomalyScorers.create("negative-elbo", null).params().get("samples"));
    }

    @Test
    void givenBadParams_whenCreating_thenIllegalArgumentNamesTheParameter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AnomalyScorers.create("reconstruction-probability", Map.of("samples", "many")));
        assertTrue(e.getMessage().contains("samples"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> VariationalScorers.reconstructionProbability(0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> AnomalyScorers.create("negative-elbo", Map.of("seed", 1.5)));
    }

    @Test
    void givenScorers_whenScoring_thenHigherIsWorseAndDefinitionsHold() {
        INDArray some = x.getRows(0, 1, 2, 3, 4, 5);
        Vae v = Vae.of(model);
        double[] rp = VariationalScorers.reconstructionProbability(8, 2).score(model, some);
        double[] ll = v.reconstructionLogProbability(some, 8, 2);
        double[] ne = VariationalScorers.negativeElbo(8, 2).score(model, some);
        double[] kl = VariationalScorers.latentKl().score(model, some);
        for (int i = 0; i < rp.length; i++) {
            assertEquals(-ll[i], rp[i], 1e-9);
            assertEquals(rp[i] + kl[i], ne[i], 1e-6 * Math.abs(ne[i]));
        }
        assertArrayEquals(v.latentKl(some), kl, 0.0);
        // rows alone score as in a batch
        double[] alone = VariationalScorers.reconstructionProbability(8, 2).score(model, x.getRows(4));
        assertEquals(rp[4], alone[0], 1e-6 * Math.abs(rp[4]));
    }

    @Test
    void givenNoiseRows_whenScored_thenReconstructionScorersRankThemAboveCleanRows() {
        INDArray clean = x.getRows(java.util.stream.IntStream.range(0, 200).toArray());
        Nd4j.getRandom().setSeed(5);
        INDArray noise = Nd4j.rand(DataType.FLOAT, 200, 64).muli(16);
        INDArray both = Nd4j.vstack(clean, noise);
        int[] labels = new int[400];
        Arrays.fill(labels, 200, 400, 1);
        for (AnomalyScorer s : new AnomalyScorer[] {VariationalScorers.reconstructionProbability(),
                VariationalScorers.negativeElbo()}) {
            double auc = Ranks.auroc(s.score(model, both), labels);
            assertTrue(auc > 0.9, s + ": AUROC " + auc);
        }
        // core's reconstruction error for BCE is the Bernoulli KL, which does not charge grey pixels their
        // own entropy: uniform noise (grey everywhere) looks less unlikely to it than to the likelihood
        double err = Ranks.auroc(AnomalyScorer.reconstructionError().score(model, both), labels);
        assertTrue(err > 0.8, "reconstruction error: AUROC " + err);
        // The latent KL alone does not see uniform noise: the encoder maps it close to the prior.
        // It measures how atypical a code is, not how well a row is explained.
        double klAuc = Ranks.auroc(VariationalScorers.latentKl().score(model, both), labels);
        assertTrue(klAuc < 0.5, "latent KL AUROC on uniform noise " + klAuc);
    }

    @Test
    void givenPlainAutoencoder_whenAsked_thenUnsupportedAndScoringFailsClearly() {
        Autoencoder plain = Autoencoder.fit(AutoencoderSpec.of(64, (g, in, t) -> {
            g.addLayer("e", new DenseLayer.Builder().nOut(8).activation(Activation.RELU).build(), in);
            return "e";
        }, Bottleneck.dense(4), (g, z, t) -> {
            g.addLayer("d", new DenseLayer.Builder().nOut(64).activation(Activation.IDENTITY).build(), z);
            return "d";
        }), x, TrainingConfig.defaults().withEpochs(1));
        AnomalyScorer s = VariationalScorers.negativeElbo();
        assertFalse(s.supports(plain));
        assertTrue(s.supports(model));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.score(plain, x));
        assertTrue(e.getMessage().contains("not a variational model"), e.getMessage());
        assertTrue(AnomalyScorer.reconstructionError().supports(model));
    }
}
