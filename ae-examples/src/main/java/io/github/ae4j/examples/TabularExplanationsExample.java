package io.github.ae4j.examples;

import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.anomaly.DetectorConfig;
import io.github.ae4j.anomaly.Explanation;
import io.github.ae4j.anomaly.metrics.Metrics;
import io.github.ae4j.conv.image.ImageGrid;
import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.data.CsvOptions;
import io.github.ae4j.core.data.CsvReader;
import io.github.ae4j.core.data.Table;
import io.github.ae4j.core.io.AtomicFiles;
import io.github.ae4j.dense.DenseAutoencoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Example 5: tabular anomaly detection from a CSV file with a header, an id column and a label
 * column, and per-feature explanations of the top anomalies. The table is the bundled UCI digits
 * written as a CSV with named columns ({@code r3c4} = pixel at row 3, column 4); the label marks
 * digit 0 as the anomaly. The detector trains on the normal rows only, through the same
 * {@link CsvReader} path the command line uses, and explains its top-scored rows: which columns
 * carry their reconstruction error.
 *
 * <pre>java -cp ae-examples/target/ae-examples-0.1.0-SNAPSHOT.jar io.github.ae4j.examples.TabularExplanationsExample [--out DIR] [--smoke]</pre>
 */
public final class TabularExplanationsExample {

    private TabularExplanationsExample() {
    }

    /**
     * Runs the example.
     *
     * @param args {@code [--out DIR] [--smoke]}
     * @throws IOException when files cannot be written
     */
    public static void main(String[] args) throws IOException {
        ExampleArgs a = ExampleArgs.parse(args, "tabular-explanations");
        Files.createDirectories(a.out());
        Path csv = writeCsv(a.out().resolve("digits.csv"), a.smoke() ? 500 : Integer.MAX_VALUE);
        Table t = CsvReader.read(csv, CsvOptions.defaults().withIdColumn("id").withLabelColumn("anomaly"));
        int[] y = t.labels();
        int[] normal = IntStream.range(0, y.length).filter(i -> y[i] == 0).toArray();
        int nTrain = normal.length * 2 / 3;
        INDArray train = Nd4j.pullRows(t.features(), 1, Arrays.copyOf(normal, nTrain));
        int[] testIdx = IntStream.range(0, y.length).filter(i -> y[i] == 1 || Arrays.binarySearch(normal, i) >= nTrain)
                .toArray();
        INDArray test = Nd4j.pullRows(t.features(), 1, testIdx);
        int[] yTest = Arrays.stream(testIdx).map(i -> y[i]).toArray();

        // every column is a pixel intensity in the same unit: one global scale (SCALE) keeps rare pixels from
        // being blown up, as per-column standardisation would do to columns that are almost always 0
        AnomalyDetector det = AnomalyDetector.fit(DenseAutoencoder.defaults(t.schema().featureCount()).build(), train,
                DetectorConfig.defaults().withTraining(TrainingConfig.defaults().withEpochs(a.smoke() ? 2 : 150)
                        .withPatience(10).withBatchSize(32).withUpdater(new Adam(3e-3))
                        .withNormalization(Normalization.SCALE)));
        det = det.withSchema(t.schema());
        double[] scores = det.score(test);
        System.out.printf("%s: %d columns (%d features), trained on %d normal rows; AUROC on %d held-out rows %.3f%n",
                csv.getFileName(), t.schema().columns().size(), t.schema().featureCount(), nTrain, yTest.length,
                Metrics.auroc(scores, yTest));

        Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> -scores[i]));
        int top = Math.min(8, order.length);
        int[] topIdx = Arrays.stream(order).limit(top).mapToInt(Integer::intValue).toArray();
        INDArray topRows = Nd4j.pullRows(test, 1, topIdx);
        Explanation[] ex = det.explain(topRows, 3);
        System.out.println("top anomalies and the columns that carry their reconstruction error:");
        for (int k = 0; k < top; k++) {
            Explanation e = ex[k];
            StringBuilder sb = new StringBuilder();
            for (Explanation.Contribution c : e.features()) {
                sb.append(String.format("  %s %.0f%%", c.name(), 100 * c.share()));
            }
            System.out.printf("  id %-6s label %d  score %.3f  %s%s%n", t.ids()[testIdx[topIdx[k]]], yTest[topIdx[k]],
                    e.score(), e.anomaly() ? "FLAGGED" : "       ", sb);
        }
        // the same explanations as pictures: each row's pixels, then its error shares
        double[][] shares = det.contributions(topRows);
        INDArray maps = Nd4j.createFromArray(shares).castTo(topRows.dataType());
        ImageGrid.write(a.out().resolve("top-anomalies-and-error-shares.png"), Nd4j.vstack(topRows, maps.mul(16.0 / maps.maxNumber().doubleValue())),
                8, 8, 1, top, 0, 16);
        System.out.println("pictures written to " + a.out().toAbsolutePath());
    }

    /** Writes the bundled digits as a CSV with a header, an id column and a 0/1 label column. */
    static Path writeCsv(Path file, int maxRows) throws IOException {
        BundledData.Digits d = BundledData.digits();
        int n = Math.min(maxRows, d.digits().length);
        StringBuilder sb = new StringBuilder("id");
        for (int r = 0; r < 8; r++) {
            for (int c = 0; c < 8; c++) {
                sb.append(",r").append(r).append('c').append(c);
            }
        }
        sb.append(",anomaly\n");
        float[] px = d.x().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
        for (int i = 0; i < n; i++) {
            sb.append("d").append(i);
            for (int j = 0; j < 64; j++) {
                sb.append(',').append((int) px[i * 64 + j]);
            }
            sb.append(',').append(d.digits()[i] == 0 ? 1 : 0).append('\n');
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(bytes));
        return file;
    }
}
