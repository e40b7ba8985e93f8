package io.github.ae4j.examples;

import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.anomaly.DetectorConfig;
import io.github.ae4j.anomaly.metrics.Confusion;
import io.github.ae4j.anomaly.metrics.Metrics;
import io.github.ae4j.conv.ConvArchitecture;
import io.github.ae4j.core.ModelSpec;
import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.data.DataKind;
import io.github.ae4j.core.data.Idx;
import io.github.ae4j.core.plugin.ArchitectureRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The image part of the detection-quality benchmark of issue 14: MNIST one-class. For each chosen
 * digit, the default image detector ({@code ae4j train --arch conv --image 28x28x1} with no other
 * option) trains on up to N training images of that digit (a seeded random choice) and scores the
 * test images, the other digits being the anomalies; PCA (90% of the variance) and kNN (mean distance
 * to the 5 nearest training rows) run on the same split with pixels scaled to [0, 1] and standardised,
 * as {@code anomaly_eval.py} defines them. Prints one table: digit, ae4j, PCA, kNN, false alarms of
 * the default threshold on the test normals, recall at the default threshold and at the oracle
 * threshold with the same false-alarm rate, training seconds.
 *
 * <pre>
 * java -cp ae-examples/target/ae-examples-VERSION.jar io.github.ae4j.examples.ImageQualityBenchmark \
 *     MNIST_DIR [--digits 0,1,...,9] [--train 3000] [--test 10000] [--seed 0] [--legacy]
 * </pre>
 * {@code MNIST_DIR} holds the four IDX files ({@code train-images-idx3-ubyte[.gz]} ...). {@code --legacy}
 * measures ae4j 0.1's image defaults instead (the convolutional bottleneck, reconstruction error, 100
 * epochs).
 */
public final class ImageQualityBenchmark {

    private ImageQualityBenchmark() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args MNIST_DIR and options
     * @throws IOException on I/O failure
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: ImageQualityBenchmark MNIST_DIR [--digits 0,1] [--train N] [--test N]"
                    + " [--seed S] [--legacy]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int[] digits = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        int nTrain = 3000;
        int nTest = 10000;
        int seed = 0;
        boolean legacy = false;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--digits" -> digits = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--train" -> nTrain = Integer.parseInt(args[++i]);
                case "--test" -> nTest = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Integer.parseInt(args[++i]);
                case "--legacy" -> legacy = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Idx.Images trainImages = Idx.readImages(idx(dir, "train-images-idx3-ubyte"), Integer.MAX_VALUE);
        int[] trainDigits = Idx.readLabels(idx(dir, "train-labels-idx1-ubyte"), Integer.MAX_VALUE);
        Idx.Images testImages = Idx.readImages(idx(dir, "t10k-images-idx3-ubyte"), nTest);
        int[] testDigits = Idx.readLabels(idx(dir, "t10k-labels-idx1-ubyte"), nTest);
        INDArray test = testImages.pixels();
        double[][] testScaled = scaled(test);
        PrintStream out = System.out;
        out.println("| digit | ae4j | PCA | kNN | false alarms @thr | recall @thr | oracle recall | train s |");
        out.println("|---|---|---|---|---|---|---|---|");
        double[] mean = new double[7];
        for (int digit : digits) {
            final int dg = digit;
            List<Integer> pool = new ArrayList<>();
            for (int i = 0; i < trainDigits.length; i++) {
                if (trainDigits[i] == dg) {
                    pool.add(i);
                }
            }
            java.util.Collections.shuffle(pool, new Random(seed));
            int[] pick = pool.stream().limit(nTrain).mapToInt(Integer::intValue).sorted().toArray();
            INDArray train = Nd4j.pullRows(trainImages.pixels(), 1, pick);
            int[] y = Arrays.stream(testDigits).map(d -> d == dg ? 0 : 1).toArray();
            long t0 = System.nanoTime();
            AnomalyDetector det = legacy
                    ? AnomalyDetector.fit(legacySpec(), train, DetectorConfig.legacy().withTraining(
                            training(seed).withEpochs(100)))
                    : AnomalyDetector.fit(defaultSpec(28, 28, 1), train, defaultConfig(seed));
            double secs = (System.nanoTime() - t0) / 1e9;
            double[] s = det.score(test);
            Baselines.Scores b = Baselines.compute(scaled(train), testScaled, seed, false);
            Confusion atThreshold = Metrics.confusion(s, y, det.threshold().value());
            double[] r = {Metrics.auroc(s, y), Metrics.auroc(b.pca(), y), Metrics.auroc(b.knn(), y),
                atThreshold.falsePositiveRate(), atThreshold.recall(),
                QualityBenchmark.oracleRecall(s, y, atThreshold), secs};
            for (int c = 0; c < r.length; c++) {
                mean[c] += r[c] / digits.length;
            }
            out.println(row(String.valueOf(digit), r, false));
            out.flush();
        }
        out.println(row("**mean**", mean, true));
    }

    private static String row(String name, double[] r, boolean bold) {
        String f = bold ? "**%.3f**" : "%.3f";
        return String.format(Locale.ROOT, "| %s | " + f + " | " + f + " | " + f + " | %.2f%% | %.3f | %.3f | %.0f |",
                name, r[0], r[1], r[2], 100 * r[3], r[4], r[5], r[6]);
    }

    /**
     * The model {@code ae4j train --arch conv} builds for images of this shape with no other option.
     *
     * @param h height
     * @param w width
     * @param c channels
     * @return the spec
     */
    static ModelSpec defaultSpec(int h, int w, int c) {
        return new ConvArchitecture().build(new ArchitectureRequest(DataKind.image(h, w, c), h * w * c,
                Normalization.SCALE, Map.of()));
    }

    /** ae4j 0.1's image model: the convolutional bottleneck. */
    private static ModelSpec legacySpec() {
        return new ConvArchitecture().build(new ArchitectureRequest(DataKind.image(28, 28, 1), 784,
                Normalization.SCALE, Map.of("bottleneck", "conv")));
    }

    /**
     * The detector settings of {@code ae4j train} for images with no other option.
     *
     * @param seed the seed
     * @return the settings
     */
    static DetectorConfig defaultConfig(int seed) {
        return DetectorConfig.imageDefaults().withTraining(training(seed));
    }

    private static TrainingConfig training(int seed) {
        return TrainingConfig.defaults().withEpochs(30).withUpdater(new Adam(3e-3)).withBatchSize(128)
                .withSeed(seed).withNormalization(Normalization.SCALE).withPatience(8);
    }

    private static Path idx(Path dir, String name) {
        Path p = dir.resolve(name);
        return java.nio.file.Files.exists(p) ? p : dir.resolve(name + ".gz");
    }

    private static double[][] scaled(INDArray pixels) {
        return pixels.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).div(255.0).toDoubleMatrix();
    }
}
