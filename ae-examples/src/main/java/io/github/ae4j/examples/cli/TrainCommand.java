package io.github.ae4j.examples.cli;

import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.anomaly.DetectorConfig;
import io.github.ae4j.anomaly.threshold.ThresholdStrategy;
import io.github.ae4j.anomaly.threshold.Thresholds;
import io.github.ae4j.core.ModelSpec;
import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.TrainingListener;
import io.github.ae4j.dense.DenseAutoencoder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ae4j train}: trains a detector on normal data and saves it as one file. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train an anomaly detector (autoencoder + calibrated threshold) on normal data.",
                "With only --data and --out: an architecture sized from the data, early stopping on a"
                        + " validation split, for tables an ensemble of 3 scored by the standardised error plus a"
                        + " latent term, and a percentile:99 threshold calibrated on out-of-fold scores of every"
                        + " row (images: one model, held-out rows).",
                "With --label-column, rows labelled 1 (anomalies) are left out of training."})
final class TrainCommand implements Callable<Integer> {

    @ParentCommand
    Ae4jCli cli;

    @Option(names = "--data", required = true, paramLabel = "FILE",
            description = "CSV (.csv, .csv.gz), a folder of PNG/JPEG images, or an IDX file.")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "MODEL", description = "Where to save the detector.")
    Path out;

    @Option(names = "--label-column", paramLabel = "COL", description = "Label column (name or 0-based index): 1/true = anomaly.")
    String labelColumn;

    @Option(names = "--id-column", paramLabel = "COL", description = "Id column (name or 0-based index), never a feature.")
    String idColumn;

    @Option(names = "--arch", paramLabel = "dense|conv|vae", description = "Architecture (default: conv for images, dense otherwise).")
    String arch;

    @Option(names = "--image", paramLabel = "HxWxC", description = "CSV rows are flattened images of this shape; for a folder, the size to resize to.")
    String image;

    @Option(names = "--latent", paramLabel = "N", description = "Bottleneck size (default: derived from the data).")
    Integer latent;

    @Option(names = "--hidden", paramLabel = "N,N,..", split = ",", description = "Hidden layer sizes of the encoder (dense, vae).")
    int[] hidden;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "100", description = "Maximum epochs (default ${DEFAULT-VALUE}; early stopping usually ends sooner).")
    int epochs;

    @Option(names = "--batch", paramLabel = "N", description = "Mini-batch size (default 64, 256 from 2,000 rows on, 128 for images).")
    Integer batch;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--normalize", paramLabel = "standard|minmax|scale|none",
            description = "Feature scaling fitted on the training data (default: standard; scale for images).")
    String normalize;

    @Option(names = "--threshold", paramLabel = "SPEC", defaultValue = "percentile:99",
            description = "Threshold: percentile:99, contamination:0.05, zscore:3, mad:3.5, iqr:1.5, pot:0.001, fixed:0.25, f1 (needs --label-column). Default ${DEFAULT-VALUE}.")
    String threshold;

    @Option(names = "--learning-rate", paramLabel = "LR", defaultValue = "3e-3", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--patience", paramLabel = "N", defaultValue = "8", description = "Early-stopping patience in epochs (default ${DEFAULT-VALUE}; 0 = off).")
    int patience;

    @Override
    public Integer call() throws Exception {
        ThresholdStrategy strategy = Thresholds.parse(threshold);
        if (strategy.requiresLabels() && labelColumn == null) {
            throw new UsageException("--threshold " + threshold + " needs --label-column");
        }
        Dataset d = Dataset.load(data, labelColumn, idColumn, image, null, null);
        Normalization norm = normalize == null ? Architectures.defaultNormalization(d) : Normalization.parse(normalize);
        String a = arch == null ? Architectures.defaultArch(d) : arch;
        ModelSpec spec = Architectures.build(a, d, latent, hidden, norm);

        INDArray normal = d.x();
        INDArray anomalies = null;
        if (d.labels() != null) {
            int[] n = indices(d.labels(), 0);
            int[] p = indices(d.labels(), 1);
            if (n.length == 0) {
                throw new UsageException(data + ": every row is labelled an anomaly; train on normal data (label 0)");
            }
            normal = Nd4j.pullRows(d.x(), 1, n);
            anomalies = p.length == 0 ? null : Nd4j.pullRows(d.x(), 1, p);
            if (!cli.quiet) {
                cli.err.printf("%s: %,d normal rows for training and calibration, %,d labelled anomalies left out%n",
                        data, n.length, p.length);
            }
        }
        TrainingConfig tc = TrainingConfig.defaults().withEpochs(epochs).withUpdater(new Adam(learningRate))
                .withBatchSize(batch != null ? batch : d.isImage() ? 128 : DenseAutoencoder.defaultBatchSize(normal.size(0)))
                .withSeed(seed).withNormalization(norm).withPatience(patience);
        DetectorConfig dc = (d.isImage() ? DetectorConfig.imageDefaults() : DetectorConfig.defaults()).withTraining(tc)
                .withThreshold(strategy.requiresLabels() ? Thresholds.parse("percentile:99") : strategy);
        TrainingListener[] ls = Progress.listeners(cli);
        if (!cli.quiet) {
            cli.err.println("architecture: " + spec.describe().get("name"));
        }
        AnomalyDetector det = AnomalyDetector.fit(spec, normal, dc, ls);
        det = Models.tag(det, d);
        if (strategy.requiresLabels()) {
            if (anomalies == null) {
                throw new UsageException("--threshold " + threshold + " needs labelled anomalies (label 1) in " + data);
            }
            double[] cal = det.calibrationScores();
            double[] an = det.score(anomalies);
            double[] s = Arrays.copyOf(cal, cal.length + an.length);
            System.arraycopy(an, 0, s, cal.length, an.length);
            int[] y = new int[s.length];
            Arrays.fill(y, cal.length, y.length, 1);
            det = det.recalibrate(strategy, s, y);
        }
        det.save(out);
        cli.out.printf("saved %s: %s, input %d, latent %d, threshold %.6g (%s), calibrated on %d scores (%s)%n",
                out, det.model().info().spec().get("name"), det.model().inputSize(), det.model().latentSize(),
                det.threshold().value(), det.threshold().spec(), det.calibrationScores().length, det.calibration());
        return 0;
    }

    static int[] indices(int[] labels, int want) {
        return java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] == want).toArray();
    }
}
