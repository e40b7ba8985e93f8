package io.github.ae4j.examples.cli;

import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.anomaly.Detectors;
import io.github.ae4j.anomaly.threshold.ThresholdStrategy;
import io.github.ae4j.anomaly.threshold.Thresholds;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ae4j calibrate}: re-targets a detector's threshold without retraining. */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = {"Set a detector's threshold from new calibration data, without retraining.",
                "Without --label-column every row is taken as normal; with it, the normal rows calibrate",
                "the threshold, and --threshold f1 picks the F1-optimal threshold on all labelled rows."})
final class CalibrateCommand implements Callable<Integer>, OptionChecks.Checked {

    @ParentCommand
    Ae4jCli cli;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A detector saved by ae4j train.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Calibration data (normal rows, or labelled).")
    Path data;

    @Option(names = "--threshold", required = true, paramLabel = "SPEC",
            description = "percentile:99, contamination:0.05, zscore:3, mad:3.5, iqr:1.5, pot:0.001, spot:0.001 (= pot, and ae4j stream uses SPOT at that risk), dspot:0.001:10, fixed:0.25, f1.")
    String threshold;

    @Option(names = "--label-column", paramLabel = "COL", description = "Label column (1/true = anomaly).")
    String labelColumn;

    @Option(names = "--id-column", paramLabel = "COL", description = "Id column, never a feature.")
    String idColumn;

    @Option(names = "--out", paramLabel = "MODEL", description = "Where to write the recalibrated detector (default: replace --model).")
    Path out;

    /** {@code --match-columns}. */
    @Mixin
    ColumnMatchOption match = new ColumnMatchOption();

    @Override
    public void checkOptions() {
        match.positional();
        CliGuards.outputIsNotAnInput("--out", out, "--data", data);
        ThresholdStrategy strategy = OptionChecks.threshold("--threshold", threshold);
        if (strategy != null && strategy.requiresLabels() && labelColumn == null && !java.nio.file.Files.isDirectory(data)) {
            throw new UsageException("--threshold " + threshold + " needs --label-column (or an image folder with"
                    + " normal/ and anomaly/ subfolders or a labels.csv)");
        }
    }

    @Override
    public Integer call() throws Exception {
        ThresholdStrategy strategy = Thresholds.parse(threshold);
        AnomalyDetector det = Models.anyDetector(model);
        java.util.Optional<WindowModel> series = WindowModel.of(det.model());
        // a window model is recalibrated on the per-point scores of a series
        SeriesData sd = series.isPresent() ? SeriesScoring.read(det, series.get(), data, labelColumn, idColumn) : null;
        Dataset d = sd == null ? Dataset.forModel(data, labelColumn, idColumn, det.model(), match.positional()) : null;
        AnomalyDetector next;
        try {
            next = sd != null ? SeriesScoring.recalibrate(det, series.get(), sd, strategy, data)
                    : Detectors.recalibrate(det, d.x(), d.labels(), strategy);
        } catch (IllegalArgumentException e) {
            throw new UsageException(data + ": " + e.getMessage());
        }
        Path target = out != null ? out : model;
        next.save(target);
        cli.out.printf("threshold %.6g (%s) -> %.6g (%s), saved %s%n", det.threshold().value(), det.threshold().spec(),
                next.threshold().value(), next.threshold().spec(), target);
        return 0;
    }
}
