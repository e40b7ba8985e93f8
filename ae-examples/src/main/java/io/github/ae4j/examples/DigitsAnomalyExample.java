package io.github.ae4j.examples;

import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.anomaly.DetectorConfig;
import io.github.ae4j.anomaly.metrics.BestF1;
import io.github.ae4j.anomaly.metrics.Confusion;
import io.github.ae4j.anomaly.metrics.Metrics;
import io.github.ae4j.conv.image.ImageGrid;
import io.github.ae4j.core.AutoencoderSpec;
import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.ReconstructionLosses;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.TrainingListener;
import io.github.ae4j.dense.DenseAutoencoder;
import io.github.ae4j.dense.Projection;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Example 1: anomaly detection with a dense autoencoder on the UCI 8x8 digits. The detector is
 * trained on nine digits; the tenth is the anomaly. Reports AUROC, AUPRC and F1 at the calibrated
 * threshold next to a PCA baseline, and writes the best and worst reconstructions, the score
 * histogram, the ROC curves and the 2-D latent space as PNG files. {@code ae4j demo} runs this.
 *
 * <pre>java -cp ae-examples/target/ae-examples-0.1.0-SNAPSHOT.jar io.github.ae4j.examples.DigitsAnomalyExample [--out DIR] [--smoke]</pre>
 */
public final class DigitsAnomalyExample {

    /** The digit treated as the anomaly. */
    public static final int ANOMALY_DIGIT = 0;

    private DigitsAnomalyExample() {
    }

    /**
     * What the example measured.
     *
     * @param auroc        detector AUROC on the test rows
     * @param auprc        detector AUPRC
     * @param f1           F1 at the calibrated threshold
     * @param precision    precision at the threshold
     * @param recall       recall at the threshold
     * @param pcaAuroc     AUROC of the PCA reconstruction-error baseline with as many components as the latent size
     * @param latent       the latent size
     * @param testRows     rows evaluated
     * @param anomalies    anomalous rows among them
     * @param detector     the trained detector
     */
    public record Result(double auroc, double auprc, double f1, double precision, double recall, double pcaAuroc,
                         int latent, int testRows, int anomalies, AnomalyDetector detector) {
    }

    /**
     * Runs the example.
     *
     * @param args {@code [--out DIR] [--smoke]}
     * @throws IOException when the pictures cannot be written
     */
    public static void main(String[] args) throws IOException {
        ExampleArgs a = ExampleArgs.parse(args, "digits-anomaly");
        run(a.out(), a.smoke(), System.out, ExampleArgs.progress());
    }

    /**
     * Trains, evaluates, writes the pictures and prints a report.
     *
     * @param out       the folder for the pictures
     * @param smoke     tiny and fast
     * @param report    where the report goes
     * @param listeners training progress listeners
     * @return the measurements
     * @throws IOException when the pictures cannot be written
     */
    public static Result run(Path out, boolean smoke, PrintStream report, TrainingListener... listeners)
            throws IOException {
        Files.createDirectories(out);
        BundledData.Digits d = BundledData.digits();
        int n = d.digits().length;
        // fixed split: 70% of the normal rows train (the detector holds out its own calibration rows);
        // the other normal rows and every anomaly-digit row are the test set
        int[] order = IntStream.range(0, n).boxed()
                .sorted(Comparator.comparingInt(i -> Integer.hashCode(i * 0x9E3779B1))).mapToInt(Integer::intValue).toArray();
        int[] normal = Arrays.stream(order).filter(i -> d.digits()[i] != ANOMALY_DIGIT).toArray();
        int[] anomalous = Arrays.stream(order).filter(i -> d.digits()[i] == ANOMALY_DIGIT).toArray();
        int nTrain = (int) (normal.length * 0.7);
        int[] trainIdx = Arrays.copyOf(normal, smoke ? 300 : nTrain);
        int[] testIdx = concat(Arrays.copyOfRange(normal, nTrain, normal.length), anomalous);
        INDArray train = Nd4j.pullRows(d.x(), 1, trainIdx);
        INDArray test = Nd4j.pullRows(d.x(), 1, testIdx);
        int[] labels = Arrays.stream(testIdx).map(i -> d.digits()[i] == ANOMALY_DIGIT ? 1 : 0).toArray();

        // pixels: scaled to [0, 1] and reconstructed through a sigmoid with binary cross-entropy
        AutoencoderSpec spec = DenseAutoencoder.defaults(64).loss(ReconstructionLosses.binaryCrossEntropy()).build();
        TrainingConfig tc = TrainingConfig.defaults().withEpochs(smoke ? 2 : 150).withPatience(10).withBatchSize(32)
                .withUpdater(new Adam(3e-3)).withNormalization(Normalization.SCALE);
        long t0 = System.nanoTime();
        // pixels get the image defaults: one model, the standardised score (per-pixel errors and the latent
        // term), a hold-out calibration split
        AnomalyDetector det = AnomalyDetector.fit(spec, train, DetectorConfig.imageDefaults().withTraining(tc),
                listeners);
        double secs = (System.nanoTime() - t0) / 1e9;

        double[] scores = det.score(test);
        Confusion c = Metrics.confusion(scores, labels, det.threshold().value());
        BestF1 best = Metrics.bestF1(scores, labels);
        int latent = det.model().latentSize();
        double[] pca = pcaScores(train, test, latent);
        Result r = new Result(Metrics.auroc(scores, labels), Metrics.auprc(scores, labels), c.f1(), c.precision(),
                c.recall(), Metrics.auroc(pca, labels), latent, labels.length, Arrays.stream(labels).sum(), det);

        report.printf("UCI digits: trained on digits 1-9 (%d rows, %.1f s, %s), digit %d is the anomaly%n",
                trainIdx.length, secs, spec.name(), ANOMALY_DIGIT);
        report.printf("test rows %d (%d anomalies); threshold %.4f (%s)%n", r.testRows(), r.anomalies(),
                det.threshold().value(), det.threshold().spec());
        report.printf("autoencoder: AUROC %.3f  AUPRC %.3f; at the threshold: precision %.3f  recall %.3f  F1 %.3f"
                + " (best F1 over all thresholds %.3f)%n", r.auroc(), r.auprc(), r.precision(), r.recall(), r.f1(),
                best.f1());
        report.printf("PCA baseline (%d components, same scaled pixels): AUROC %.3f%n", latent, r.pcaAuroc());

        writePictures(out, det, test, labels, scores, pca, Arrays.stream(testIdx).map(i -> d.digits()[i]).toArray());
        report.println("pictures written to " + out.toAbsolutePath());
        return r;
    }

