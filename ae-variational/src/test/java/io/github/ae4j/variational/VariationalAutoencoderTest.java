package io.github.ae4j.variational;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.Decoder;
import io.github.ae4j.core.Encoder;
import io.github.ae4j.core.ModelSpec;
import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.TrainingListener;
import io.github.ae4j.core.testing.TestData;
import io.github.ae4j.variational.graph.KlWeightVertexImpl;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

class VariationalAutoencoderTest {

    private static final INDArray DIGITS = Nd4j.create(TestData.digits().x()).castTo(DataType.FLOAT);

    private static TrainingConfig scaled(int epochs) {
        return TrainingConfig.defaults().withEpochs(epochs).withBatchSize(64).withPatience(0)
                .withNormalization(Normalization.SCALE);
    }

    @Test
    void givenOnlyInputSize_whenBuilt_thenSizedFromTheData() {
        VariationalAutoencoder mnist = VariationalAutoencoder.builder(784).build();
        assertEquals(16, mnist.latentSize());
        assertEquals(List.of(256), mnist.hidden());
        assertEquals(Distribution.BERNOULLI, mnist.distribution());
        assertEquals(1.0, mnist.beta());
        VariationalAutoencoder small = VariationalAutoencoder.builder(8).build();
        assertEquals(2, small.latentSize());
        assertEquals(List.of(4), small.hidden());
        assertEquals("variational", mnist.kind());
        assertEquals(VariationalAutoencoder.LOGITS, mnist.decoderOutput());
        assertEquals(Activation.SIGMOID, mnist.decoderOutputActivation());
        assertEquals(Activation.IDENTITY, VariationalAutoencoder.builder(8).distribution(Distribution.GAUSSIAN)
                .build().decoderOutputActivation());
        assertEquals("vae 784-256-[16]-256-784 bernoulli", mnist.name());
    }

    @Test
    void givenInvalidSettings_whenBuilding_thenIllegalArgumentNamesTheSetting() {
        assertMessage("inputSize", () -> VariationalAutoencoder.builder(0));
        assertMessage("latent", () -> VariationalAutoencoder.builder(8).latent(0));
        assertMessage("beta", () -> VariationalAutoencoder.builder(8).beta(-1));
        assertMessage("beta", () -> VariationalAutoencoder.builder(8).beta(Double.NaN));
        assertMessage("warmupEpochs", () -> VariationalAutoencoder.builder(8).warmupEpochs(-2));
        assertMessage("hidden", () -> VariationalAutoencoder.builder(8).hidden(4, 0));
        assertMessage("Gaussian", () -> VariationalAutoencoder.builder(8).learnedVariance(true).build());
        assertMessage("minVariance", () -> VariationalAutoencoder.builder(8).minVariance(0));
        assertThrows(NullPointerException.class, () -> VariationalAutoencoder.builder(8).encoder(null));
    }

    private static void assertMessage(String fragment, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void givenDecoderOfTheWrongSize_whenBuildingTheGraph_thenIllegalArgumentNamesBothSizes() {
        Decoder wrong = (g, z, target) -> {
            g.addLayer("out", new DenseLayer.Builder().nOut(10).activation(Activation.IDENTITY).build(), z);
            return "out";
        };
        VariationalAutoencoder spec = VariationalAutoencoder.builder(64).decoder(wrong).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> spec.buildGraph(new Adam(1e-3), 1));
        assertTrue(e.getMessage().contains("10") && e.getMessage().contains("64"), e.getMessage());
    }

    @Test
    void givenEncoderAddingAReservedName_whenBuildingTheGraph_thenIllegalArgument() {
        Encoder clash = (g, in, type) -> {
            g.addLayer("stats", new DenseLayer.Builder().nOut(8).activation(Activation.RELU).build(), in);
            return "stats";
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VariationalAutoencoder.builder(64).encoder(clash).build().buildGraph(new Adam(1e-3), 1));
        assertTrue(e.getMessage().contains("stats"), e.getMessage());
        Encoder notAdded = (g, in, type) -> "nothing";
        assertThrows(IllegalArgumentException.class,
                () -> VariationalAutoencoder.builder(64).encoder(notAdded).build().buildGraph(new Adam(1e-3), 1));
    }

