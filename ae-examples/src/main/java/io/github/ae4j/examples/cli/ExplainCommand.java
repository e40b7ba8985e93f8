package io.github.ae4j.examples.cli;

import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.anomaly.Detection;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ae4j explain}: a readable report of the most anomalous rows and what carries their scores. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Report the most anomalous rows of a file and the columns (for images: regions) carrying"
                + " most of each row's score.",
                "For every row at once, in CSV or JSON, use ae4j score --explain K."})
final class ExplainCommand implements Callable<Integer>, OptionChecks.Checked {

    @ParentCommand
    Ae4jCli cli;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A detector saved by ae4j train.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "CSV (.csv, .csv.gz), image folder or IDX file.")
    Path data;

    @Option(names = "--label-column", paramLabel = "COL", description = "Label column, shown beside each row (never a feature).")
    String labelColumn;

    @Option(names = "--id-column", paramLabel = "COL", description = "Id column, shown beside each row (never a feature).")
    String idColumn;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10", description = "Rows to report, highest scores first (default ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--features", paramLabel = "K", defaultValue = "5", description = "Parts per row (default ${DEFAULT-VALUE}).")
    int features;

    /** {@code --match-columns}. */
    @Mixin
    ColumnMatchOption match = new ColumnMatchOption();

    @Override
    public void checkOptions() {
        match.positional();
        OptionChecks.range("--top", top, 1, 100_000);
        OptionChecks.range("--features", features, 1, 1000);
    }

    @Override
    public Integer call() throws Exception {
        AnomalyDetector det = Models.detector(model);
        Dataset d = Dataset.forModel(data, labelColumn, idColumn, det.model(), match.positional());
        double[] scores = det.score(d.x());
        int[] order = IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> scores[i]).reversed())
                .limit(top).mapToInt(Integer::intValue).toArray();
        INDArray x = Nd4j.pullRows(d.x(), 1, order);
        int[] image = d.isImage() ? d.imageShape() : null;
        // the explanation parts come from the same code as score --explain
        RowWriter probe = new RowWriter(new StringWriter(), RowWriter.Format.CSV, false, false, features);
        Detection r = det.detect(x, image == null ? features : 0);
        List<List<RowWriter.Part>> parts = probe.parts(det, x, r, image);
        long flagged = IntStream.range(0, scores.length).filter(i -> scores[i] >= det.threshold().value()).count();
        cli.out.printf(Locale.ROOT, "%d most anomalous of %,d rows in %s; %,d flagged at threshold %.6g (%s)%n",
                order.length, scores.length, StdinData.displayName(data), flagged, det.threshold().value(),
                det.threshold().spec());
        for (int k = 0; k < order.length; k++) {
            int i = order[k];
            StringBuilder head = new StringBuilder();
            head.append(String.format(Locale.ROOT, "%n#%d  row %d", k + 1, i));
            if (d.ids() != null) {
                head.append(" (").append(d.ids()[i]).append(')');
            }
            head.append(String.format(Locale.ROOT, ": score %.6g, %s, p-value %.4g", r.scores()[k],
                    r.flags()[k] == 1 ? "ANOMALY" : "normal", r.pValues()[k]));
            if (d.labels() != null) {
                head.append(", labelled ").append(d.labels()[i] == 1 ? "anomaly" : "normal");
            }
            cli.out.println(head);
            int width = parts.get(k).stream().mapToInt(p -> p.name().length()).max().orElse(8);
            for (RowWriter.Part p : parts.get(k)) {
                int bar = (int) Math.round(Math.max(0, Math.min(1, p.share())) * 40);
                cli.out.printf(Locale.ROOT, "    %-" + width + "s  %5.1f%%  %s%n", p.name(), 100 * p.share(),
                        "#".repeat(bar));
            }
        }
        return 0;
    }
}
