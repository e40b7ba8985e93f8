package io.github.ae4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ae4j.anomaly.metrics.Metrics;
import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.Normalizer;
import io.github.ae4j.core.internal.Json;
import io.github.ae4j.core.testing.Pca;
import io.github.ae4j.core.testing.TestData;
import io.github.ae4j.dense.DenseAutoencoder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The defaults are good: {@code ae4j train --data FILE --out MODEL} and nothing else, on the bundled
 * digits with one digit as the anomaly, reaches an AUROC at or above a PCA baseline with the default
 * latent size, computed in the same test on the same (standardised) features.
 */
class CliDefaultsTest {

    static final int ANOMALY = 0;

    @TempDir
    Path dir;

    private static String csv(double[][] x, int[] digits, boolean label) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[i].length; j++) {
                sb.append(j == 0 ? "" : ",").append((int) x[i][j]);
            }
            if (label) {
                sb.append(',').append(digits[i] == ANOMALY ? 1 : 0);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    @Test
    void givenOnlyDataAndOut_whenTrainingOnDigits_thenAurocAtLeastPcaWithTheDefaultLatentSize() throws Exception {
        TestData.Digits all = TestData.digits();
        TestData.Digits normal = all.where(false, ANOMALY);
        int nTrain = normal.size() * 7 / 10;
        TestData.Digits train = normal.slice(0, nTrain);
        TestData.Digits test = new TestData.Digits(
                concat(normal.slice(nTrain, normal.size()).x(), all.where(true, ANOMALY).x()),
                concat(normal.slice(nTrain, normal.size()).y(), all.where(true, ANOMALY).y()));
        Path trainCsv = dir.resolve("train.csv");
        Path testCsv = dir.resolve("test.csv");
        Files.writeString(trainCsv, csv(train.x(), train.y(), false));
        Files.writeString(testCsv, csv(test.x(), test.y(), true));
        Path model = dir.resolve("digits.ae4j");

        assertEquals(0, Ae4jCli.run(quiet(), quiet(), "train", "--data", trainCsv.toString(), "--out", model.toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, Ae4jCli.run(new PrintStream(out, true, StandardCharsets.UTF_8), quiet(), "evaluate", "--model",
                model.toString(), "--data", testCsv.toString(), "--label-column", "64", "--json"));
        JsonNode j = Json.MAPPER.readTree(out.toString(StandardCharsets.UTF_8));
        double cli = j.get("auroc").asDouble();

        // the baseline: PCA with the default latent size, on the same standardised features the CLI uses
        int k = DenseAutoencoder.defaultLatent(64);
        INDArray tr = Nd4j.createFromArray(train.x()).castTo(DataType.FLOAT);
        INDArray te = Nd4j.createFromArray(test.x()).castTo(DataType.FLOAT);
        Normalizer standard = Normalizer.fit(Normalization.STANDARD, tr);
        double[] pca = Pca.fit(standard.transform(tr), k).rowErrors(standard.transform(te));
        int[] y = Arrays.stream(test.y()).map(v -> v == ANOMALY ? 1 : 0).toArray();
        double base = Metrics.auroc(pca, y);
        System.out.printf("CliDefaultsTest: ae4j train defaults AUROC %.4f, PCA(%d) %.4f%n", cli, k, base);
        assertTrue(cli >= base, "ae4j train defaults AUROC " + cli + " vs PCA(" + k + ") " + base);
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    private static double[][] concat(double[][] a, double[][] b) {
        double[][] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
