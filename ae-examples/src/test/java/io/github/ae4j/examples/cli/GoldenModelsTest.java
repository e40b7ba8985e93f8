package io.github.ae4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ae4j.conv.series.SeriesAutoencoder;
import io.github.ae4j.conv.series.SlidingWindows;
import io.github.ae4j.conv.series.WindowPolicy;
import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.internal.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Model files written by ae4j 0.1.0 (format v1, commit ece43a8) and by the detector format 2 (ensemble, standardised
 * score; see {@code golden/README.md}) keep loading and give
 * the same scores, flags and p-values through {@code ae4j score}, and the same reconstruction errors and point scores
 * through the Java API: a dense detector with a categorical column and an id, a convolutional detector, a variational
 * detector and a 1-D convolutional series model.
 */
class GoldenModelsTest {

    @TempDir
    Path dir;

    private Path resource(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = GoldenModelsTest.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource /golden/" + name);
            }
            Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
        }
        return p;
    }

    private static List<String[]> csv(Path p) throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(p)) {
            if (!line.isBlank()) {
                rows.add(line.split(",", -1));
            }
        }
        return rows;
    }

    @ParameterizedTest
    @CsvSource({
            "detector-dense-v1, tabular-probe.csv, true",
            "detector-conv-v1, images-probe.csv, false",
            "detector-vae-v1, tabular-probe.csv, true",
            "detector-dense-v2, tabular-probe.csv, true"})
    void givenDetectorSavedByVersion010_whenScored_thenSameScoresFlagsAndPValues(String name, String probe,
                                                                                 boolean tabular) throws IOException {
        Path model = resource(name + ".ae4j");
        Path data = resource(probe);
        Path expected = resource(name + "-scores.csv");
        Path out = dir.resolve(name + "-now.csv");
        List<String> args = new ArrayList<>(List.of("score", "--model", model.toString(), "--data", data.toString(),
                "--out", out.toString(), "--quiet"));
        if (tabular) {
            args.addAll(List.of("--id-column", "id", "--label-column", "label"));
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Ae4jCli.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args.toArray(String[]::new));
        assertEquals(0, code, () -> err.toString(StandardCharsets.UTF_8));

        List<String[]> want = csv(expected);
        List<String[]> got = csv(out);
        assertEquals(want.size(), got.size(), "rows");
        List<String> header = List.of(got.get(0));
        for (String column : want.get(0)) {
            int w = List.of(want.get(0)).indexOf(column);
            int g = header.indexOf(column);
            assertEquals(true, g >= 0, () -> "column " + column + " missing from " + header);
            for (int i = 1; i < want.size(); i++) {
                String a = want.get(i)[w];
                String b = got.get(i)[g];
                if (column.equals("score") || column.equals("p_value")) {
                    double x = Double.parseDouble(a);
                    double y = Double.parseDouble(b);
                    assertEquals(x, y, 1e-5 * Math.max(1, Math.abs(x)), name + " row " + i + " " + column);
                } else {
                    assertEquals(a, b, name + " row " + i + " " + column);
                }
            }
        }
    }

    @Test
    void givenSeriesModelSavedByVersion010_whenLoaded_thenSameErrorsAndPointScores() throws IOException {
        Autoencoder m = Autoencoder.load(resource("series-v1.ae4j"));
        JsonNode e = Json.MAPPER.readTree(resource("series-v1-expected.json").toFile());
        double[][] series = Json.MAPPER.treeToValue(e.get("series"), double[][].class);
        SlidingWindows w = SlidingWindows.over(series, e.get("windowLength").asInt(), e.get("stride").asInt());
        double[] errors = Json.MAPPER.treeToValue(e.get("reconstructionErrors"), double[].class);
        double[] points = Json.MAPPER.treeToValue(e.get("pointScores"), double[].class);
        assertArrayEquals(errors, m.reconstructionError(w.extract(series)).toDoubleVector(), 1e-5);
        assertArrayEquals(points, SeriesAutoencoder.pointScores(m, series, w, WindowPolicy.MAX), 1e-5);
    }
}