    private static void writePictures(Path out, AnomalyDetector det, INDArray test, int[] labels, double[] scores,
                                      double[] pca, int[] digits) throws IOException {
        Integer[] byScore = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
        Arrays.sort(byScore, Comparator.comparingDouble(i -> scores[i]));
        int k = Math.min(10, scores.length / 2);
        int[] best = Arrays.stream(byScore).limit(k).mapToInt(Integer::intValue).toArray();
        int[] worst = Arrays.stream(byScore).skip(scores.length - k).mapToInt(Integer::intValue).toArray();
        INDArray bestX = Nd4j.pullRows(test, 1, best);
        INDArray worstX = Nd4j.pullRows(test, 1, worst);
        INDArray grid = Nd4j.vstack(bestX, det.model().reconstruct(bestX), worstX, det.model().reconstruct(worstX));
        ImageGrid.write(out.resolve("reconstructions.png"), grid, 8, 8, 1, k, 0, 16, 6);
        Plots.scoreHistogram(out.resolve("scores.png"), "Anomaly score: digits 1-9 (normal) vs 0 (anomaly)",
                scores, labels, det.threshold().value());
        Map<String, double[]> curves = new LinkedHashMap<>();
        curves.put("autoencoder", scores);
        curves.put("PCA baseline", pca);
        Plots.roc(out.resolve("roc.png"), "ROC on held-out digits", curves, labels);
        double[][] xy = Projection.of(det.model(), test);
        Plots.scatter(out.resolve("latent.png"), "Latent space (2-D projection) of held-out digits", xy, digits,
                new String[] {"0 (anomaly)", "1", "2", "3", "4", "5", "6", "7", "8", "9"});
    }

    /** PCA reconstruction error on pixels scaled to [0, 1] like the autoencoder's input: the baseline. */
    static double[] pcaScores(INDArray train, INDArray test, int k) {
        INDArray tr = train.castTo(DataType.DOUBLE).div(16.0);
        INDArray mean = tr.mean(0).reshape(1, tr.size(1));
        INDArray z = tr.subRowVector(mean);
        // pca_factor hands its input to LAPACK as column-major
        INDArray v = org.nd4j.linalg.dimensionalityreduction.PCA.pca_factor(z.dup('f'), k, false);
        INDArray t = test.castTo(DataType.DOUBLE).div(16.0).subRowVector(mean);
        INDArray rec = t.mmul(v).mmul(v.transpose());
        INDArray d = rec.subi(t);
        return d.muli(d).mean(1).toDoubleVector();
    }

    private static int[] concat(int[] a, int[] b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
