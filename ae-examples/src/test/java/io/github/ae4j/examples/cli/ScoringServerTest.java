package io.github.ae4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ae4j serve}'s server on an ephemeral loopback port: every endpoint, bad requests, concurrent
 * clients (results equal {@code ae4j score}'s), and a model replaced under load with no failed request.
 */
class ScoringServerTest {

    @TempDir
    static Path dir;
    static Path served;
    static Path modelA;
    static Path modelB;
    static List<String> rows;
    static ScoringServer server;
    static HttpClient http;
    static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();

    @BeforeAll
    static void start() throws IOException {
        Path train = dir.resolve("train.csv");
        List<String> t = new ArrayList<>(List.of("a,b,c,d"));
        t.addAll(StreamCommandTest.rows(3000, false, 1));
        Files.write(train, t);
        modelA = dir.resolve("a.ae4j");
        modelB = dir.resolve("b.ae4j");
        assertEquals(0, StreamCommandTest.run("train", "--data", train.toString(), "--out", modelA.toString(),
                "--epochs", "4", "--quiet").code());
        assertEquals(0, StreamCommandTest.run("train", "--data", train.toString(), "--out", modelB.toString(),
                "--epochs", "4", "--seed", "99", "--quiet").code());
        served = dir.resolve("served.ae4j");
        Files.copy(modelA, served);
        rows = StreamCommandTest.rows(200, true, 3);
        server = new ScoringServer(served, "127.0.0.1", 0, 8, 64 * 1024, 500, 100,
                new PrintStream(LOG, true, StandardCharsets.UTF_8));
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(2);
        }
    }

    static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String type, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String jsonRows(List<String> csv) {
        StringBuilder sb = new StringBuilder("{\"rows\": [");
        for (int i = 0; i < csv.size(); i++) {
            sb.append(i == 0 ? "[" : ",[").append(csv.get(i)).append("]");
        }
        return sb.append("]}").toString();
    }

    /** One field of every row of a {@code POST /score} answer. */
    static double[] field(JsonNode answer, String key) {
        JsonNode rs = answer.get("rows");
        double[] d = new double[rs.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = rs.get(i).get(key).doubleValue();
        }
        return d;
    }

    /** The JSON Lines of {@code ae4j score --format json} on the same rows. */
    static List<JsonNode> cliJson(Path model, List<String> csv, String... more) throws IOException {
        Path f = dir.resolve("rows-json-" + csv.size() + ".csv");
        List<String> l = new ArrayList<>(List.of("a,b,c,d"));
        l.addAll(csv);
        Files.write(f, l);
        List<String> args = new ArrayList<>(List.of("score", "--model", model.toString(), "--data", f.toString(),
                "--format", "json", "--quiet"));
        args.addAll(List.of(more));
        StreamCommandTest.Run r = StreamCommandTest.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        List<JsonNode> out = new ArrayList<>();
        for (String line : r.out().lines().toList()) {
            out.add(Json.MAPPER.readTree(line));
        }
        return out;
    }

    static List<String> keys(JsonNode o) {
        List<String> k = new ArrayList<>();
        o.fieldNames().forEachRemaining(k::add);
        return k;
    }

    static double[] doubles(JsonNode a) {
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = a.get(i).doubleValue();
        }
        return d;
    }

    /** Scores from {@code ae4j score} on the same rows (its CSV prints %.6g-ish text: compare parsed values). */
    static double[] cliScores(Path model, List<String> csv) throws IOException {
        Path f = dir.resolve("rows-" + csv.size() + ".csv");
        List<String> l = new ArrayList<>(List.of("a,b,c,d"));
        l.addAll(csv);
        Files.write(f, l);
        StreamCommandTest.Run r = StreamCommandTest.run("score", "--model", model.toString(), "--data", f.toString(),
                "--quiet");
        assertEquals(0, r.code(), r.err());
        return r.out().lines().skip(1).mapToDouble(s -> Double.parseDouble(s.split(",")[1])).toArray();
    }

    @Test
    void givenHealthAndModel_whenGet_thenJsonDescribesTheServedDetector() throws Exception {
        HttpResponse<String> h = get("/health");
        assertEquals(200, h.statusCode());
        assertEquals("ok", Json.MAPPER.readTree(h.body()).get("status").asText());
        HttpResponse<String> m = get("/model");
        assertEquals(200, m.statusCode());
        JsonNode j = Json.MAPPER.readTree(m.body());
        assertEquals(4, j.get("inputSize").asInt());
        assertEquals("[\"a\",\"b\",\"c\",\"d\"]", j.get("columns").toString());
        assertEquals(404, get("/nope").statusCode());
        assertEquals(405, get("/score").statusCode());
        assertTrue(Json.MAPPER.readTree(get("/nope").body()).get("error").asText().contains("POST /score"));
    }

    @Test
    void givenBadRequests_whenPosted_thenClear4xxJsonErrors() throws Exception {
        HttpResponse<String> malformed = post("/score", "application/json", "{\"rows\": [[1,2,3,4]");
        assertEquals(400, malformed.statusCode());
        assertTrue(Json.MAPPER.readTree(malformed.body()).get("error").asText().startsWith("malformed JSON"));
        HttpResponse<String> width = post("/score", "application/json", "{\"rows\": [[1,2,3]]}");
        assertEquals(400, width.statusCode());
        assertTrue(width.body().contains("expected 4 columns"), width.body());
        HttpResponse<String> text = post("/score", "application/json", "{\"rows\": [[1,2,\"x\",4]]}");
        assertEquals(400, text.statusCode());
        assertEquals(400, post("/score", "application/json", "{\"rows\": 5}").statusCode());
        assertEquals(400, post("/score", "application/json", "{\"rows\": []}").statusCode());
        HttpResponse<String> big = post("/score", "application/json", "{\"rows\": [" + "[1,2,3,4],".repeat(20000)
                + "[1,2,3,4]]}");
        assertEquals(413, big.statusCode());
        assertTrue(big.body().contains("larger than"), big.body());
        HttpResponse<String> many = post("/score", "application/json", "{\"rows\": [" + "[1,2,3,4],".repeat(600)
                + "[1,2,3,4]]}");
        assertEquals(413, many.statusCode());
        assertEquals(200, get("/health").statusCode(), "the server is still up");
    }

    @Test
    void givenExplainAsked_whenScoring_thenRowsEqualScoreFormatJsonWithExplanations() throws Exception {
        List<String> some = rows.subList(0, 12);
        List<JsonNode> cli = cliJson(served, some, "--explain", "2");
        String body = jsonRows(some);
        JsonNode byQuery = Json.MAPPER.readTree(post("/score?explain=2", "application/json", body).body());
        JsonNode byBody = Json.MAPPER.readTree(post("/score", "application/json",
                body.substring(0, body.length() - 1) + ", \"explain\": 2}").body());
        JsonNode csv = Json.MAPPER.readTree(post("/score?explain=2", "text/csv", "a,b,c,d\n" + String.join("\n", some))
                .body());
        for (JsonNode answer : List.of(byQuery, byBody, csv)) {
            JsonNode rs = answer.get("rows");
            assertEquals(cli.size(), rs.size(), answer.toString());
            for (int i = 0; i < rs.size(); i++) {
                JsonNode a = rs.get(i);
                JsonNode c = cli.get(i);
                assertEquals(keys(c), keys(a), "the keys of score --format json, in its order");
                assertEquals(c.get("row").asInt(), a.get("row").asInt());
                assertEquals(c.get("anomaly").asInt(), a.get("anomaly").asInt());
                assertEquals(c.get("score").doubleValue(), a.get("score").doubleValue(),
                        1e-5 * Math.max(1, Math.abs(c.get("score").doubleValue())));
                assertEquals(2, a.get("explanation").size());
                for (int k = 0; k < 2; k++) {
                    JsonNode pa = a.get("explanation").get(k);
                    JsonNode pc = c.get("explanation").get(k);
                    assertEquals(List.of("part", "share"), keys(pa));
                    assertEquals(pc.get("part").asText(), pa.get("part").asText(), "row " + i + " part " + k);
                    assertEquals(pc.get("share").doubleValue(), pa.get("share").doubleValue(), 2e-4);
                }
            }
        }
        JsonNode plain = Json.MAPPER.readTree(post("/score", "application/json", body).body());
        assertTrue(plain.get("rows").get(0).get("explanation") == null, "no explanation unless asked for");
        for (String bad : List.of("/score?explain=-1", "/score?explain=abc", "/score?explain=5000")) {
            HttpResponse<String> r = post(bad, "application/json", body);
            assertEquals(400, r.statusCode(), bad);
            assertTrue(r.body().contains("explain"), r.body());
        }
        assertEquals(400, post("/score", "application/json", body.substring(0, body.length() - 1)
                + ", \"explain\": 1.5}").statusCode());
    }

    @Test
    void givenConcurrentClients_whenScoring_thenEveryResponseEqualsTheCliScores() throws Exception {
        double[] expected = cliScores(served, rows);
        AnomalyDetector d = AnomalyDetector.load(served);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<HttpResponse<String>>> fs = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                final int k = i;
                fs.add(pool.submit(() -> k % 2 == 0 ? post("/score", "application/json", jsonRows(rows))
                        : post("/score", "text/csv", "a,b,c,d\n" + String.join("\n", rows))));
            }
            for (Future<HttpResponse<String>> f : fs) {
                HttpResponse<String> r = f.get(120, TimeUnit.SECONDS);
                assertEquals(200, r.statusCode(), r.body());
                JsonNode j = Json.MAPPER.readTree(r.body());
                double[] s = field(j, "score");
                assertEquals(expected.length, s.length);
                for (int i = 0; i < s.length; i++) {
                    assertEquals(expected[i], s[i], 1e-5 * Math.max(1, Math.abs(expected[i])), "row " + i);
                    assertEquals(List.of("row", "score", "anomaly", "p_value"), keys(j.get("rows").get(i)));
                    assertEquals(i, j.get("rows").get(i).get("row").asInt());
                }
                assertEquals(d.threshold().value(), j.get("threshold").doubleValue());
                double[] p = field(j, "p_value");
                double[] flags = field(j, "anomaly");
                for (int i = 0; i < s.length; i++) {
                    assertEquals(s[i] >= d.threshold().value() ? 1 : 0, (int) flags[i]);
                    assertEquals(d.conformal().pValue(s[i]), p[i], 1e-12, "row " + i);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void givenTheModelFileReplacedUnderLoad_whenClientsKeepScoring_thenNoRequestFailsAndTheNewModelIsServed()
            throws Exception {
        String body = jsonRows(rows.subList(0, 20));
        double[] a = AnomalyDetector.load(modelA).score(org.nd4j.linalg.factory.Nd4j.create(parse(rows.subList(0, 20))));
        double[] b = AnomalyDetector.load(modelB).score(org.nd4j.linalg.factory.Nd4j.create(parse(rows.subList(0, 20))));
        AtomicBoolean go = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger sawB = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        long reloadsBefore = server.reloads();
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                fs.add(pool.submit(() -> {
                    while (go.get()) {
                        try {
                            HttpResponse<String> r = post("/score", "application/json", body);
                            if (r.statusCode() != 200) {
                                failed.incrementAndGet();
                                continue;
                            }
                            double[] s = field(Json.MAPPER.readTree(r.body()), "score");
                            if (close(s, b)) {
                                sawB.incrementAndGet();
                            } else if (!close(s, a)) {
                                failed.incrementAndGet();   // neither model's scores: a mixed or broken answer
                            }
                            ok.incrementAndGet();
                        } catch (Exception e) {
                            failed.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(1500);
            Path tmp = dir.resolve("served.tmp");
            Files.copy(modelB, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, served, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (sawB.get() < 20 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            go.set(false);
            for (Future<?> f : fs) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            go.set(false);
            pool.shutdownNow();
        }
        assertEquals(0, failed.get(), "failed requests; log: " + LOG);
        assertTrue(server.reloads() > reloadsBefore, "reloaded");
        assertTrue(sawB.get() >= 20 && ok.get() > sawB.get(), ok + " ok, " + sawB + " on the new model");
    }

    @Test
    void givenServeInAChildJvm_whenSigterm_thenItAnswersUntilThenAndStopsCleanlyClosingThePort() throws Exception {
        try (StreamCommandTest.Child c = new StreamCommandTest.Child(true, "serve", "--model", modelA.toString(),
                "--port", "0")) {
            int port = -1;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (port < 0 && System.nanoTime() < deadline && c.p.isAlive()) {
                synchronized (c.out) {
                    for (String l : c.out) {
                        java.util.regex.Matcher m = java.util.regex.Pattern
                                .compile("listening on http://127\\.0\\.0\\.1:(\\d+)").matcher(l);
                        if (m.find()) {
                            port = Integer.parseInt(m.group(1));
                        }
                    }
                }
                Thread.sleep(50);
            }
            assertTrue(port > 0, "the child printed its port: " + c.out);
            URI health = URI.create("http://127.0.0.1:" + port + "/health");
            assertEquals(200, http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            c.p.destroy();   // SIGTERM
            assertTrue(c.p.waitFor(60, TimeUnit.SECONDS), "stopped within 60 s");
            assertTrue(c.out.stream().noneMatch(l -> l.contains("Exception")), "a clean stop: " + c.out);
            java.net.Socket sock = new java.net.Socket();
            try (sock) {
                sock.connect(new java.net.InetSocketAddress("127.0.0.1", port), 2000);
                org.junit.jupiter.api.Assertions.fail("the port is still open after the stop");
            } catch (java.io.IOException expected) {
                // connection refused: closed
            }
        }
    }

    static float[][] parse(List<String> csv) {
        float[][] x = new float[csv.size()][];
        for (int i = 0; i < x.length; i++) {
            String[] f = csv.get(i).split(",");
            x[i] = new float[f.length];
            for (int j = 0; j < f.length; j++) {
                x[i][j] = Float.parseFloat(f[j]);
            }
        }
        return x;
    }

    static boolean close(double[] s, double[] ref) {
        if (s.length != ref.length) {
            return false;
        }
        for (int i = 0; i < s.length; i++) {
            if (Math.abs(s[i] - ref[i]) > 1e-5 * Math.max(1, Math.abs(ref[i]))) {
                return false;
            }
        }
        return true;
    }
}
