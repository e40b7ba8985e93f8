package io.github.ae4j.variational;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.conv.ConvAutoencoder;
import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.ModelInfo;
import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.ModelFile;
import io.github.ae4j.core.testing.TestData;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * A convolutional VAE: ae-conv's encoder and decoder plugged into the VAE through ae-core's contracts
 * ({@link VariationalAutoencoder#builder(io.github.ae4j.core.AutoencoderSpec)}), on the bundled 8x8 digits.
 */
class ConvVaeTest {

    @Test
    void givenConvArchitecture_whenVaeTrained_thenElboFallsSamplesHaveTheImageShapeAndSurviveSaveLoad(
            @TempDir Path dir) throws Exception {
        VariationalAutoencoder spec = VariationalAutoencoder
                .builder(ConvAutoencoder.builder(8, 8, 1).filters(16, 16).denseBottleneck(4).build()).build();
        assertEquals(4, spec.latentSize());
        assertTrue(spec.decoderDense().isEmpty(), "default: the decoder reads the code");
        assertTrue(spec.name().startsWith("vae [4] bernoulli of conv 8x8x1"), spec.name());
        assertArrayEquals(new int[] {8, 8, 1}, spec.inputShape());

        double[][] x = java.util.Arrays.copyOf(TestData.digits().x(), 800);
        TrainingConfig tc = TrainingConfig.defaults().withEpochs(15).withBatchSize(32).withUpdater(new Adam(3e-3))
                .withNormalization(Normalization.SCALE).withValidationFraction(0.2).withPatience(0).withSeed(5);
        Autoencoder m = Autoencoder.fit(spec, x, tc);
        List<ModelInfo.Epoch> h = m.info().history();
        assertTrue(h.get(h.size() - 1).validationLoss() < 0.9 * h.get(0).validationLoss(),
                "held-out -ELBO falls: " + h.get(0).validationLoss() + " -> " + h.get(h.size() - 1).validationLoss());

        Vae vae = Vae.of(m);
        INDArray samples = vae.sample(16, 7L);
        assertArrayEquals(new long[] {16, 64}, samples.shape());
        assertTrue(samples.minNumber().doubleValue() >= 0 && samples.maxNumber().doubleValue() <= 16.0001,
                "samples in the data's units (pixels 0..16)");
        Path f = dir.resolve("conv-vae.ae4j");
        m.save(f);
        Vae loaded = Vae.of(ModelFile.read(f).model());
        assertArrayEquals(samples.toFloatMatrix(), loaded.sample(16, 7L).toFloatMatrix());
        INDArray probe = Nd4j.createFromArray(java.util.Arrays.copyOfRange(x, 0, 8)).castTo(samples.dataType());
        assertEquals(vae.meanNegativeElbo(probe, 8, 1L), loaded.meanNegativeElbo(probe, 8, 1L), 1e-3);
    }

    @Test
    void givenConvArchitecture_whenDecoderDenseSet_thenTheCodeFeedsThoseLayersBeforeTheDecoder() {
        var conv = ConvAutoencoder.builder(8, 8, 1).filters(16, 16).denseBottleneck(4).build();
        VariationalAutoencoder one = VariationalAutoencoder.builder(conv).decoderDense(32).build();
        assertTrue(one.name().startsWith("vae [4]-32 bernoulli of conv 8x8x1"), one.name());
        ComputationGraphConfiguration one32 = one.buildGraph(new Adam(1e-3), 1);
        ComputationGraphConfiguration two = VariationalAutoencoder.builder(conv).decoderDense(24, 12).build()
                .buildGraph(new Adam(1e-3), 1);
        ComputationGraphConfiguration none = VariationalAutoencoder.builder(conv).build()
                .buildGraph(new Adam(1e-3), 1);
        assertEquals(List.of(VariationalAutoencoder.LATENT), one32.getVertexInputs().get("code-1"));
        assertEquals(List.of("code-1"), one32.getVertexInputs().get("dec_dense"));
        assertEquals(List.of("code-1"), two.getVertexInputs().get("code-2"));
        assertEquals(List.of("code-2"), two.getVertexInputs().get("dec_dense"));
        assertEquals(List.of(VariationalAutoencoder.LATENT), none.getVertexInputs().get("dec_dense"));
        assertFalse(none.getVertices().containsKey("code-1"));
        // parameters: latent 4 -> 32 -> dense to the 2x2x16 feature map, against 4 -> 2x2x16 directly
        long extra = params(one32) - params(none);
        assertEquals((4 * 32 + 32) + (32 * 64 + 64) - (4 * 64 + 64), extra);
        assertThrows(IllegalArgumentException.class, () -> VariationalAutoencoder.builder(conv).decoderDense(0));
        assertTrue(VariationalAutoencoder.builder(784).build().decoderDense().isEmpty(), "dense VAE: none");
    }

    private static long params(ComputationGraphConfiguration conf) {
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g.numParams();
    }
}
