package io.github.ae4j.examples.cli;

import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.anomaly.DetectorConfig;
import io.github.ae4j.anomaly.Detectors;
import io.github.ae4j.anomaly.StreamedDetectors;
import io.github.ae4j.anomaly.threshold.ThresholdStrategy;
import io.github.ae4j.anomaly.threshold.Thresholds;
import io.github.ae4j.core.ModelSpec;
import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.ReconstructionLosses;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.data.CsvOptions;
import io.github.ae4j.core.data.CsvReader;
import io.github.ae4j.core.data.DataFiles;
import io.github.ae4j.core.data.DataKind;
import io.github.ae4j.core.data.Idx;
import io.github.ae4j.core.data.LoadedData;
import io.github.ae4j.core.data.TabularSchema;
import io.github.ae4j.core.plugin.ArchitectureOption;
import io.github.ae4j.core.plugin.ArchitectureProvider;
import io.github.ae4j.core.plugin.ArchitectureRequest;
import io.github.ae4j.core.plugin.Architectures;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ae4j train}: trains a detector on normal data and saves it as one file. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train an anomaly detector (autoencoder + calibrated threshold) on normal data.",
                "With only --data and --out: an architecture sized from the data, early stopping on a"
                        + " validation split, for tables an ensemble of 3 scored by the standardised error plus a"
                        + " latent term, and a percentile:99 threshold calibrated on out-of-fold scores of every"
                        + " row (images, streamed files: one model, held-out rows).",
                "With --label-column, rows labelled 1 (anomalies) are left out of training."})
final class TrainCommand implements Callable<Integer>, OptionChecks.Checked {

    @ParentCommand
    Ae4jCli cli;

    @Option(names = "--data", paramLabel = "FILE",
            description = "CSV (.csv, .csv.gz), a folder of PNG/JPEG images, or an IDX file.")
    Path data;

    @Option(names = "--out", paramLabel = "MODEL", description = "Where to save the detector (required, as is --data).")
    Path out;

    @Option(names = "--label-column", paramLabel = "COL", description = "Label column (name or 0-based index): 1/true = anomaly.")
    String labelColumn;

    @Option(names = "--id-column", paramLabel = "COL", description = "Id column (name or 0-based index), never a feature.")
    String idColumn;

    @Option(names = "--arch", paramLabel = "NAME", description = "Architecture: dense, conv, vae or any plugin's on the"
            + " class path ('list' shows them and their options; default: conv for images, dense otherwise).")
    String arch;

    @Option(names = "--arch-option", paramLabel = "KEY=VALUE", description = "An option of the architecture (repeatable;"
            + " --arch list shows each architecture's options).")
    java.util.Map<String, String> archOptions;

    @Option(names = "--image", paramLabel = "HxWxC", description = "CSV rows are flattened images of this shape; for a folder, the size to resize to.")
    String image;

    @Option(names = "--latent", paramLabel = "N", description = "Bottleneck size (default: derived from the data).")
    Integer latent;

    @Option(names = "--hidden", paramLabel = "N,N,..", split = ",", description = "Hidden layer sizes of the encoder (dense, vae).")
    int[] hidden;

    @Option(names = "--loss", paramLabel = "NAME", description = "Reconstruction loss: mse, mse-sigmoid, mae, bce or any"
            + " loss plugin's on the class path (dense, conv; default: the architecture's; --arch list shows them).")
    String loss;

    @Option(names = "--epochs", paramLabel = "N", description = "Maximum epochs (default 100, 30 for images; early"
            + " stopping usually ends sooner).")
    Integer epochs;

