package io.github.ae4j.examples;

import io.github.ae4j.anomaly.metrics.Metrics;
import io.github.ae4j.conv.ConvAutoencoder;
import io.github.ae4j.conv.image.AnomalyMaps;
import io.github.ae4j.conv.image.ImageGrid;
import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.AutoencoderSpec;
import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.TrainingListener;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Example 2: a convolutional autoencoder on MNIST. It is trained on one digit only and then sees
 * the 1,000 held-out test digits: the other nine digits are the anomalies. Writes originals and
 * their reconstructions ({@code reconstructions.png}), per-pixel anomaly maps of the most anomalous
 * test images ({@code anomaly-maps.png}: original | reconstruction | error heat map) and the model
 * ({@code model.ae4j}), and prints the AUROC next to a PCA baseline with as many components as the
 * latent size.
 *
 * <pre>java -cp ae-examples/target/ae-examples-0.1.0-SNAPSHOT.jar io.github.ae4j.examples.ConvImagesExample [--out DIR] [--smoke]</pre>
 */
public final class ConvImagesExample {

    /** The digit the model learns (the normal class). */
    public static final int NORMAL_DIGIT = 2;
    /** Latent units of the model. */
    public static final int LATENT = 8;

    private ConvImagesExample() {
    }

    /**
     * What the example measured.
     *
     * @param auroc      AUROC of the model's reconstruction error (its loss, binary cross-entropy)
     * @param aurocMse   AUROC of the mean squared pixel error of its reconstructions
     * @param pcaAuroc   AUROC of the PCA reconstruction error (mean squared pixel error) with
     *                   {@code latent} components
     * @param latent     the latent size
     * @param trainRows  training images
     * @param testRows   test images
     * @param anomalies  test images of other digits
     * @param seconds    training time
     * @param model      the trained model
     */
    public record Result(double auroc, double aurocMse, double pcaAuroc, int latent, int trainRows, int testRows,
                         int anomalies, double seconds, Autoencoder model) {
    }

    /**
     * Runs the example.
     *
     * @param args {@code [--out DIR] [--smoke]}
     * @throws IOException when the pictures cannot be written
     */
    public static void main(String[] args) throws IOException {
        ExampleArgs a = ExampleArgs.parse(args, "conv-images");
        run(a.out(), a.smoke(), System.out, ExampleArgs.progress());
    }

    /**
     * Trains, evaluates, writes the pictures and prints a report.
     *
     * @param out       the folder for the pictures and the model
     * @param smoke     tiny and fast (200 images, 2 epochs)
     * @param report    where the report goes
     * @param listeners training progress listeners
     * @return the measurements
     * @throws IOException when a file cannot be written
     */
    public static Result run(Path out, boolean smoke, PrintStream report, TrainingListener... listeners)
            throws IOException {
        Files.createDirectories(out);
        BundledData.Mnist trainSet = BundledData.mnist(true, 6000);
        BundledData.Mnist testSet = BundledData.mnist(false, 1000);
        int[] normal = IntStream.range(0, trainSet.digits().length).filter(i -> trainSet.digits()[i] == NORMAL_DIGIT)
                .limit(smoke ? 200 : Integer.MAX_VALUE).toArray();
        INDArray train = Nd4j.pullRows(trainSet.x(), 1, normal);
        INDArray test = testSet.x();
        int[] labels = Arrays.stream(testSet.digits()).map(d -> d == NORMAL_DIGIT ? 0 : 1).toArray();

        // pixels scaled to [0, 1] (SCALE) with a sigmoid output and binary cross-entropy
        AutoencoderSpec spec = ConvAutoencoder.builder(28, 28, 1).filters(32, 16).denseBottleneck(LATENT)
                .lossFor(Normalization.SCALE).build();
        TrainingConfig tc = ConvAutoencoder.trainingDefaults().withEpochs(smoke ? 2 : 25).withBatchSize(32)
                .withPatience(5);
        long t0 = System.nanoTime();
        Autoencoder m = Autoencoder.fit(spec, train, tc, listeners);
        double secs = (System.nanoTime() - t0) / 1e9;

        double[] scores = m.reconstructionError(test).toDoubleVector();
        INDArray rec = m.reconstruct(test);
        double[] mse = meanSquared(rec, test);
        double[] pca = pcaScores(train, test, m.latentSize());
        Result r = new Result(Metrics.auroc(scores, labels), Metrics.auroc(mse, labels), Metrics.auroc(pca, labels),
                m.latentSize(), normal.length, labels.length, Arrays.stream(labels).sum(), secs, m);

        report.printf("MNIST: trained on %d images of digit %d (%.1f s, %d epochs, %s)%n", r.trainRows(), NORMAL_DIGIT,
                secs, m.info().history().size(), spec.name());
        report.printf("test images %d, %d of other digits (the anomalies)%n", r.testRows(), r.anomalies());
        report.printf("autoencoder AUROC: %.3f by its loss (binary cross-entropy), %.3f by mean squared pixel error%n",
                r.auroc(), r.aurocMse());
        report.printf("PCA (%d components) baseline AUROC: %.3f%n", r.latent(), r.pcaAuroc());

        writePictures(out, m, test, rec, scores, labels);
        m.save(out.resolve("model.ae4j"));
        report.println("pictures and model written to " + out.toAbsolutePath());
        return r;
    }

    private static void writePictures(Path out, Autoencoder m, INDArray test, INDArray rec, double[] scores,
                                      int[] labels) throws IOException {
        // 8 normal and 8 anomalous test images: originals on top, reconstructions below
        int[] normal = IntStream.range(0, labels.length).filter(i -> labels[i] == 0).limit(8).toArray();
        int[] other = IntStream.range(0, labels.length).filter(i -> labels[i] == 1).limit(8).toArray();
        int[] shown = IntStream.concat(Arrays.stream(normal), Arrays.stream(other)).toArray();
        INDArray grid = Nd4j.vstack(Nd4j.pullRows(test, 1, shown), Nd4j.pullRows(rec, 1, shown));
        ImageGrid.write(out.resolve("reconstructions.png"), grid, 28, 28, 1, shown.length, 0, 255, 2);

        // the 8 most anomalous test images, with per-pixel error maps
        int[] top = IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> scores[i]).reversed())
                .limit(8).mapToInt(Integer::intValue).toArray();
        INDArray x = Nd4j.pullRows(test, 1, top);
        AnomalyMaps.write(out.resolve("anomaly-maps.png"), x, Nd4j.pullRows(rec, 1, top), AnomalyMaps.errorMaps(m, x),
                28, 28, 1, 0, 255);
    }

    /** Mean squared error per row, in [0, 1] pixel units. */
    private static double[] meanSquared(INDArray a, INDArray b) {
        INDArray d = a.sub(b).divi(255);
        return d.muli(d).mean(1).castTo(DataType.DOUBLE).toDoubleVector();
    }

    /** PCA reconstruction error with k components, fitted on the training images (pixels in [0, 1]). */
    static double[] pcaScores(INDArray train, INDArray test, int k) {
        INDArray tr = train.castTo(DataType.DOUBLE).div(255);
        INDArray mean = tr.mean(0).reshape(1, tr.size(1));
        INDArray v = org.nd4j.linalg.dimensionalityreduction.PCA.pca_factor(tr.subRowVector(mean).dup('f'), k, false);
        INDArray t = test.castTo(DataType.DOUBLE).div(255).subRowVector(mean);
        INDArray d = t.mmul(v).mmul(v.transpose()).subi(t);
        return d.muli(d).mean(1).toDoubleVector();
    }
}
