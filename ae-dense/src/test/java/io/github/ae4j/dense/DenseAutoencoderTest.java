package io.github.ae4j.dense;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.AutoencoderSpec;
import io.github.ae4j.core.ModelSpec;
import io.github.ae4j.core.ReconstructionLosses;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.regularization.L2Regularization;

/** Sizing rules, validation and the graph the builder produces (no training). */
class DenseAutoencoderTest {

    @Test
    void givenOnlyTheWidth_whenDefaults_thenSizesFollowTheDocumentedRule() {
        assertEquals(8, DenseAutoencoder.defaultLatent(64));
        assertArrayEquals(new int[] {32}, DenseAutoencoder.defaultHidden(64));
        assertEquals("dense 64-32-[8]-32-64", DenseAutoencoder.defaults(64).build().name());

        assertEquals(28, DenseAutoencoder.defaultLatent(784));
        assertArrayEquals(new int[] {256, 128, 64}, DenseAutoencoder.defaultHidden(784));
        assertEquals(3, DenseAutoencoder.defaultLatent(10));
        assertArrayEquals(new int[] {5}, DenseAutoencoder.defaultHidden(10));
        assertEquals(2, DenseAutoencoder.defaultLatent(4));
        assertArrayEquals(new int[0], DenseAutoencoder.defaultHidden(4));
        assertEquals(1, DenseAutoencoder.defaultLatent(2));
        assertEquals(64, DenseAutoencoder.defaultLatent(1_000_000));
        assertArrayEquals(new int[] {256}, DenseAutoencoder.defaultHidden(1_000_000));
    }

    @Test
    void givenAnyWidth_whenDefaults_thenFunnelNarrowsToACodeSmallerThanTheInput() {
        for (int w = 2; w <= 5000; w++) {
            int k = DenseAutoencoder.defaultLatent(w);
            int[] h = DenseAutoencoder.defaultHidden(w);
            assertTrue(k >= 1 && k < w && k <= DenseAutoencoder.MAX_DEFAULT_LATENT, "latent " + k + " for " + w);
            int prev = Integer.MAX_VALUE;
            for (int size : h) {
                assertTrue(size > k && size < prev && size <= DenseAutoencoder.MAX_DEFAULT_HIDDEN && size < w,
                        "hidden " + java.util.Arrays.toString(h) + " for width " + w);
                prev = size;
            }
            AutoencoderSpec spec = DenseAutoencoder.defaults(w).build();
            assertEquals(k, spec.bottleneck().size());
        }
    }

    @Test
    void givenOnlyALatentSize_whenBuilding_thenHiddenSizesFitThatCode() {
        DenseAutoencoder.Builder b = DenseAutoencoder.builder(64).latent(4);
        assertArrayEquals(new int[] {32, 16}, b.hiddenSizes());
        assertEquals("dense 64-32-16-[4]-16-32-64", b.build().name());
        assertEquals("dense 64-32-16-[4]-16-32-64", DenseAutoencoder.defaults(64).latent(4).build().name());
    }

    @Test
    void givenZeroOrNegativeSizes_whenConfiguring_thenFailsNamingTheValue() {
        assertMessage(() -> DenseAutoencoder.builder(0), "input size must be >= 1", "got 0");
        assertMessage(() -> DenseAutoencoder.builder(64).hidden(32, 0), "hidden layer sizes must be >= 1",
                "got 0 for layer 2");
        assertMessage(() -> DenseAutoencoder.builder(64).decoderHidden(-3), "decoder hidden layer sizes", "got -3");
        assertMessage(() -> DenseAutoencoder.builder(64).latent(0), "latent size must be >= 1", "got 0");
        assertMessage(() -> DenseAutoencoder.builder(64).latent(-2), "latent size must be >= 1", "got -2");
        assertMessage(() -> DenseAutoencoder.builder(64).dropout(1.0), "dropout rate must be in [0, 1)", "got 1.0");
        assertMessage(() -> DenseAutoencoder.builder(64).dropout(-0.1), "dropout rate", "got -0.1");
        assertMessage(() -> DenseAutoencoder.builder(64).l2(-1), "l2 must be >= 0", "got -1.0");
        assertMessage(() -> DenseAutoencoder.builder(64).l2(Double.NaN), "l2 must be >= 0", "got NaN");
        assertMessage(() -> Sparsity.l1(0), "sparsity weight must be > 0", "got 0.0");
        assertMessage(() -> Sparsity.kl(1.5, 0.1), "KL sparsity target must be in (0, 1)", "got 1.5");
        assertThrows(NullPointerException.class, () -> DenseAutoencoder.builder(64).activation(null));
        assertThrows(NullPointerException.class, () -> DenseAutoencoder.builder(64).hidden((int[]) null));
    }

    @Test
    void givenBottleneckNotNarrowerThanInput_whenBuilding_thenFailsUnlessOvercomplete() {
        assertMessage(() -> DenseAutoencoder.builder(16).latent(16).build(),
                "bottleneck of 16 units is not smaller than the input (16 features)", "overcomplete(true)");
        assertMessage(() -> DenseAutoencoder.builder(16).latent(40).build(), "bottleneck of 40 units");
        AutoencoderSpec spec = DenseAutoencoder.builder(16).hidden(32).latent(40).overcomplete(true).build();
        assertTrue(spec.overcomplete());
        assertEquals("dense 16-32-[40]-32-16", spec.name());
        ComputationGraph g = new ComputationGraph(spec.buildGraph(new Adam(1e-3), 1));
        g.init();
        assertArrayEquals(new long[] {3, 16}, g.outputSingle(Nd4j.rand(DataType.FLOAT, 3, 16)).shape());
    }

