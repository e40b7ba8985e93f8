package io.github.ae4j.conv;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.data.Idx;
import io.github.ae4j.core.testing.Pca;
import io.github.ae4j.core.testing.Ranks;
import io.github.ae4j.core.testing.TestData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.LoggerFactory;

/**
 * Quality floor on real data: a convolutional autoencoder trained on the MNIST images of one digit
 * (fixed here, before training: {@link #NORMAL_DIGIT}) separates held-out images of that digit from
 * the other nine better than PCA with as many components as the latent size, both scored by the mean
 * squared pixel error of their reconstructions, on the same images.
 */
class MnistQualityTest {

    /** The normal class. */
    static final int NORMAL_DIGIT = 2;
    static final int LATENT = 8;

    @TempDir
    Path dir;

    @Test
    void givenOneDigitClass_whenTrainingConvAutoencoder_thenSeparatesItFromOtherDigitsBetterThanPca()
            throws IOException {
        INDArray trainX = Idx.readImages(TestData.copy("mnist-train-6000-images-idx3-ubyte.gz", dir), 6000).pixels();
        int[] trainY = Idx.readLabels(TestData.copy("mnist-train-6000-labels-idx1-ubyte.gz", dir), 6000);
        INDArray testX = Idx.readImages(TestData.copy("mnist-test-1000-images-idx3-ubyte.gz", dir), 1000).pixels();
        int[] testY = Idx.readLabels(TestData.copy("mnist-test-1000-labels-idx1-ubyte.gz", dir), 1000);
        int[] normal = IntStream.range(0, trainY.length).filter(i -> trainY[i] == NORMAL_DIGIT).toArray();
        INDArray train = Nd4j.pullRows(trainX, 1, normal);            // ~580 images
        int[] anomaly = IntStream.of(testY).map(d -> d == NORMAL_DIGIT ? 0 : 1).toArray();

        Autoencoder m = Autoencoder.fit(ConvAutoencoder.builder(28, 28, 1).filters(32, 16).denseBottleneck(LATENT)
                        .lossFor(Normalization.SCALE).build(), train,
                ConvAutoencoder.trainingDefaults().withEpochs(20).withBatchSize(32).withValidationFraction(0)
                        .withSeed(42));
        double ae = Ranks.auroc(pixelMse(m.reconstruct(testX), testX), anomaly);
        double aeLoss = Ranks.auroc(m.reconstructionError(testX).toDoubleVector(), anomaly);
        double pca = Ranks.auroc(Pca.fit(train.div(255), m.latentSize()).rowErrors(testX.div(255)), anomaly);
        String report = String.format("digit %d vs rest, %d training images: conv AE AUROC %.4f (by its BCE loss %.4f),"
                + " PCA(k=%d) %.4f", NORMAL_DIGIT, normal.length, ae, aeLoss, m.latentSize(), pca);
        LoggerFactory.getLogger(MnistQualityTest.class).info(report);
        assertTrue(ae > pca, report);
    }

    private static double[] pixelMse(INDArray rec, INDArray x) {
        INDArray d = rec.sub(x).divi(255);
        return d.muli(d).mean(1).castTo(DataType.DOUBLE).toDoubleVector();
    }
}
