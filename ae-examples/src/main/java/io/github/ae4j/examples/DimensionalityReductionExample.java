package io.github.ae4j.examples;

import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.dense.DenseAutoencoder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dimensionalityreduction.PCA;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Example 4: dimensionality reduction. A dense autoencoder with a 2-unit bottleneck and PCA both map
 * the UCI digits to 2-D; the two maps are plotted side by side, and how well the digits separate
 * in each map is measured by the held-out accuracy of a 5-nearest-neighbour classifier in 2-D.
 *
 * <pre>java -cp ae-examples/target/ae-examples-0.1.0-SNAPSHOT.jar io.github.ae4j.examples.DimensionalityReductionExample [--out DIR] [--smoke]</pre>
 */
public final class DimensionalityReductionExample {

    private DimensionalityReductionExample() {
    }

    /**
     * Runs the example.
     *
     * @param args {@code [--out DIR] [--smoke]}
     * @throws IOException when the pictures cannot be written
     */
    public static void main(String[] args) throws IOException {
        ExampleArgs a = ExampleArgs.parse(args, "dimensionality-reduction");
        Files.createDirectories(a.out());
        BundledData.Digits d = BundledData.digits();
        int n = a.smoke() ? 400 : d.digits().length;
        int nTrain = (int) (n * 0.75);
        INDArray train = d.x().get(NDArrayIndex.interval(0, nTrain), NDArrayIndex.all());
        INDArray test = d.x().get(NDArrayIndex.interval(nTrain, n), NDArrayIndex.all());
        int[] yTrain = Arrays.copyOfRange(d.digits(), 0, nTrain);
        int[] yTest = Arrays.copyOfRange(d.digits(), nTrain, n);

        Autoencoder ae = Autoencoder.fit(DenseAutoencoder.builder(64).hidden(128, 64, 32).latent(2).build(), train,
                TrainingConfig.defaults().withEpochs(a.smoke() ? 2 : 300).withPatience(20).withBatchSize(32)
                        .withUpdater(new Adam(3e-3)).withNormalization(Normalization.SCALE));
        double[][] aeTrain = ae.encode(train).castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] aeTest = ae.encode(test).castTo(DataType.DOUBLE).toDoubleMatrix();

        INDArray tr = train.castTo(DataType.DOUBLE).div(16.0);
        INDArray mean = tr.mean(0).reshape(1, 64);
        INDArray v = PCA.pca_factor(tr.subRowVector(mean).dup('f'), 2, false);
        double[][] pcaTrain = tr.subRowVector(mean).mmul(v).toDoubleMatrix();
        double[][] pcaTest = test.castTo(DataType.DOUBLE).div(16.0).subRowVector(mean).mmul(v).toDoubleMatrix();

        double accAe = knnAccuracy(aeTrain, yTrain, aeTest, yTest, 5);
        double accPca = knnAccuracy(pcaTrain, yTrain, pcaTest, yTest, 5);
        String[] names = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
        Path aePng = a.out().resolve("autoencoder-2d.png");
        Path pcaPng = a.out().resolve("pca-2d.png");
        Plots.scatter(aePng, String.format("Autoencoder 2-D codes (5-NN accuracy %.2f)", accAe), aeTest, yTest, names);
        Plots.scatter(pcaPng, String.format("PCA 2-D projection (5-NN accuracy %.2f)", accPca), pcaTest, yTest, names);
        sideBySide(aePng, pcaPng, a.out().resolve("autoencoder-vs-pca.png"));
        System.out.printf("UCI digits in 2-D, %d held-out rows: 5-NN accuracy autoencoder %.3f, PCA %.3f%n",
                yTest.length, accAe, accPca);
        System.out.println("pictures written to " + a.out().toAbsolutePath());
    }

    /** Held-out accuracy of a k-nearest-neighbour vote in the 2-D map. */
    static double knnAccuracy(double[][] train, int[] yTrain, double[][] test, int[] yTest, int k) {
        int correct = 0;
        for (int i = 0; i < test.length; i++) {
            double[] dist = new double[train.length];
            Integer[] idx = new Integer[train.length];
            for (int j = 0; j < train.length; j++) {
                double dx = train[j][0] - test[i][0];
                double dy = train[j][1] - test[i][1];
                dist[j] = dx * dx + dy * dy;
                idx[j] = j;
            }
            Arrays.sort(idx, (p, q) -> Double.compare(dist[p], dist[q]));
            int[] votes = new int[10];
            for (int j = 0; j < k; j++) {
                votes[yTrain[idx[j]]]++;
            }
            int best = 0;
            for (int c = 1; c < 10; c++) {
                if (votes[c] > votes[best]) {
                    best = c;
                }
            }
            correct += best == yTest[i] ? 1 : 0;
        }
        return (double) correct / test.length;
    }

    private static void sideBySide(Path left, Path right, Path out) throws IOException {
        BufferedImage l = ImageIO.read(left.toFile());
        BufferedImage r = ImageIO.read(right.toFile());
        BufferedImage both = new BufferedImage(l.getWidth() + r.getWidth(), Math.max(l.getHeight(), r.getHeight()),
                BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = both.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, both.getWidth(), both.getHeight());
        g.drawImage(l, 0, 0, null);
        g.drawImage(r, l.getWidth(), 0, null);
        g.dispose();
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        ImageIO.write(both, "png", bos);
        io.github.ae4j.core.io.AtomicFiles.write(out, o -> o.write(bos.toByteArray()));
    }
}
