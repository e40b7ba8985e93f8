package io.github.ae4j.variational;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.AutoencoderSpec;
import io.github.ae4j.core.Bottleneck;
import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.ModelFile;
import io.github.ae4j.core.testing.TestData;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import javax.imageio.ImageIO;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class VaeTest {

    private static TestData.Digits digits;
    private static INDArray x;
    private static Autoencoder model;
    private static Vae vae;

    @BeforeAll
    static void train() {
        digits = TestData.digits();
        x = Nd4j.create(digits.x()).castTo(DataType.FLOAT);
        model = Autoencoder.fit(VariationalAutoencoder.builder(InputType.convolutionalFlat(8, 8, 1)).hidden(32)
                .latent(4).build(), x, TrainingConfig.defaults().withEpochs(15).withBatchSize(64).withPatience(0)
                .withNormalization(Normalization.SCALE));
        vae = Vae.of(model);
    }

    @Test
    void givenSeed_whenSampling_thenSameSeedSameSamplesOtherSeedOthers() {
        INDArray a = vae.sample(20, 5L);
        INDArray b = vae.sample(20, 5L);
        INDArray c = vae.sample(20, 6L);
        assertArrayEquals(a.toFloatMatrix(), b.toFloatMatrix());
        assertFalse(a.equalsWithEps(c, 1e-3));
        assertArrayEquals(new long[] {20, 64}, a.shape());
        // raw space: pixels of the UCI digits are 0..16
        assertTrue(a.minNumber().doubleValue() >= 0 && a.maxNumber().doubleValue() <= 16.0 + 1e-4);
        assertTrue(a.maxNumber().doubleValue() > 8, "samples use the raw pixel range");
        assertArrayEquals(vae.decode(vae.samplePrior(20, 5L)).toFloatMatrix(), a.toFloatMatrix());
    }

    @Test
    void givenSavedModel_whenLoaded_thenSameSamplesLatentsAndScores(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("vae.ae4j");
        ModelFile.write(file, model, Map.of());
        Autoencoder loaded = ModelFile.read(file).model();
        assertTrue(Vae.isVariational(loaded));
        Vae back = Vae.of(loaded);
        assertEquals("variational", loaded.kind());
        assertArrayEquals(vae.sample(50, 123L).toFloatMatrix(), back.sample(50, 123L).toFloatMatrix());
        INDArray some = x.getRows(0, 1, 2, 3, 4);
        assertArrayEquals(vae.latentMean(some).toFloatMatrix(), back.latentMean(some).toFloatMatrix());
        assertArrayEquals(vae.latentLogVar(some).toFloatMatrix(), back.latentLogVar(some).toFloatMatrix());
        assertArrayEquals(vae.negativeElbo(some, 8, 3L), back.negativeElbo(some, 8, 3L), 1e-9);
        assertEquals(vae.beta(), back.beta());
        assertEquals(Distribution.BERNOULLI, back.distribution());
    }

    @Test
    void givenPlainAutoencoder_whenWrapped_thenIllegalArgumentSaysNotVariational() {
        AutoencoderSpec spec = AutoencoderSpec.of(64, (g, in, t) -> {
            g.addLayer("e", new DenseLayer.Builder().nOut(16).activation(Activation.RELU).build(), in);
            return "e";
        }, Bottleneck.dense(4), (g, z, t) -> {
            g.addLayer("d", new DenseLayer.Builder().nOut(64).activation(Activation.IDENTITY).build(), z);
            return "d";
        });
        Autoencoder plain = Autoencoder.fit(spec, x, TrainingConfig.defaults().withEpochs(1));
        assertFalse(Vae.isVariational(plain));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Vae.of(plain));
        assertTrue(e.getMessage().startsWith("not a variational model"), e.getMessage());
        assertTrue(e.getMessage().contains("autoencoder"), e.getMessage());
    }

    @Test
    void givenRows_whenLatentStatistics_thenMeansAreTheEncodingAndBatchesDoNotMatter() {
        INDArray mu = vae.latentMean(x);
        assertArrayEquals(new long[] {x.size(0), 4}, mu.shape());
        assertTrue(mu.equalsWithEps(model.encode(x), 1e-5));
        assertTrue(vae.encode(x).equalsWithEps(mu, 0));
        INDArray lv = vae.latentLogVar(x);
        assertTrue(lv.maxNumber().doubleValue() < 1.0, "posteriors are narrower than the prior");
        INDArray one = vae.latentMean(x.getRows(7));
        assertTrue(one.equalsWithEps(mu.getRows(7), 1e-5));
    }

    @Test
    void givenTwoRows_whenInterpolating_thenEndsAreTheReconstructionsAndThePathIsSmooth() {
        INDArray a = x.getRow(0);
        INDArray b = x.getRow(1);
        INDArray path = vae.interpolate(a, b, 7);
        assertArrayEquals(new long[] {7, 64}, path.shape());
        INDArray rec = model.reconstruct(Nd4j.vstack(a.reshape(1, 64), b.reshape(1, 64)));
        assertTrue(path.getRow(0).equalsWithEps(rec.getRow(0), 1e-3));
        assertTrue(path.getRow(6).equalsWithEps(rec.getRow(1), 1e-3));
        double endToEnd = path.getRow(0).distance2(path.getRow(6));
        for (int i = 0; i < 6; i++) {
            assertTrue(path.getRow(i).distance2(path.getRow(i + 1)) < endToEnd, "step " + i);
        }
        assertThrows(IllegalArgumentException.class, () -> vae.interpolate(a, b, 1));
        assertThrows(IllegalArgumentException.class, () -> vae.interpolate(a, Nd4j.zeros(3), 4));
    }

    @Test
    void givenRows_whenProbabilistic_thenNegativeElboIsReconstructionNllPlusKlAndRowIndependent() {
        INDArray some = x.getRows(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        double[] ll = vae.reconstructionLogProbability(some, 16, 9L);
        double[] kl = vae.latentKl(some);
        double[] nelbo = vae.negativeElbo(some, 16, 9L);
        for (int i = 0; i < ll.length; i++) {
            assertTrue(kl[i] >= 0, "KL >= 0");
            assertTrue(ll[i] < 0, "log-probability of continuous Bernoulli targets is below 0");
            assertEquals(-ll[i] + kl[i], nelbo[i], 1e-6 * Math.abs(nelbo[i]));
        }
        double[] alone = vae.reconstructionLogProbability(x.getRows(3), 16, 9L);
        assertEquals(ll[3], alone[0], 1e-6 * Math.abs(ll[3]), "a row's score does not depend on its batch");
        assertArrayEquals(ll, vae.reconstructionLogProbability(some, 16, 9L), 0.0);
        assertThrows(IllegalArgumentException.class, () -> vae.negativeElbo(some, 0, 1L));
        double mean = vae.meanNegativeElbo(x, 8, 1L);
        double last = model.info().history().get(model.info().history().size() - 1).validationLoss();
        assertTrue(Math.abs(mean - last) < 0.25 * last, "Monte-Carlo -ELBO " + mean + " vs validation loss " + last);
    }

    @Test
    void givenImageModel_whenWritingPictures_thenPngsOfTheExpectedSize(@TempDir Path dir) throws Exception {
        Path samples = dir.resolve("samples.png");
        vae.writeSampleGrid(samples, 16, 1L);
        BufferedImage s = ImageIO.read(samples.toFile());
        assertEquals(4 * (8 * 2 + 2) + 2, s.getWidth());
        Path strip = dir.resolve("strip.png");
        vae.writeInterpolation(strip, x.getRow(0), x.getRow(1), 8);
        assertEquals(8 * (8 * 2 + 2) + 2, ImageIO.read(strip.toFile()).getWidth());
        Path scatter = dir.resolve("scatter.png");
        vae.writeLatentScatter(scatter, x, digits.y());
        assertEquals(800, ImageIO.read(scatter.toFile()).getWidth());
        assertThrows(IllegalArgumentException.class, () -> vae.manifold(5), "manifold needs a 2-D latent");
        assertThrows(IllegalArgumentException.class, () -> vae.writeLatentScatter(scatter, x, new int[3]));
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count(), "no temporary files left behind");
        }
    }

    @Test
    void givenTwoDimensionalLatent_whenManifold_thenGridOfDecodedQuantiles(@TempDir Path dir) throws Exception {
        Autoencoder m2 = Autoencoder.fit(VariationalAutoencoder.builder(64).hidden(32).latent(2).build(), x,
                TrainingConfig.defaults().withEpochs(5).withBatchSize(64).withNormalization(Normalization.SCALE));
        Vae v2 = Vae.of(m2);
        assertEquals(Arrays.asList(8, 8, 1), Arrays.stream(v2.imageShape().orElseThrow()).boxed().toList());
        INDArray grid = v2.manifold(5);
        assertArrayEquals(new long[] {25, 64}, grid.shape());
        // the centre of the grid is z = (0, 0)
        INDArray centre = v2.decode(Nd4j.zeros(DataType.FLOAT, 1, 2));
        assertTrue(grid.getRow(12).equalsWithEps(centre.getRow(0), 1e-4));
        Path png = dir.resolve("manifold.png");
        v2.writeManifold(png, 10);
        assertEquals(10 * (8 + 2) + 2, ImageIO.read(png.toFile()).getWidth());
        v2.writeLatentScatter(dir.resolve("scatter2d.png"), x, digits.y());
        assertTrue(Files.size(dir.resolve("scatter2d.png")) > 1000);
    }

    @Test
    void givenProbabilities_whenNormalQuantile_thenMatchesTables() {
        assertEquals(0.0, VaePlots.normalQuantile(0.5), 1e-12);
        assertEquals(1.959963985, VaePlots.normalQuantile(0.975), 1e-8);
        assertEquals(-3.090232306, VaePlots.normalQuantile(0.001), 1e-8);
        assertEquals(-VaePlots.normalQuantile(0.2), VaePlots.normalQuantile(0.8), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> VaePlots.normalQuantile(1.0));
    }

    @Test
    void givenCorrelatedPoints_whenPrincipalComponents_thenFirstComponentCarriesTheSpread() {
        double[][] p = new double[200][3];
        java.util.Random r = new java.util.Random(3);
        for (double[] row : p) {
            double t = r.nextGaussian() * 5;
            row[0] = t;
            row[1] = t + r.nextGaussian() * 0.1;
            row[2] = r.nextGaussian() * 0.5;
        }
        double[][] proj = VaePlots.principalComponents(p, 2);
        double v0 = Arrays.stream(proj).mapToDouble(q -> q[0] * q[0]).sum();
        double v1 = Arrays.stream(proj).mapToDouble(q -> q[1] * q[1]).sum();
        assertTrue(v0 > 50 * v1, v0 + " vs " + v1);
    }

    @Test
    void givenOneVae_whenProbabilitiesAndSamplesAreAskedFrom8Threads_thenResultsEqualSingleThreaded() throws Exception {
        INDArray rows = x.getRows(java.util.stream.IntStream.range(0, 16).toArray());
        double[] logp = vae.reconstructionLogProbability(rows, 8, 3);
        double[] elbo = vae.negativeElbo(rows, 8, 3);
        INDArray samples = vae.sample(4, 11);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            java.util.List<java.util.concurrent.Future<?>> fs = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        assertArrayEquals(logp, vae.reconstructionLogProbability(rows, 8, 3), 0.0);
                        assertArrayEquals(elbo, vae.negativeElbo(rows, 8, 3), 0.0);
                        assertEquals(samples, vae.sample(4, 11));
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
