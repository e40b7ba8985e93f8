package io.github.ae4j.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.AutoencoderSpec;
import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.ReconstructionLosses;
import io.github.ae4j.core.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ConvAutoencoderTest {

    @TempDir
    Path tmp;

    private static TrainingConfig quick(int epochs) {
        return TrainingConfig.defaults().withEpochs(epochs).withBatchSize(32).withValidationFraction(0)
                .withNormalization(Normalization.NONE).withSeed(7);
    }

    @ParameterizedTest(name = "{0}x{1}x{2}")
    @CsvSource({"28,28,1", "8,8,1", "32,32,3", "27,19,1", "5,3,2", "1,50,2"})
    void givenImageShape_whenBuiltAndRun_thenReconstructionHasExactlyTheInputShape(int h, int w, int c) {
        AutoencoderSpec spec = ConvAutoencoder.builder(h, w, c).filters(4, 2).overcomplete(true).build();
        assertArrayEquals(new int[] {h, w, c}, spec.inputShape());
        INDArray x = TestImages.smooth(6, h, w, c, 1);
        Autoencoder m = Autoencoder.fit(spec, x, quick(1));
        INDArray rec = m.reconstruct(x);
        assertArrayEquals(new long[] {6, (long) h * w * c}, rec.shape());
        assertArrayEquals(new int[] {h, w, c}, m.inputShape());
        // the code is the 2-filter map after two SAME poolings: ceil(ceil(h/2)/2) x ceil(ceil(w/2)/2) x 2
        int ch = (h + 1) / 2;
        int cw = (w + 1) / 2;
        assertEquals(((ch + 1) / 2) * ((cw + 1) / 2) * 2, m.latentSize());
        INDArray z = m.encode(x);
        assertArrayEquals(new long[] {6, m.latentSize()}, z.shape());
        assertArrayEquals(rec.shape(), m.decode(z).shape());
        assertEquals(0.0, m.decode(z).sub(rec).amaxNumber().doubleValue(), 1e-5, "decode(encode(x)) == reconstruct(x)");
    }

    @Test
    void givenOddSizeDenseBottleneck_whenTrained_thenRoundTripsExactShapeAndBeatsTheMeanImage() {
        INDArray x = TestImages.smooth(256, 27, 19, 1, 2);
        AutoencoderSpec spec = ConvAutoencoder.builder(27, 19, 1).filters(8, 8).denseBottleneck(6)
                .loss(ReconstructionLosses.mse()).build();
        Autoencoder m = Autoencoder.fit(spec, x, quick(30).withUpdater(new org.nd4j.linalg.learning.config.Adam(3e-3)));
        assertEquals(6, m.latentSize());
        INDArray rec = m.reconstruct(x);
        assertArrayEquals(x.shape(), rec.shape());
        double mse = rec.sub(x).norm2Number().doubleValue();
        double meanImage = x.subRowVector(x.mean(0)).norm2Number().doubleValue();
        assertTrue(mse < 0.7 * meanImage, "reconstruction error " + mse + " vs mean image " + meanImage);
    }

    @Test
    void givenStridedBatchNormColourNet_whenTrained_thenLossFallsAndChannelsStayInPlace() {
        INDArray x = TestImages.smooth(192, 16, 12, 3, 3);
        AutoencoderSpec spec = ConvAutoencoder.builder(16, 12, 3).filters(8, 8).stridedConvolution().batchNorm(true)
                .activation(Activation.LEAKYRELU).denseBottleneck(12).loss(ReconstructionLosses.binaryCrossEntropy())
                .build();
        Autoencoder m = Autoencoder.fit(spec, x, quick(12));
        List<io.github.ae4j.core.ModelInfo.Epoch> h = m.info().history();
        assertTrue(h.get(h.size() - 1).trainLoss() < h.get(0).trainLoss(), "loss falls: " + h);
        INDArray rec = m.reconstruct(x);
        // each channel is rebuilt from itself: the error with channels in place beats the error
        // against the same images with their channels rotated (R<-G<-B)
        INDArray rotated = rotateChannels(x, 16 * 12, 3);
        double inPlace = rec.sub(x).norm2Number().doubleValue();
        double wrongOrder = rec.sub(rotated).norm2Number().doubleValue();
        assertTrue(inPlace < 0.5 * wrongOrder, inPlace + " vs " + wrongOrder);
        assertTrue(m.graph().getConfiguration().getVertices().containsKey("enc1_bn"));
    }

    private static INDArray rotateChannels(INDArray x, int pixels, int c) {
        float[][] rows = x.toFloatMatrix();
        for (float[] r : rows) {
            float[] copy = r.clone();
            for (int p = 0; p < pixels; p++) {
                for (int ch = 0; ch < c; ch++) {
                    r[p * c + ch] = copy[p * c + (ch + 1) % c];
                }
            }
        }
        return Nd4j.createFromArray(rows);
    }

    @Test
    void givenTrainedConvModels_whenSavedAndLoaded_thenOutputsAreIdentical() throws IOException {
        INDArray x = TestImages.smooth(64, 12, 10, 3, 4).muli(255);
        for (AutoencoderSpec spec : List.of(
                ConvAutoencoder.builder(12, 10, 3).lossFor(Normalization.SCALE).build(),
                ConvAutoencoder.builder(12, 10, 3).filters(6, 4).batchNorm(true).stridedConvolution()
                        .denseBottleneck(5).build())) {
            Autoencoder m = Autoencoder.fit(spec, x, quick(2).withNormalization(Normalization.SCALE));
            Path f = tmp.resolve("conv-" + spec.hashCode() + ".ae4j");
            m.save(f);
            assertTrue(Files.size(f) > 0);
            Autoencoder back = Autoencoder.load(f);
            assertArrayEquals(m.reconstruct(x).toFloatMatrix(), back.reconstruct(x).toFloatMatrix(), spec.name());
            assertArrayEquals(m.encode(x).toFloatMatrix(), back.encode(x).toFloatMatrix(), spec.name());
            assertArrayEquals(m.reconstructionError(x).toFloatVector(), back.reconstructionError(x).toFloatVector());
            assertArrayEquals(new int[] {12, 10, 3}, back.inputShape());
            // and it trains on after loading
            Autoencoder more = back.continueTraining(x, quick(1).withNormalization(Normalization.SCALE));
            assertEquals(m.info().history().size() + 1, more.info().history().size());
        }
    }

    /**
     * The reference net holds ~35,000 floats of activations per 28x28 image, so the inference methods pass at most
     * a few hundred images at a time (Autoencoder.PASS_FLOATS): many images in one call come back whole, in order,
     * equal to the same images in small calls.
     */
    @Test
    void givenMoreImagesThanOnePass_whenReconstructedAndEncoded_thenEqualToSmallCalls() {
        INDArray x = TestImages.smooth(1100, 28, 28, 1, 9);
        Autoencoder m = Autoencoder.fit(ConvAutoencoder.builder(28, 28, 1).build(),
                x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 64), org.nd4j.linalg.indexing.NDArrayIndex.all()),
                quick(1));
        INDArray whole = m.reconstruct(x);
        INDArray codes = m.encode(x);
        assertArrayEquals(new long[] {1100, 784}, whole.shape());
        for (int from = 0; from < 1100; from += 100) {
            INDArray part = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, from + 100),
                    org.nd4j.linalg.indexing.NDArrayIndex.all());
            INDArray rows = whole.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, from + 100),
                    org.nd4j.linalg.indexing.NDArrayIndex.all());
            assertEquals(0.0, m.reconstruct(part).sub(rows).amaxNumber().doubleValue(), 1e-5, "rows from " + from);
            assertEquals(0.0, m.encode(part).sub(codes.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from,
                    from + 100), org.nd4j.linalg.indexing.NDArrayIndex.all())).amaxNumber().doubleValue(), 1e-5,
                    "codes from " + from);
        }
    }

    @Test
    void givenTrainedConvModel_whenScoredFromSeveralThreads_thenSameResultsAsOneThread() throws Exception {
        INDArray x = TestImages.smooth(40, 10, 8, 1, 6);
        Autoencoder m = Autoencoder.fit(ConvAutoencoder.builder(10, 8, 1).filters(4, 2).build(), x, quick(1));
        float[] expected = m.reconstructionError(x).toFloatVector();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<float[]>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                results.add(pool.submit(() -> m.reconstructionError(x).toFloatVector()));
            }
            for (java.util.concurrent.Future<float[]> f : results) {
                assertArrayEquals(expected, f.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void givenDefaults_whenBuilt_thenTheReferenceNet() {
        ConvAutoencoder.Builder b = ConvAutoencoder.builder(28, 28, 1);
        List<int[]> stages = b.stageShapes();
        assertArrayEquals(new int[] {28, 28, 1}, stages.get(0));
        assertArrayEquals(new int[] {14, 14, 16}, stages.get(1));
        assertArrayEquals(new int[] {7, 7, 8}, stages.get(2));
        AutoencoderSpec spec = b.build();
        assertTrue(spec.name().contains("16@3x3+pool2x2, 8@3x3+pool2x2"), spec.name());
        assertTrue(!spec.bottleneck().isDense());
        assertEquals("mse", spec.loss().name());
    }

    @Test
    void givenImpossibleSettings_whenBuilding_thenClearErrors() {
        IllegalArgumentException valid = assertThrows(IllegalArgumentException.class,
                () -> ConvAutoencoder.builder(4, 4, 1).kernel(5, 5).samePadding(false).build());
        assertTrue(valid.getMessage().contains("5x5 VALID"), valid.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConvAutoencoder.builder(4, 4, 1).filters());
        assertThrows(IllegalArgumentException.class, () -> ConvAutoencoder.builder(0, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> ConvBlock.of(8).withActivation(Activation.SOFTMAX));
        IllegalArgumentException wide = assertThrows(IllegalArgumentException.class,
                () -> ConvAutoencoder.builder(8, 8, 1).filters(32).build().buildGraph(
                        new org.nd4j.linalg.learning.config.Adam(1e-3), 1));
        assertTrue(wide.getMessage().contains("not smaller than the input"), wide.getMessage());
    }

    @Test
    void givenValidPaddingBlocks_whenBuilt_thenDecoderPadsBackToTheInputSize() {
        AutoencoderSpec spec = ConvAutoencoder.builder(28, 28, 1).samePadding(false).build();
        ConvAutoencoder.Builder b = ConvAutoencoder.builder(28, 28, 1).samePadding(false);
        assertArrayEquals(new int[] {13, 13, 16}, b.stageShapes().get(1));   // (28-3+1)/2
        assertArrayEquals(new int[] {6, 6, 8}, b.stageShapes().get(2));      // ceil((13-3+1)/2)
        INDArray x = TestImages.smooth(4, 28, 28, 1, 5);
        Autoencoder m = Autoencoder.fit(spec, x, quick(1));
        assertArrayEquals(x.shape(), m.reconstruct(x).shape());
        assertEquals(DataType.FLOAT, m.reconstruct(x).dataType());
    }
}