    @Option(names = "--batch", paramLabel = "N", description = "Mini-batch size (default 64, 256 from 2,000 rows on, 128 for images).")
    Integer batch;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--normalize", paramLabel = "standard|minmax|scale|none",
            description = "Feature scaling fitted on the training data (default: standard; scale for images).")
    String normalize;

    @Option(names = "--threshold", paramLabel = "SPEC", defaultValue = "percentile:99",
            description = "Threshold: percentile:99, contamination:0.05, zscore:3, mad:3.5, iqr:1.5, pot:0.001, spot:0.001 (= pot, and ae4j stream uses SPOT at that risk), dspot:0.001:10, fixed:0.25, f1 (needs --label-column). Default ${DEFAULT-VALUE}.")
    String threshold;

    @Option(names = "--learning-rate", paramLabel = "LR", defaultValue = "3e-3", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--patience", paramLabel = "N", defaultValue = "8", description = "Early-stopping patience in epochs (default ${DEFAULT-VALUE}; 0 = off).")
    int patience;

    @Option(names = "--stream", description = "Stream a CSV file in blocks instead of reading it into memory (automatic"
            + " when the file is larger than a quarter of the heap); the schema is inferred from the first "
            + STREAM_SCHEMA_ROWS + " rows.")
    boolean stream;

    /** {@code --window}, {@code --stride}, {@code --time-column}: window (time-series) models, see {@link SeriesTraining}. */
    @Mixin
    SeriesOptions series = new SeriesOptions();

    /** Rows the schema of a streamed CSV is inferred from. */
    static final int STREAM_SCHEMA_ROWS = 10_000;

    @Override
    public Integer call() throws Exception {
        if ("list".equals(arch)) {
            listArchitectures();
            return 0;
        }
        if (SeriesTraining.applies(this)) {
            return SeriesTraining.train(this);
        }
        if (data == null || out == null) {
            throw new UsageException("Missing required options: --data and --out (or --arch list)");
        }
        CliGuards.outputIsNotAnInput("--out", out, "--data", data);
        if (arch != null) {
            Architectures.require(arch); // before reading the data
        }
        if (loss != null) {
            ReconstructionLosses.require(loss);
        }
        ThresholdStrategy strategy = Thresholds.parse(threshold);
        if (strategy.requiresLabels() && labelColumn == null && !java.nio.file.Files.isDirectory(data)) {
            throw new UsageException("--threshold " + threshold + " needs --label-column (or an image folder with"
                    + " normal/ and anomaly/ subfolders or a labels.csv)");
        }
        AnomalyDetector det = streamed() ? trainStreamed(strategy) : trainInMemory(strategy);
        det.save(out);
        cli.out.printf("saved %s: %s, input %d, latent %d, threshold %.6g (%s), calibrated on %d scores (%s)%n",
                out, det.model().info().spec().get("name"), det.model().inputSize(), det.model().latentSize(),
                det.threshold().value(), det.threshold().spec(), det.calibrationScores().length, det.calibration());
        return 0;
    }

    /** Option syntax and ranges, checked before the data is read (sizes against memory: CliGuards). */
    @Override
    public void checkOptions() {
        OptionChecks.range("--epochs", epochs, 1, 1_000_000);
        if (batch != null) {
            OptionChecks.atLeast("--batch", batch, 1);
        }
        if (latent != null) {
            OptionChecks.atLeast("--latent", latent, 1);
        }
        OptionChecks.sizes("--hidden", hidden);
        if (patience < 0) {
            throw new UsageException("--patience must be >= 0 (0 = no early stopping), got " + patience);
        }
        if (!(learningRate > 0 && learningRate <= 10)) {
            throw new UsageException("--learning-rate must be in (0, 10], got " + learningRate);
        }
        if (image != null) {
            Dataset.parseImage(image);
        }
        OptionChecks.threshold("--threshold", threshold);
    }

    private AnomalyDetector trainInMemory(ThresholdStrategy strategy) throws java.io.IOException {
        LoadedData d = DataFiles.read(data, DataFiles.forTraining(labelColumn, idColumn,
                image == null ? null : Dataset.parseImage(image)));
        if (!cli.quiet && d.kind().isImage() && java.nio.file.Files.isDirectory(data)) {
            int[] s = d.kind().imageShape();
            cli.err.printf("%s: %,d images of %dx%dx%d%n", data, d.rows(), s[0], s[1], s[2]);
        }
        Normalization norm = normalization(d.kind());
        ModelSpec spec = spec(d.kind(), (int) d.x().size(1), norm, d.x(), d.rows());
        if (!cli.quiet && d.labels() != null) {
            long anomalies = java.util.Arrays.stream(d.labels()).filter(l -> l == 1).count();
            cli.err.printf("%s: %,d normal rows for training and calibration, %,d labelled anomalies left out%n",
                    data, d.rows() - anomalies, anomalies);
        }
        try {
            return Detectors.fit(spec, d, config(norm, d.kind(), d.rows()), strategy, Progress.listeners(cli));
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(data + ": ")) {
                throw new UsageException(e.getMessage());
            }
            throw e;
        }
    }

    private AnomalyDetector trainStreamed(ThresholdStrategy strategy) throws java.io.IOException {
        CsvOptions opts = CsvOptions.defaults().withLabelColumn(labelColumn).withIdColumn(idColumn);
        TabularSchema schema = CsvReader.inferSchema(data, opts, STREAM_SCHEMA_ROWS);
        Normalization norm = normalization(DataKind.table());
        ModelSpec spec = spec(DataKind.table(), schema.featureCount(), norm, null, 0);
        if (!cli.quiet) {
            cli.err.printf("%s: streamed in blocks (schema from the first %,d rows)%n", data, STREAM_SCHEMA_ROWS);
        }
        try {
            return StreamedDetectors.fit(spec, data, schema, opts, config(norm, DataKind.table(), 0), strategy,
                    Progress.listeners(cli));
        } catch (IllegalArgumentException e) {
            throw new UsageException(data + ": " + e.getMessage());
        }
    }

    /** Streams a CSV when asked, or when it is large for the heap ({@link StreamedDetectors#isLarge}). */
    private boolean streamed() throws java.io.IOException {
        if (!java.nio.file.Files.isRegularFile(data) || image != null || Idx.isIdx(data)) {
            if (stream) {
                throw new UsageException("--stream applies to CSV files of table rows, not to " + data);
            }
            return false;
        }
        return stream || StreamedDetectors.isLarge(data, Runtime.getRuntime().maxMemory());
    }

    private Normalization normalization(DataKind kind) {
        return normalize == null ? provider(kind).defaultNormalization(kind) : Normalization.parse(normalize);
    }

    /** The architecture's spec, built by its provider from the data (rows: the training rows, null when streamed). */
    private ModelSpec spec(DataKind kind, int width, Normalization norm, INDArray rows, long count) {
        ModelSpec spec = Architectures.build(archName(kind), new ArchitectureRequest(kind, width, norm,
                Architectures.options(latent, hidden, loss, archOptions), rows));
        CliGuards.modelFits(spec, batch != null ? batch : provider(kind).defaultTraining(kind, count).batchSize());
        if (!cli.quiet) {
            cli.err.println("architecture: " + spec.describe().get("name"));
        }
        return spec;
    }

    private String archName(DataKind kind) {
        return arch == null ? Architectures.defaultName(kind) : arch;
    }

    private ArchitectureProvider provider(DataKind kind) {
        return Architectures.require(archName(kind));
    }

    /** The options over the architecture's defaults ({@link ArchitectureProvider#defaultTraining}). */
    DetectorConfig config(Normalization norm, DataKind kind, long rows) {
        TrainingConfig d = provider(kind).defaultTraining(kind, rows);
        TrainingConfig tc = d.withEpochs(epochs != null ? epochs : d.epochs()).withUpdater(new Adam(learningRate))
                .withBatchSize(batch != null ? batch : d.batchSize()).withSeed(seed).withNormalization(norm)
                .withPatience(patience);
        return (kind.isImage() ? DetectorConfig.imageDefaults() : DetectorConfig.defaults()).withTraining(tc);
    }

    private void listArchitectures() {
        for (ArchitectureProvider p : Architectures.providers().values()) {
            cli.out.printf("%s: %s%n", p.name(), p.description());
            for (ArchitectureOption o : p.options()) {
                cli.out.printf("    %s: %s (default: %s)%n", o.name(), o.description(), o.defaultValue());
            }
        }
        cli.out.println("losses (--loss NAME): " + String.join(", ", ReconstructionLosses.providers().keySet()));
    }

}