    @Test
    void givenCustomEncoderAndDecoder_whenTrained_thenTheGraphUsesThemAndTheElboImproves() {
        Encoder enc = (g, in, type) -> {
            g.addLayer("my-enc", new DenseLayer.Builder().nOut(24).activation(Activation.TANH).build(), in);
            return "my-enc";
        };
        Decoder dec = (g, z, target) -> {
            g.addLayer("my-dec", new DenseLayer.Builder().nOut(24).activation(Activation.TANH).build(), z);
            g.addLayer("my-out", new DenseLayer.Builder().nOut(target.arrayElementsPerExample())
                    .activation(Activation.IDENTITY).build(), "my-dec");
            return "my-out";
        };
        VariationalAutoencoder spec = VariationalAutoencoder.builder(InputType.convolutionalFlat(8, 8, 1))
                .encoder(enc).decoder(dec).latent(3).build();
        assertTrue(spec.name().contains("custom"), spec.name());
        assertEquals(List.of(8, 8, 1), Arrays.stream(spec.inputShape()).boxed().toList());
        Autoencoder m = Autoencoder.fit(spec, DIGITS, scaled(8));
        ComputationGraph g = m.graph();
        assertTrue(g.getConfiguration().getVertices().keySet().containsAll(List.of("my-enc", "my-dec", "my-out")));
        List<io.github.ae4j.core.ModelInfo.Epoch> h = m.info().history();
        assertTrue(h.get(h.size() - 1).validationLoss() < 0.9 * h.get(0).validationLoss(),
                "validation -ELBO should fall: " + h);
        assertEquals(3, m.latentSize());
        assertEquals(List.of(8, 8, 1), Arrays.stream(m.inputShape()).boxed().toList());
    }

