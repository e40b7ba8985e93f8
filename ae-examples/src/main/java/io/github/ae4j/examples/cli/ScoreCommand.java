package io.github.ae4j.examples.cli;

import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.anomaly.Detection;
import io.github.ae4j.core.data.CsvReader;
import io.github.ae4j.core.data.DataFiles;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ae4j score}: one row of output per data row: row, score, anomaly, then p_value, id, label. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = {"Score data with a detector: one line per row with row, score, anomaly, p_value[, id][, label].",
                "row = 0-based data row, score = higher is more anomalous, anomaly = 0/1 at the detector's threshold,",
                "p_value = conformal p-value from the calibration scores. CSV input is streamed (bounded memory).",
                "--explain K adds the K parts carrying most of each row's score; --format json writes JSON Lines."})
final class ScoreCommand implements Callable<Integer>, OptionChecks.Checked {

    /** Rows per streamed batch. */
    static final int BATCH = 4096;

    @ParentCommand
    Ae4jCli cli;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A detector saved by ae4j train.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "CSV (.csv, .csv.gz), image folder or IDX file.")
    Path data;

    @Option(names = "--label-column", paramLabel = "COL", description = "Label column, copied to the output (never a feature).")
    String labelColumn;

    @Option(names = "--id-column", paramLabel = "COL", description = "Id column, copied to the output (never a feature).")
    String idColumn;

    @Option(names = "--out", paramLabel = "FILE", description = "Output file (default: stdout).")
    Path out;

    @Option(names = "--format", paramLabel = "csv|json", defaultValue = "csv", converter = FormatConverter.class,
            description = "csv (default): a header line, then one line per row; json: JSON Lines, one object per row"
                    + " with the keys row, score, anomaly, p_value[, id][, label][, explanation].")
    RowWriter.Format format;

    @Option(names = "--explain", paramLabel = "K", defaultValue = "0", description = "Add, per row, the K columns"
            + " (for images: regions of a 4x4 grid) carrying most of its score, with their shares"
            + " (CSV: explain_1,share_1,...; JSON: explanation).")
    int explain;

    @Option(names = "--maps", paramLabel = "DIR", description = "Images: also write each image's anomaly map"
            + " (input | reconstruction | error heat map) as DIR/<row or file name>.png.")
    Path maps;

    /** Parses {@code --format} case-insensitively. */
    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<RowWriter.Format> {
        @Override
        public RowWriter.Format convert(String v) {
            try {
                return RowWriter.Format.valueOf(v.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("expected csv or json, got '" + v + "'");
            }
        }
    }

    /** {@code --match-columns}. */
    @Mixin
    ColumnMatchOption match = new ColumnMatchOption();

    @Override
    public void checkOptions() {
        match.positional();
        OptionChecks.range("--explain", explain, 0, 1000);
        CliGuards.outputIsNotAnInput("--out", out, "--model", model, "--data", data);
    }

    @Override
    public Integer call() throws Exception {
        AnomalyDetector det = Models.anyDetector(model);
        java.util.Optional<WindowModel> series = WindowModel.of(det.model());
        if (series.isPresent()) {
            return SeriesScoring.score(this, det, series.get());
        }
        int[] image = Models.imageShape(det.model());
        if (maps != null && image == null) {
            throw new UsageException("--maps needs a model trained on images; " + model + " takes table rows");
        }
        long[] counts = new long[2];
        try (DataFiles.Batches batches = DataFiles.batches(data, DataFiles.forModel(labelColumn, idColumn,
                det.model().schema().orElse(null), det.model().data()).withPositional(match.positional()), BATCH)) {
            int[] shape = batches.kind().imageShape();
            Outputs.write(out, cli.out, w -> {
                RowWriter rw = new RowWriter(w, format, batches.hasIds(), batches.hasLabels(), explain);
                rw.header();
                while (batches.hasNext()) {
                    CsvReader.Batch b = batches.next();
                    Detection r = rw.write(det, b.features(), b.firstRow(), b.ids(), b.labels(), shape);
                    counts[0] += r.rows();
                    counts[1] += r.flagged();
                    if (maps != null) {
                        AnomalyMapFiles.write(maps, det, b.features(), b.firstRow(), b.ids(), shape, r);
                    }
                }
            });
        }
        if (!cli.quiet) {
            cli.err.printf("scored %,d rows: %,d flagged at threshold %.6g (%s)%s%n", counts[0], counts[1],
                    det.threshold().value(), det.threshold().spec(), out == null ? "" : ", written to " + out);
        }
        return 0;
    }
}
