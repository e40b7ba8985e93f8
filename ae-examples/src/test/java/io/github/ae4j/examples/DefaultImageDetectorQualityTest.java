package io.github.ae4j.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.anomaly.StandardizedScorer;
import io.github.ae4j.anomaly.metrics.Metrics;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The default image detector ({@code ae4j train --arch conv --image 28x28x1} with no other option) on
 * the MNIST subset shipped in the project, one-class: trained on the subset's images of digit 0,
 * tested on the 1,000 bundled test images (other digits = anomalies). Floors are the baselines of
 * {@code anomaly_eval.py} computed here on the same split (pixels scaled to [0, 1], standardised):
 * kNN (mean distance to the 5 nearest training images), PCA (90% of the variance), a random scorer.
 */
class DefaultImageDetectorQualityTest {

    @Test
    void givenMnistDigitZero_whenDefaultImageDetectorScores_thenAurocAtLeastKnnAndAbovePcaAndRandom() {
        BundledData.Mnist trainSet = BundledData.mnist(true, 6000);
        BundledData.Mnist testSet = BundledData.mnist(false, 1000);
        int[] zeros = IntStream.range(0, trainSet.digits().length).filter(i -> trainSet.digits()[i] == 0).toArray();
        INDArray train = Nd4j.pullRows(trainSet.x(), 1, zeros);
        INDArray test = testSet.x();
        int[] labels = Arrays.stream(testSet.digits()).map(d -> d == 0 ? 0 : 1).toArray();

        AnomalyDetector det = AnomalyDetector.fit(ImageQualityBenchmark.defaultSpec(28, 28, 1), train,
                ImageQualityBenchmark.defaultConfig(0));
        double ae = Metrics.auroc(det.score(test), labels);
        Baselines.Scores b = Baselines.compute(unit(train), unit(test), 0, false);
        double knn = Metrics.auroc(b.knn(), labels);
        double pca = Metrics.auroc(b.pca(), labels);
        double rnd = Metrics.auroc(new Random(3).doubles(labels.length).toArray(), labels);
        String msg = String.format("digit 0, %d training images: ae4j %.4f, kNN %.4f, PCA %.4f, random %.4f",
                zeros.length, ae, knn, pca, rnd);
        System.err.println(msg);
        assertTrue(det.scorer() instanceof StandardizedScorer, "the image default is the standardised score");
        assertTrue(ae >= knn, msg);
        assertTrue(ae >= pca, msg);
        assertTrue(ae > rnd + 0.3, msg);
    }

    private static double[][] unit(INDArray pixels) {
        return pixels.castTo(DataType.DOUBLE).div(255.0).toDoubleMatrix();
    }
}