    @Test
    void givenBernoulliWithStandardNormalization_whenFitting_thenIllegalArgumentSuggestsScale() {
        VariationalAutoencoder spec = VariationalAutoencoder.builder(64).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Autoencoder.fit(spec, DIGITS, TrainingConfig.defaults().withEpochs(1)));
        assertTrue(e.getMessage().contains("scale"), e.getMessage());
    }

    @Test
    void givenTrimmedLoss_whenFitting_thenIllegalArgument() {
        VariationalAutoencoder spec = VariationalAutoencoder.builder(64).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Autoencoder.fit(spec, DIGITS, scaled(1).withTrimFraction(0.1)));
        assertTrue(e.getMessage().contains("trim"), e.getMessage());
    }

    @Test
    void givenWarmup_whenTraining_thenKlWeightRampsFromZeroToBetaAndTheModelKeepsFullBeta() {
        List<Double> seen = new ArrayList<>();
        TrainingListener probe = new TrainingListener() {
            @Override
            public void onEpochStart(int epoch, ComputationGraph graph) {
                KlWeightVertexImpl k = (KlWeightVertexImpl) graph.getVertex(VariationalAutoencoder.KL_WEIGHT);
                seen.add(k.effectiveBeta(true));
                assertEquals(2.0, k.effectiveBeta(false), "validation uses the full beta");
            }
        };
        VariationalAutoencoder spec = VariationalAutoencoder.builder(64).hidden(16).latent(2).beta(2.0)
                .warmupEpochs(4).build();
        Autoencoder m = Autoencoder.fit(spec, DIGITS, scaled(6), probe);
        assertEquals(List.of(0.0, 0.5, 1.0, 1.5, 2.0, 2.0), seen);
        KlWeightVertexImpl k = (KlWeightVertexImpl) m.graph().getVertex(VariationalAutoencoder.KL_WEIGHT);
        assertEquals(2.0, k.effectiveBeta(true), "a trained model carries no warm-up state");
        assertEquals(2.0, Vae.of(m).beta());
        assertEquals(4, m.info().spec().get("warmupEpochs"));
        assertEquals(1.0, new KlWarmup(3).factor(10));
    }

    @Test
    void givenLargerBeta_whenTrained_thenPosteriorsStayCloserToThePriorAndReconstructionsWorsen() {
        VariationalAutoencoder.Builder b = VariationalAutoencoder.builder(64).hidden(32).latent(8);
        Autoencoder plain = Autoencoder.fit(b.beta(1).build(), DIGITS, scaled(12));
        Autoencoder strong = Autoencoder.fit(b.beta(8).build(), DIGITS, scaled(12));
        double klPlain = mean(Vae.of(plain).latentKl(DIGITS));
        double klStrong = mean(Vae.of(strong).latentKl(DIGITS));
        double errPlain = plain.reconstructionError(DIGITS).meanNumber().doubleValue();
        double errStrong = strong.reconstructionError(DIGITS).meanNumber().doubleValue();
        assertTrue(klStrong < 0.5 * klPlain, "KL beta=8 " + klStrong + " vs beta=1 " + klPlain);
        assertTrue(errStrong > errPlain, "error beta=8 " + errStrong + " vs beta=1 " + errPlain);
    }

    @Test
    void givenGaussianDistribution_whenTrainedOnStandardisedData_thenElboImprovesAndVariancesAreLearned() {
        TrainingConfig std = TrainingConfig.defaults().withEpochs(10).withBatchSize(64).withPatience(0);
        Autoencoder fixed = Autoencoder.fit(VariationalAutoencoder.builder(64).hidden(32).latent(6)
                .distribution(Distribution.GAUSSIAN).build(), DIGITS, std);
        Autoencoder learned = Autoencoder.fit(VariationalAutoencoder.builder(64).hidden(32).latent(6)
                .distribution(Distribution.GAUSSIAN).learnedVariance(true).build(), DIGITS, std);
        for (Autoencoder m : List.of(fixed, learned)) {
            List<io.github.ae4j.core.ModelInfo.Epoch> h = m.info().history();
            assertTrue(h.get(h.size() - 1).validationLoss() < h.get(0).validationLoss(), "history " + h);
            assertEquals("mse", m.loss().name());
        }
        double[] v = Vae.of(learned).variance().orElseThrow();
        assertTrue(Arrays.stream(v).allMatch(Double::isFinite));
        double spread = Arrays.stream(v).max().orElseThrow() - Arrays.stream(v).min().orElseThrow();
        assertTrue(spread > 0.1, "learned variances differ by feature: " + Arrays.toString(v));
        assertTrue(Arrays.stream(Vae.of(fixed).variance().orElseThrow()).allMatch(x -> x == 1.0));
        // the learned-variance model explains standardised digits better (a proper likelihood)
        double nllFixed = mean(Vae.of(fixed).negativeElbo(DIGITS, 4, 1));
        double nllLearned = mean(Vae.of(learned).negativeElbo(DIGITS, 4, 1));
        assertTrue(nllLearned < nllFixed, "learned " + nllLearned + " vs fixed " + nllFixed);
    }

    @Test
    void givenSpec_whenDescribed_thenPlainValuesForSavedModels() {
        var d = VariationalAutoencoder.builder(64).hidden(32, 16).latent(4).beta(2).warmupEpochs(3).build().describe();
        assertEquals(4, d.get("latent"));
        assertEquals("bernoulli", d.get("distribution"));
        assertEquals(2.0, d.get("beta"));
        assertEquals("dense [32, 16]", d.get("encoder"));
        ComputationGraphConfiguration conf = VariationalAutoencoder.builder(64).hidden(32, 16).latent(4).build()
                .buildGraph(new Adam(1e-3), 1);
        assertTrue(conf.getVertices().keySet().containsAll(List.of(ModelSpec.LATENT, ModelSpec.RECONSTRUCTION,
                VariationalAutoencoder.STATS, VariationalAutoencoder.LOGITS, "enc-1", "enc-2", "dec-1", "dec-2",
                "dec-out")));
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElseThrow();
    }
}
