package io.github.ae4j.examples.cli;

import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.anomaly.metrics.Evaluation;
import io.github.ae4j.core.internal.Json;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ae4j evaluate}: detection quality on labelled data. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluate a detector on labelled data (1/true = anomaly): AUROC, AUPRC, and precision,",
                "recall and F1 at the detector's threshold. --json prints one JSON object with the keys",
                "n, anomalies (labelled), auroc, auprc, threshold, precision, recall, f1, tp, fp, tn, fn,",
                "falsePositiveRate, bestF1, bestF1Threshold, flagged, thresholdSpec."})
final class EvaluateCommand implements Callable<Integer>, OptionChecks.Checked {

    @ParentCommand
    Ae4jCli cli;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A detector saved by ae4j train.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Labelled CSV (.csv, .csv.gz), or an"
            + " image folder with normal/ and anomaly/ subfolders or a labels.csv (file,label).")
    Path data;

    @Option(names = "--label-column", paramLabel = "COL", description = "Label column (name or index) of a CSV;"
            + " image folders are labelled by their normal/ and anomaly/ subfolders or their labels.csv.")
    String labelColumn;

    @Option(names = "--id-column", paramLabel = "COL", description = "Id column, never a feature.")
    String idColumn;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Option(names = "--plots", paramLabel = "DIR", description = "Write pictures into DIR: scores.png (histogram of"
            + " normal and anomalous scores with the threshold), roc.png, precision-recall.png and, for images,"
            + " most-anomalous.png (the top inputs, their reconstructions and anomaly maps).")
    Path plots;

    /** {@code --match-columns}. */
    @Mixin
    ColumnMatchOption match = new ColumnMatchOption();

    @Override
    public void checkOptions() {
        match.positional();
        if (plots != null && java.nio.file.Files.exists(plots) && !java.nio.file.Files.isDirectory(plots)) {
            throw new UsageException("--plots " + plots + " is a file: it must be a folder (created if missing)");
        }
    }

    @Override
    public Integer call() throws Exception {
        AnomalyDetector det = Models.anyDetector(model);
        java.util.Optional<WindowModel> series = WindowModel.of(det.model());
        if (series.isPresent() && plots != null) {
            throw new UsageException("--plots is not available for window (time-series) models yet");
        }
        // a window model scores every step of a series; other models score rows
        SeriesData sd = series.isPresent()
                ? SeriesScoring.read(det, series.get(), data, labelColumn, idColumn) : null;
        Dataset d = sd == null ? Dataset.forModel(data, labelColumn, idColumn, det.model(), match.positional()) : null;
        int[] y = sd != null ? sd.labels() : d.labels();
        if (y == null) {
            throw new UsageException(data + ": evaluation needs labels: --label-column for a CSV, or an image folder"
                    + " with normal/ and anomaly/ subfolders or a labels.csv (file,label)");
        }
        int positives = java.util.Arrays.stream(y).sum();
        if (positives == 0 || positives == y.length) {
            throw new UsageException(data + ": evaluation needs both normal (0) and anomalous (1) rows"
                    + (labelColumn != null ? " in column " + labelColumn : "") + "; found " + positives + " anomalies in " + y.length + " rows");
        }
        double[] scores = sd != null ? SeriesTraining.detect(det, series.get(), sd.points(), data).scores()
                : det.score(d.x());
        Evaluation ev = io.github.ae4j.anomaly.metrics.Metrics.evaluate(scores, y, det.threshold().value()); // scored once
        Map<String, Object> m = new LinkedHashMap<>(ev.toMap());
        m.put("flagged", ev.confusion().flagged());
        m.put("thresholdSpec", det.threshold().spec());
        if (plots != null) {
            List<Path> files = EvaluationPlots.write(plots, det, d, scores, ev);
            if (!cli.quiet) {
                cli.err.println("pictures written: " + files.stream().map(p -> p.getFileName().toString())
                        .collect(java.util.stream.Collectors.joining(", ")) + " in " + plots);
            }
        }
        if (json) {
            cli.out.println(Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
        } else {
            for (Map.Entry<String, Object> e : m.entrySet()) {
                Object v = e.getValue();
                cli.out.printf(Locale.ROOT, "%-18s %s%n", e.getKey(), v instanceof Double dv ? String.format(Locale.ROOT, "%.4f", dv) : v);
            }
        }
        return 0;
    }
}