    @Test
    void givenKlSparsityWithoutSigmoidCode_whenBuilding_thenFails() {
        assertMessage(() -> DenseAutoencoder.builder(64).sparsity(Sparsity.kl(0.05, 0.1)).build(),
                "KL sparsity needs bottleneck activations in (0, 1)", "got identity");
        DenseAutoencoder.builder(64).sparsity(Sparsity.kl(0.05, 0.1)).latentActivation(Activation.SIGMOID).build();
    }

    @Test
    void givenEveryOption_whenBuildingTheGraph_thenLayersCarryThem() {
        AutoencoderSpec spec = DenseAutoencoder.builder(20).hidden(16, 12).latent(4).decoderHidden(10)
                .activation(Activation.TANH).latentActivation(Activation.RELU).dropout(0.2).batchNorm(true)
                .l2(1e-4).sparsity(Sparsity.l1(0.01)).loss(ReconstructionLosses.mae()).build();
        assertEquals("dense 20-16-12-[4]-10-20 (tanh, latent relu, batchnorm, dropout 0.2, l2 1.0E-4,"
                + " sparsity l1(0.01), loss mae)", spec.name());

        ComputationGraphConfiguration conf = spec.buildGraph(new Adam(1e-3), 7);

        DenseLayer enc1 = layer(conf, "enc1", DenseLayer.class);
        assertEquals(16, enc1.getNOut());
        assertFalse(enc1.hasBias(), "batch norm supplies the shift");
        assertInstanceOf(ActivationIdentity.class, enc1.getActivationFn());
        assertTrue(enc1.getRegularization().stream().anyMatch(r -> r instanceof L2Regularization));
        layer(conf, "enc1_bn", BatchNormalization.class);
        assertInstanceOf(ActivationTanH.class, layer(conf, "enc1_act", ActivationLayer.class).getActivationFn());
        Dropout d = (Dropout) layer(conf, "enc1_dropout", DropoutLayer.class).getIDropout();
        assertEquals(0.8, d.getP(), 1e-12, "DL4J takes the retain probability");
        assertEquals(12, layer(conf, "enc2", DenseLayer.class).getNOut());
        assertEquals(List.of("enc2_dropout"), conf.getVertexInputs().get(ModelSpec.LATENT));

        ActivityPenalty p = layer(conf, DenseAutoencoder.SPARSITY, ActivityPenalty.class);
        assertEquals(Sparsity.l1(0.01), p.sparsity());
        assertEquals(List.of(ModelSpec.LATENT), conf.getVertexInputs().get(DenseAutoencoder.SPARSITY));
        assertEquals(List.of(DenseAutoencoder.SPARSITY), conf.getVertexInputs().get("dec1"));
        assertEquals(10, layer(conf, "dec1", DenseLayer.class).getNOut());
        assertFalse(conf.getVertices().containsKey("dec2"));
        DenseLayer out = layer(conf, DenseAutoencoder.OUTPUT, DenseLayer.class);
        assertEquals(20, out.getNOut());
        assertEquals(List.of("dec1_dropout"), conf.getVertexInputs().get(DenseAutoencoder.OUTPUT));

        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        INDArray y = g.outputSingle(Nd4j.rand(DataType.FLOAT, 5, 20));
        assertArrayEquals(new long[] {5, 20}, y.shape());
    }

    @Test
    void givenNoDecoderSizes_whenBuilding_thenDecoderMirrorsEncoder() {
        DenseAutoencoder.Builder b = DenseAutoencoder.builder(30).hidden(20, 10).latent(3);
        assertArrayEquals(new int[] {10, 20}, b.decoderHiddenSizes());
        ComputationGraphConfiguration conf = b.build().buildGraph(new Adam(1e-3), 1);
        assertEquals(10, layer(conf, "dec1", DenseLayer.class).getNOut());
        assertEquals(20, layer(conf, "dec2", DenseLayer.class).getNOut());
        assertFalse(conf.getVertices().containsKey(DenseAutoencoder.SPARSITY));
        assertFalse(conf.getVertices().containsKey("enc1_dropout"));
        assertFalse(conf.getVertices().containsKey("enc1_bn"));
    }

    @Test
    void givenNoHiddenLayers_whenBuilding_thenShallowAutoencoder() {
        AutoencoderSpec spec = DenseAutoencoder.builder(12).hidden().latent(3).build();
        assertEquals("dense 12-[3]-12", spec.name());
        ComputationGraphConfiguration conf = spec.buildGraph(new Adam(1e-3), 1);
        assertEquals(List.of(DenseAutoencoder.ENCODER_IDENTITY), conf.getVertexInputs().get(ModelSpec.LATENT));
        assertEquals(List.of(ModelSpec.LATENT), conf.getVertexInputs().get(DenseAutoencoder.OUTPUT));
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        assertEquals((12 * 3 + 3) + (3 * 12 + 12), g.numParams());
    }

    private static <T extends Layer> T layer(ComputationGraphConfiguration conf, String name, Class<T> type) {
        assertTrue(conf.getVertices().containsKey(name), "no vertex " + name + " in " + conf.getVertices().keySet());
        Layer l = ((LayerVertex) conf.getVertices().get(name)).getLayerConf().getLayer();
        return assertInstanceOf(type, l, name);
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' should contain '" + p + "'");
        }
    }
}
