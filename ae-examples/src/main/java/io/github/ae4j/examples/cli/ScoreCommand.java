package io.github.ae4j.examples.cli;

import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.core.data.CsvOptions;
import io.github.ae4j.core.data.CsvReader;
import io.github.ae4j.core.data.Idx;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ae4j score}: one row of output per data row: row, score, anomaly, then p_value, id, label. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = {"Score data with a detector. Writes CSV with header row,score,anomaly,p_value[,id][,label]:",
                "row = 0-based data row, score = higher is more anomalous, anomaly = 0/1 at the detector's threshold,",
                "p_value = conformal p-value from the calibration scores. CSV input is streamed (bounded memory)."})
final class ScoreCommand implements Callable<Integer> {

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

    @Option(names = "--out", paramLabel = "FILE", description = "Output CSV (default: stdout).")
    Path out;

    @Override
    public Integer call() throws Exception {
        CliGuards.outputIsNotAnInput("--out", out, "--model", model, "--data", data);
        AnomalyDetector det = Models.detector(model);
        if (!Files.exists(data)) {
            throw new java.nio.file.NoSuchFileException(data.toString(), null, "no such file or folder");
        }
        boolean csv = !Files.isDirectory(data) && !Idx.isIdx(data) && det.model().schema().isPresent();
        long[] counts = new long[2];
        if (csv) {
            CsvOptions opts = CsvOptions.defaults().withLabelColumn(labelColumn).withIdColumn(idColumn);
            try (CsvReader.BatchStream s = CsvReader.stream(data, det.model().schema().get(), opts, BATCH)) {
                Outputs.write(out, cli.out, w -> {
                    header(w, idColumn != null, labelColumn != null);
                    while (s.hasNext()) {
                        CsvReader.Batch b = s.next();
                        rows(w, det, b.features(), b.firstRow(), b.ids(), b.labels(), counts);
                    }
                });
            }
        } else {
            Dataset d = Dataset.forModel(data, labelColumn, idColumn, det.model());
            Outputs.write(out, cli.out, w -> {
                header(w, d.ids() != null, d.labels() != null);
                for (int from = 0; from < d.rows(); from += BATCH) {
                    int to = Math.min(d.rows(), from + BATCH);
                    INDArray x = d.x().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to),
                            org.nd4j.linalg.indexing.NDArrayIndex.all());
                    rows(w, det, x, from, d.ids() == null ? null : java.util.Arrays.copyOfRange(d.ids(), from, to),
                            d.labels() == null ? null : java.util.Arrays.copyOfRange(d.labels(), from, to), counts);
                }
            });
        }
        if (!cli.quiet) {
            cli.err.printf("scored %,d rows: %,d flagged at threshold %.6g (%s)%s%n", counts[0], counts[1],
                    det.threshold().value(), det.threshold().spec(), out == null ? "" : ", written to " + out);
        }
        return 0;
    }

    private static void header(Writer w, boolean ids, boolean labels) throws IOException {
        w.write("row,score,anomaly,p_value");
        if (ids) {
            w.write(",id");
        }
        if (labels) {
            w.write(",label");
        }
        w.write('\n');
    }

    private static void rows(Writer w, AnomalyDetector det, INDArray x, long first, String[] ids, int[] labels,
                             long[] counts) throws IOException {
        double[] s = det.score(x);
        double t = det.threshold().value();
        double[] p = det.conformal().pValues(s);
        StringBuilder sb = new StringBuilder(64);
        for (int i = 0; i < s.length; i++) {
            sb.setLength(0);
            boolean flag = s[i] >= t;
            sb.append(first + i).append(',').append(s[i]).append(',').append(flag ? '1' : '0').append(',').append(p[i]);
            if (ids != null) {
                sb.append(',').append(Outputs.csvCell(ids[i]));
            }
            if (labels != null) {
                sb.append(',').append(labels[i]);
            }
            sb.append('\n');
            w.write(sb.toString());
            counts[1] += flag ? 1 : 0;
        }
        counts[0] += s.length;
    }
}
