package io.github.ae4j.variational;

import io.github.ae4j.core.data.Idx;
import io.github.ae4j.core.testing.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The bundled MNIST subsets (6,000 training and 1,000 test digits), read with ae-core's IDX reader. */
final class Mnist {

    final INDArray trainX;
    final int[] trainY;
    final INDArray testX;
    final int[] testY;

    private Mnist(INDArray trainX, int[] trainY, INDArray testX, int[] testY) {
        this.trainX = trainX;
        this.trainY = trainY;
        this.testX = testX;
        this.testY = testY;
    }

    static Mnist load() {
        try {
            Path dir = Files.createTempDirectory("ae4j-mnist");
            Mnist m = new Mnist(
                    Idx.readImages(TestData.copy("mnist-train-6000-images-idx3-ubyte.gz", dir), 6000).pixels(),
                    Idx.readLabels(TestData.copy("mnist-train-6000-labels-idx1-ubyte.gz", dir), 6000),
                    Idx.readImages(TestData.copy("mnist-test-1000-images-idx3-ubyte.gz", dir), 1000).pixels(),
                    Idx.readLabels(TestData.copy("mnist-test-1000-labels-idx1-ubyte.gz", dir), 1000));
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rows of {@code x} whose label is {@code digit}. */
    static INDArray where(INDArray x, int[] labels, int digit) {
        int[] idx = java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] == digit).toArray();
        return Nd4j.pullRows(x, 1, idx);
    }
}
