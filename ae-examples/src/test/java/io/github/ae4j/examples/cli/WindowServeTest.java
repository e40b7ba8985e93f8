package io.github.ae4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.core.internal.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Window (time-series) models in {@code ae4j serve} and {@code ae4j score --explain}: a small conv1d
 * window model trained through the CLI on three noisy sinusoids (a time column, no label); a request
 * is one contiguous block of the series and must equal {@code ae4j score} on a file holding the same
 * rows; per point, the channels' shares of its score add up to the whole score and a spike planted in
 * one channel is explained by that channel.
 */
class WindowServeTest {

    static final int WINDOW = 8;
    static final int SPIKE = 150;

    @TempDir
    static Path dir;
    static Path model;
    static List<String> test;
    static ScoringServer server;
    static HttpClient http;

    /** Three channels a, b, c: sinusoids of periods 20, 20, 35 with noise; b gets +8 at {@code spike}. */
    static List<String> series(int n, long seed, int spike) {
        Random r = new Random(seed);
        List<String> l = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            double a = Math.sin(2 * Math.PI * t / 20) + 0.05 * r.nextGaussian();
            double b = Math.cos(2 * Math.PI * t / 20) + 0.05 * r.nextGaussian() + (t == spike ? 8 : 0);
            double c = 0.5 * Math.sin(2 * Math.PI * t / 35) + 0.05 * r.nextGaussian();
            l.add(String.format(Locale.ROOT, "2026-01-01T%05d,%.5f,%.5f,%.5f", t, a, b, c));
        }
        return l;
    }

    static Path file(String name, List<String> rows) throws IOException {
        Path f = dir.resolve(name);
        List<String> l = new ArrayList<>(List.of("t,a,b,c"));
        l.addAll(rows);
        Files.write(f, l);
        return f;
    }

    @BeforeAll
    static void start() throws IOException {
        model = dir.resolve("w.ae4j");
        StreamCommandTest.Run r = StreamCommandTest.run("train", "--data", file("train.csv", series(800, 1, -1))
                .toString(), "--out", model.toString(), "--arch", "conv1d", "--window", Integer.toString(WINDOW),
                "--time-column", "t", "--epochs", "8", "--batch", "32", "--quiet");
        assertEquals(0, r.code(), r.err());
        test = series(300, 2, SPIKE);
        server = new ScoringServer(model, "127.0.0.1", 0, 4, 1 << 20, 1000, 0,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(2);
        }
    }

    static HttpResponse<String> post(String path, String type, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The rows as a JSON body: the time stamp as a string, the channels as numbers. */
    static String json(List<String> rows) {
        StringBuilder sb = new StringBuilder("{\"rows\": [");
        for (int i = 0; i < rows.size(); i++) {
            String[] f = rows.get(i).split(",");
            sb.append(i == 0 ? "" : ",").append("[\"").append(f[0]).append("\",").append(f[1]).append(',')
                    .append(f[2]).append(',').append(f[3]).append(']');
        }
        return sb.append("]}").toString();
    }

    /** {@code ae4j score --format json --explain 3} on a file holding just these rows. */
    static List<JsonNode> cli(List<String> rows) throws IOException {
        Path f = file("block-" + System.nanoTime() + ".csv", rows);
        StreamCommandTest.Run r = StreamCommandTest.run("score", "--model", model.toString(), "--data", f.toString(),
                "--format", "json", "--explain", "3", "--quiet");
        assertEquals(0, r.code(), r.err());
        List<JsonNode> out = new ArrayList<>();
        for (String line : r.out().lines().toList()) {
            out.add(Json.MAPPER.readTree(line));
        }
        return out;
    }

    /** A served answer's rows equal the CLI's (the id, which the CLI adds from the time column, aside). */
    static void assertSame(List<JsonNode> cli, JsonNode served, String what) {
        JsonNode rows = served.get("rows");
        assertEquals(cli.size(), rows.size(), what);
        for (int i = 0; i < cli.size(); i++) {
            JsonNode a = cli.get(i);
            JsonNode b = rows.get(i);
            assertEquals(a.get("row").asInt(), b.get("row").asInt(), what);
            assertEquals(a.get("score").doubleValue(), b.get("score").doubleValue(),
                    1e-6 * Math.max(1, a.get("score").doubleValue()), what + ", row " + i);
            assertEquals(a.get("anomaly").asInt(), b.get("anomaly").asInt(), what + ", row " + i);
            assertEquals(a.get("p_value").doubleValue(), b.get("p_value").doubleValue(), 1e-9, what + ", row " + i);
            assertEquals(a.get("explanation"), b.get("explanation"), what + ", row " + i);
        }
    }

    @Test
    void givenWindowModel_whenBlocksArePostedConcurrently_thenEachEqualsTheCliScoreOfTheSameRows() throws Exception {
        int[][] blocks = {{0, 300}, {0, 100}, {100, 300}, {140, 160}, {37, 37 + WINDOW}, {200, 290}};
        List<List<JsonNode>> expected = new ArrayList<>();
        for (int[] b : blocks) {
            expected.add(cli(test.subList(b[0], b[1])));
        }
        // the spike is flagged in the whole block, and explained by channel b
        JsonNode spike = expected.get(0).get(SPIKE);
        assertEquals(1, spike.get("anomaly").asInt(), spike.toString());
        assertEquals("b", spike.get("explanation").get(0).get("part").asText(), spike.toString());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int rep = 0; rep < 4; rep++) {
                for (int k = 0; k < blocks.length; k++) {
                    int kk = k;
                    boolean csv = (rep + k) % 2 == 1;
                    done.add(pool.submit(() -> {
                        List<String> rows = test.subList(blocks[kk][0], blocks[kk][1]);
                        HttpResponse<String> r = csv
                                ? post("/score?explain=3", "text/csv", "t,a,b,c\n" + String.join("\n", rows))
                                : post("/score?explain=3", "application/json", json(rows));
                        assertEquals(200, r.statusCode(), r.body());
                        assertSame(expected.get(kk), Json.MAPPER.readTree(r.body()),
                                "rows " + blocks[kk][0] + ".." + blocks[kk][1] + (csv ? " (CSV)" : " (JSON)"));
                        return null;
                    }));
                }
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void givenWindowModel_whenModelAskedOrTooFewRowsPosted_thenTheWindowIsShownAndShortBlocksRefused()
            throws Exception {
        HttpResponse<String> m = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/model")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, m.statusCode());
        JsonNode series = Json.MAPPER.readTree(m.body()).get("series");
        assertEquals(WINDOW, series.get("window").asInt(), m.body());
        assertEquals(List.of("a", "b", "c"), List.of(series.get("channels").get(0).asText(),
                series.get("channels").get(1).asText(), series.get("channels").get(2).asText()));
        assertEquals("t", series.get("timeColumn").asText());
        assertTrue(series.get("streamCalibrationScores").asInt() > 0, m.body());

        HttpResponse<String> shortBlock = post("/score", "application/json", json(test.subList(0, WINDOW - 1)));
        assertEquals(400, shortBlock.statusCode());
        String e = Json.MAPPER.readTree(shortBlock.body()).get("error").asText();
        assertTrue(e.contains("at least " + WINDOW + " consecutive rows") && e.contains("got " + (WINDOW - 1)), e);
        HttpResponse<String> narrow = post("/score", "application/json", "{\"rows\": [" + "[\"x\", 1, 2],".repeat(9)
                + "[\"x\", 1, 2]]}");
        assertEquals(400, narrow.statusCode(), narrow.body());
    }

    @Test
    void givenWindowModel_whenExplained_thenChannelSharesAddUpToEachPointsScore() throws IOException {
        AnomalyDetector det = AnomalyDetector.load(model);
        WindowModel wm = WindowModel.of(det.model()).orElseThrow();
        double[][] x = new double[test.size()][3];
        for (int t = 0; t < x.length; t++) {
            String[] f = test.get(t).split(",");
            for (int c = 0; c < 3; c++) {
                x[t][c] = Double.parseDouble(f[c + 1]);
            }
        }
        double[][] shares = SeriesExplain.channelShares(det, wm, x);
        for (int t = 0; t < x.length; t++) {
            double sum = 0;
            for (double v : shares[t]) {
                assertTrue(v >= 0, "point " + t);
                sum += v;
            }
            assertEquals(1.0, sum, 1e-6, "point " + t);
        }
        // the spike dominates its point and the points whose windows hold it: channel b
        for (int t = SPIKE; t < SPIKE + WINDOW; t++) {
            assertTrue(shares[t][1] > 0.5, "point " + t + ": b's share " + shares[t][1]);
        }
        // CSV: explain_k,share_k columns; --maps refused with a pointer to --explain
        StreamCommandTest.Run r = StreamCommandTest.run("score", "--model", model.toString(), "--data",
                file("test.csv", test).toString(), "--explain", "2", "--quiet");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("row,score,anomaly,p_value,id,explain_1,share_1,explain_2,share_2", lines.get(0));
        String[] f = lines.get(SPIKE + 1).split(",");
        assertEquals("b", f[5], lines.get(SPIKE + 1));
        StreamCommandTest.Run maps = StreamCommandTest.run("score", "--model", model.toString(), "--data",
                file("test.csv", test).toString(), "--maps", dir.resolve("maps").toString(), "--quiet");
        assertEquals(2, maps.code());
        assertTrue(maps.err().contains("--explain K") && maps.err().lines().count() == 1, maps.err());
    }
}
