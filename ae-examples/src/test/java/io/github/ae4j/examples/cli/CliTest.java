package io.github.ae4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ae4j.core.internal.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line end to end, in-process through the parser: train, calibrate, score, evaluate,
 * encode, reconstruct, info on a small CSV, their output formats, and every bad-input case (exit
 * code 2, one line on stderr, no partial output).
 */
class CliTest {

    @TempDir
    static Path dir;
    static Path train;
    static Path test;
    static Path model;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Ae4jCli.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Sensor-like rows: 6 correlated numeric columns and a categorical one; anomalies break the correlation. */
    static void write(Path p, int rows, double anomalyFraction, boolean label, long seed) throws IOException {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder("id,temp,pressure,flow,rpm,power,vibration,mode");
        sb.append(label ? ",label\n" : "\n");
        String[] modes = {"idle", "run", "boost"};
        for (int i = 0; i < rows; i++) {
            double a = r.nextGaussian();
            double b = r.nextGaussian();
            boolean anomaly = r.nextDouble() < anomalyFraction;
            double[] v = {a, 0.8 * a + 0.2 * b, b, a + b, 0.5 * a - b, 0.3 * b};
            if (anomaly) {
                v[r.nextInt(6)] += (r.nextBoolean() ? 5 : -5);
            }
            sb.append("m").append(i);
            for (double x : v) {
                sb.append(',').append(String.format(java.util.Locale.ROOT, "%.4f", x + 0.05 * r.nextGaussian()));
            }
            sb.append(',').append(modes[i % 3]);
            if (label) {
                sb.append(',').append(anomaly ? 1 : 0);
            }
            sb.append('\n');
        }
        Files.writeString(p, sb.toString());
    }

    @BeforeAll
    static void trainOnce() throws IOException {
        train = dir.resolve("train.csv");
        test = dir.resolve("test.csv");
        write(train, 1500, 0.0, false, 1);
        write(test, 600, 0.1, true, 2);
        model = dir.resolve("model.ae4j");
        Run r = run("train", "--data", train.toString(), "--out", model.toString(), "--id-column", "id",
                "--epochs", "40", "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("saved " + model), r.out());
    }

    @Test
    void givenTrainedDetector_whenScoring_thenRowScoreAnomalyColumnsFirstAndIdsPassedThrough() throws IOException {
        Path out = dir.resolve("scores.csv");
        Run r = run("score", "--model", model.toString(), "--data", test.toString(), "--id-column", "id",
                "--label-column", "label", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals("row,score,anomaly,p_value,id,label", lines.get(0));
        assertEquals(601, lines.size());
        String[] first = lines.get(1).split(",");
        assertEquals("0", first[0]);
        assertTrue(Double.parseDouble(first[1]) >= 0);
        assertTrue(first[2].equals("0") || first[2].equals("1"));
        assertEquals("m0", first[4]);
        // flagged rows are mostly the planted anomalies
        long flagged = lines.stream().skip(1).filter(l -> l.split(",")[2].equals("1")).count();
        long flaggedAnomalies = lines.stream().skip(1).map(l -> l.split(","))
                .filter(c -> c[2].equals("1") && c[5].equals("1")).count();
        assertTrue(flagged > 0 && flaggedAnomalies > flagged / 2, flaggedAnomalies + " of " + flagged);
        // stdout when no --out
        Run toStdout = run("score", "--model", model.toString(), "--data", test.toString(), "--id-column", "id",
                "--label-column", "label", "--quiet");
        assertEquals(0, toStdout.code(), toStdout.err());
        assertTrue(toStdout.out().startsWith("row,score,anomaly"));
        assertEquals("", toStdout.err());
    }

    @Test
    void givenLabelledData_whenEvaluatingAsJson_thenOneObjectWithTheContractKeys() throws IOException {
        Run r = run("evaluate", "--model", model.toString(), "--data", test.toString(), "--id-column", "id",
                "--label-column", "label", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = Json.MAPPER.readTree(r.out());
        for (String k : List.of("auroc", "auprc", "precision", "recall", "f1", "threshold", "n", "anomalies")) {
            assertTrue(j.has(k), "missing key " + k + " in " + r.out());
        }
        assertEquals(600, j.get("n").asInt());
        assertTrue(j.get("auroc").asDouble() > 0.9, r.out());
        assertEquals(1, r.out().trim().split("\n").length, "one line of JSON");
        assertTrue(r.err().matches("(?s).*evaluate: [0-9.]+ s, peak resident memory [0-9,]+ MB.*"), r.err());
        Run quiet = run("evaluate", "--model", model.toString(), "--data", test.toString(), "--id-column", "id",
                "--label-column", "label", "--json", "--quiet");
        assertFalse(quiet.err().contains("peak resident memory"), quiet.err());
    }

    @Test
    void givenLabelledData_whenCalibratingForF1_thenThresholdMovesAndF1IsAtLeastAsGood() throws IOException {
        Path tuned = dir.resolve("tuned.ae4j");
        Run c = run("calibrate", "--model", model.toString(), "--data", test.toString(), "--id-column", "id",
                "--label-column", "label", "--threshold", "f1", "--out", tuned.toString());
        assertEquals(0, c.code(), c.err());
        JsonNode before = Json.MAPPER.readTree(run("evaluate", "--model", model.toString(), "--data", test.toString(),
                "--id-column", "id", "--label-column", "label", "--json").out());
        JsonNode after = Json.MAPPER.readTree(run("evaluate", "--model", tuned.toString(), "--data", test.toString(),
                "--id-column", "id", "--label-column", "label", "--json").out());
        assertEquals("f1", after.get("thresholdSpec").asText());
        assertTrue(after.get("f1").asDouble() >= before.get("f1").asDouble() - 1e-12);
        assertEquals(after.get("bestF1").asDouble(), after.get("f1").asDouble(), 1e-9);
        // percentile recalibration on normal rows only, and info shows the new threshold
        Run p = run("calibrate", "--model", tuned.toString(), "--data", train.toString(), "--id-column", "id",
                "--threshold", "percentile:95");
        assertEquals(0, p.code(), p.err());
        JsonNode info = Json.MAPPER.readTree(run("info", "--model", tuned.toString()).out());
        assertEquals("percentile:95", info.get("detector").get("thresholdSpec").asText());
        assertEquals(1500, info.get("detector").get("calibrationRows").asInt());
        assertEquals(List.of("temp", "pressure", "flow", "rpm", "power", "vibration", "mode=boost", "mode=idle",
                "mode=run"), Json.MAPPER.convertValue(info.get("features"), List.class));
        // provenance: this build's versions and the fingerprint of the rows the (first) model trained on
        JsonNode prov = info.get("provenance");
        assertEquals(io.github.ae4j.core.Ae4j.VERSION, prov.get("ae4jVersion").asText());
        assertEquals(System.getProperty("java.version"), prov.get("javaVersion").asText());
        assertTrue(prov.get("backend").asText().startsWith("org.nd4j."), prov.toString());
        io.github.ae4j.core.data.Table t = io.github.ae4j.core.data.CsvReader.read(train,
                io.github.ae4j.core.data.CsvOptions.defaults().withIdColumn("id"));
        assertEquals(new io.github.ae4j.core.DataFingerprint().add(t.features()).value(), prov.get("data").asText());
        assertTrue(prov.get("schema").asText().startsWith("features:9:"), prov.toString());
    }

    @Test
    void givenModel_whenEncodingAndReconstructing_thenOneRowPerInputWithIds() throws IOException {
        Path codes = dir.resolve("codes.csv");
        Run e = run("encode", "--model", model.toString(), "--data", test.toString(), "--id-column", "id",
                "--label-column", "label", "--out", codes.toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.err().contains("encode: ") && e.err().contains("peak resident memory"), e.err());
        List<String> lines = Files.readAllLines(codes);
        assertTrue(lines.get(0).startsWith("row,id,z0,z1"), lines.get(0));
        assertEquals(601, lines.size());
        Path rec = dir.resolve("rec.csv");
        Run r = run("reconstruct", "--model", model.toString(), "--data", test.toString(), "--id-column", "id",
                "--label-column", "label", "--out", rec.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("row,id,temp,pressure,flow,rpm,power,vibration,mode=boost,mode=idle,mode=run",
                Files.readAllLines(rec).get(0));
    }

    @Test
    void givenPlainDetector_whenGenerating_thenExit2WithClearMessage() {
        Path out = dir.resolve("samples.csv");
        Run r = run("generate", "--model", model.toString(), "--count", "5", "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("only variational models"), r.err());
        assertFalse(Files.exists(out));
    }

    // ------------------------------------------------------------------ bad input: exit 2, one line, no output

    private static void assertUsageError(Run r, Path out, String... fragments) {
        assertEquals(2, r.code(), r.out() + r.err());
        String err = r.err().trim();
        assertEquals(1, err.lines().filter(l -> l.startsWith("ae4j:")).count(), err);
        for (String f : fragments) {
            assertTrue(err.contains(f), "expected '" + f + "' in: " + err);
        }
        if (out != null) {
            assertFalse(Files.exists(out), "no output file left behind");
            try (var files = Files.list(out.getParent())) {
                assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith("." + out.getFileName())),
                        "no temporary file left behind");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Test
    void givenMissingFile_whenScoring_thenExit2() {
        Path out = dir.resolve("missing-out.csv");
        assertUsageError(run("score", "--model", model.toString(), "--data", dir.resolve("nope.csv").toString(),
                "--out", out.toString()), out, "nope.csv", "no such file");
        assertUsageError(run("score", "--model", dir.resolve("nope.ae4j").toString(), "--data", test.toString(),
                "--out", out.toString()), out, "nope.ae4j");
    }

    @Test
    void givenNonNumericCell_whenScoring_thenExit2NamingRowAndColumn() throws IOException {
        Path bad = dir.resolve("bad.csv");
        List<String> lines = Files.readAllLines(test);
        String[] c = lines.get(5).split(",");
        c[3] = "abc";
        lines.set(5, String.join(",", c));
        Files.write(bad, lines);
        Path out = dir.resolve("bad-out.csv");
        assertUsageError(run("score", "--model", model.toString(), "--data", bad.toString(), "--id-column", "id",
                "--label-column", "label", "--out", out.toString()), out, "row 4", "'flow'", "abc");
    }

    @Test
    void givenDataOfTheWrongWidth_whenScoring_thenExit2() throws IOException {
        Path narrow = dir.resolve("narrow.csv");
        Files.writeString(narrow, "a,b,c\n1,2,3\n4,5,6\n");
        Path out = dir.resolve("narrow-out.csv");
        assertUsageError(run("score", "--model", model.toString(), "--data", narrow.toString(), "--out", out.toString()),
                out, "missing 'temp', 'pressure'", "unknown 'a', 'b', 'c'");
    }

    /** Issue 15: scoring matched columns by position, so swapped columns silently changed the scores. */
    @Test
    void givenSwappedColumns_whenScoringEvaluatingEncoding_thenIdenticalToTheOriginalOrder() throws IOException {
        List<String> lines = Files.readAllLines(test);
        int[] order = {8, 7, 0, 3, 2, 1, 6, 5, 4}; // label, mode, id, flow, pressure, temp, vibration, power, rpm
        List<String> swapped = new java.util.ArrayList<>();
        for (String l : lines) {
            String[] c = l.split(",");
            String[] d = new String[c.length];
            for (int i = 0; i < order.length; i++) {
                d[i] = c[order[i]];
            }
            swapped.add(String.join(",", d));
        }
        Path sw = dir.resolve("swapped.csv");
        Files.write(sw, swapped);
        for (String cmd : List.of("score", "encode", "reconstruct")) {
            Path a = dir.resolve(cmd + "-a.csv");
            Path b = dir.resolve(cmd + "-b.csv");
            Run ra = run(cmd, "--model", model.toString(), "--data", test.toString(), "--id-column", "id",
                    "--label-column", "label", "--out", a.toString(), "--quiet");
            Run rb = run(cmd, "--model", model.toString(), "--data", sw.toString(), "--id-column", "id",
                    "--label-column", "label", "--out", b.toString(), "--quiet");
            assertEquals(0, ra.code(), ra.err());
            assertEquals(0, rb.code(), rb.err());
            assertEquals(Files.readAllLines(a), Files.readAllLines(b), cmd);
        }
        Run ea = run("evaluate", "--model", model.toString(), "--data", test.toString(), "--id-column", "id",
                "--label-column", "label", "--json");
        Run eb = run("evaluate", "--model", model.toString(), "--data", sw.toString(), "--id-column", "id",
                "--label-column", "label", "--json");
        assertEquals(ea.out(), eb.out());
    }

    @Test
    void givenDifferentColumnSet_whenScoringOrCalibrating_thenExit2NamingTheColumns() throws IOException {
        Path other = dir.resolve("other.csv");
        List<String> lines = Files.readAllLines(test);
        lines.set(0, lines.get(0).replace("pressure", "humidity"));
        Files.write(other, lines);
        Path out = dir.resolve("other-out.csv");
        assertUsageError(run("score", "--model", model.toString(), "--data", other.toString(), "--id-column", "id",
                "--label-column", "label", "--out", out.toString()), out, "other.csv", "missing 'pressure'",
                "unknown 'humidity'");
        Path tuned = dir.resolve("other.ae4j");
        assertUsageError(run("calibrate", "--model", model.toString(), "--data", other.toString(), "--id-column", "id",
                "--label-column", "label", "--threshold", "f1", "--out", tuned.toString()), tuned,
                "missing 'pressure'", "unknown 'humidity'");
    }

    /** Issue 15: losses are ServiceLoader plugins; the test source set of ae-core registers {@code test-l2}. */
    @Test
    void givenLossPlugin_whenTrainingWithLossAndScoring_thenFoundByNameAndAnUnknownLossIsExit2() throws IOException {
        Run list = run("train", "--arch", "list");
        assertTrue(list.out().contains("losses (--loss NAME): bce, mae, mse, mse-sigmoid, test-l2"), list.out());
        Path l2 = dir.resolve("l2.ae4j");
        Run t = run("train", "--data", train.toString(), "--out", l2.toString(), "--id-column", "id", "--loss",
                "test-l2", "--epochs", "2", "--quiet");
        assertEquals(0, t.code(), t.err());
        assertTrue(run("info", "--model", l2.toString()).out().contains("test-l2"));
        Path scores = dir.resolve("l2-scores.csv");
        Run s = run("score", "--model", l2.toString(), "--data", test.toString(), "--id-column", "id",
                "--label-column", "label", "--out", scores.toString(), "--quiet");
        assertEquals(0, s.code(), s.err());
        assertEquals(601, Files.readAllLines(scores).size());
        Path never = dir.resolve("never-loss.ae4j");
        assertUsageError(run("train", "--data", train.toString(), "--out", never.toString(), "--loss", "huber"),
                never, "unknown reconstruction loss 'huber': available are bce, mae, mse, mse-sigmoid, test-l2");
        // a model file naming a loss no provider on the class path has: refused naming it (no class is created)
        java.util.Map<String, byte[]> entries = io.github.ae4j.core.testing.ModelFiles.entries(l2);
        String entry = entries.keySet().stream().filter(k -> new String(entries.get(k), StandardCharsets.UTF_8)
                .contains("\"loss\" : \"test-l2\"")).findFirst().orElseThrow();
        Path ghost = io.github.ae4j.core.testing.ModelFiles.rewrite(entries, entry, "\"loss\" : \"test-l2\"",
                "\"loss\" : \"huber\"", dir.resolve("huber.ae4j"));
        Path out = dir.resolve("huber-scores.csv");
        assertUsageError(run("score", "--model", ghost.toString(), "--data", test.toString(), "--id-column", "id",
                "--label-column", "label", "--out", out.toString()), out, "huber.ae4j",
                "unknown reconstruction loss 'huber'");
    }

    /** Issue 15: a header in one file and not the other is an error unless --match-columns position is given. */
    @Test
    void givenHeaderMismatch_whenScoringWithMatchColumnsPosition_thenSameScoresAndWithoutItExit2() throws IOException {
        List<String> lines = Files.readAllLines(test);
        Path bare = dir.resolve("bare.csv");
        Files.write(bare, lines.subList(1, lines.size()));
        Path named = dir.resolve("named-scores.csv");
        assertEquals(0, run("score", "--model", model.toString(), "--data", test.toString(), "--id-column", "id",
                "--label-column", "label", "--out", named.toString(), "--quiet").code());
        Path refused = dir.resolve("bare-refused.csv");
        assertUsageError(run("score", "--model", model.toString(), "--data", bare.toString(), "--id-column", "0",
                "--label-column", "8", "--out", refused.toString()), refused, "bare.csv: has no header line",
                "--match-columns position");
        Path positional = dir.resolve("bare-scores.csv");
        Run r = run("score", "--model", model.toString(), "--data", bare.toString(), "--id-column", "0",
                "--label-column", "8", "--match-columns", "position", "--out", positional.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertEquals(firstColumns(named, 3), firstColumns(positional, 3), "row, score, anomaly");
        Run e = run("evaluate", "--model", model.toString(), "--data", bare.toString(), "--id-column", "0",
                "--label-column", "8", "--match-columns", "position", "--json");
        assertEquals(run("evaluate", "--model", model.toString(), "--data", test.toString(), "--id-column", "id",
                "--label-column", "label", "--json").out(), e.out());
        // the other way round: a model trained without a header, a file with one
        List<String> trainLines = Files.readAllLines(train);
        Path bareTrain = dir.resolve("bare-train.csv");
        Files.write(bareTrain, trainLines.subList(1, trainLines.size()));
        Path bareModel = dir.resolve("bare.ae4j");
        assertEquals(0, run("train", "--data", bareTrain.toString(), "--out", bareModel.toString(), "--id-column", "0",
                "--epochs", "2", "--quiet").code());
        Path out = dir.resolve("headered-refused.csv");
        assertUsageError(run("score", "--model", bareModel.toString(), "--data", test.toString(), "--id-column", "id",
                "--label-column", "label", "--out", out.toString()), out, "has a header line",
                "--match-columns position");
        Path a = dir.resolve("headered-scores.csv");
        Path b = dir.resolve("headerless-scores.csv");
        assertEquals(0, run("score", "--model", bareModel.toString(), "--data", test.toString(), "--id-column", "id",
                "--label-column", "label", "--match-columns", "position", "--out", a.toString(), "--quiet").code());
        assertEquals(0, run("score", "--model", bareModel.toString(), "--data", bare.toString(), "--id-column", "0",
                "--label-column", "8", "--out", b.toString(), "--quiet").code());
        assertEquals(firstColumns(b, 3), firstColumns(a, 3));
        assertUsageError(run("score", "--model", model.toString(), "--data", test.toString(), "--match-columns",
                "order", "--out", dir.resolve("never.csv").toString()), dir.resolve("never.csv"),
                "--match-columns must be name or position, got 'order'");
        assertTrue(run("score", "--help").out().contains("--match-columns"));
    }

    private static List<String> firstColumns(Path csv, int n) throws IOException {
        return Files.readAllLines(csv).stream().skip(1).map(l -> String.join(",",
                java.util.Arrays.asList(l.split(",")).subList(0, n))).toList();
    }

    @Test
    void givenUnknownThresholdSpec_whenTraining_thenExit2ListingTheValidForms() {
        Path out = dir.resolve("never.ae4j");
        assertUsageError(run("train", "--data", train.toString(), "--out", out.toString(), "--threshold", "top:5"),
                out, "top:5", "percentile:");
    }

    @Test
    void givenLabelColumnThatDoesNotExist_whenEvaluating_thenExit2() {
        assertUsageError(run("evaluate", "--model", model.toString(), "--data", test.toString(), "--label-column",
                "target"), null, "label column 'target' not found");
    }

    @Test
    void givenUnknownOptionOrMissingRequired_whenParsing_thenExit2() {
        Run r = run("score", "--model", model.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--data"), r.err());
        assertEquals(2, run("train", "--bogus").code());
        assertEquals(2, run().code());
    }

    @Test
    void givenHelpOnEveryCommand_whenAsked_thenExit0WithUsage() {
        for (String c : List.of("train", "score", "evaluate", "calibrate", "encode", "reconstruct", "generate", "info",
                "demo", "bench")) {
            Run r = run(c, "--help");
            assertEquals(0, r.code(), c);
            assertTrue(r.out().contains("Usage: ae4j " + c), c + ": " + r.out());
        }
        Run v = run("--version");
        assertEquals(0, v.code());
        assertTrue(v.out().startsWith("ae4j "));
    }

    @Test
    void givenBenchJson_whenRunSmall_thenTheContractFieldsArePositive() throws IOException {
        Run r = run("bench", "--input", "32", "--hidden", "16", "--latent", "4", "--rows", "1000", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = Json.MAPPER.readTree(r.out());
        for (String k : List.of("train_rows_per_s", "train_first_epoch_rows_per_s", "score_rows_per_s",
                "latency_p50_ms", "latency_p99_ms")) {
            assertTrue(j.path(k).asDouble() > 0, k + " in " + r.out());
        }
        assertTrue(j.path("latency_p99_ms").asDouble() >= j.path("latency_p50_ms").asDouble(), r.out());

        Run c = run("bench", "--csv-rows", "3000", "--input", "8", "--json");
        assertEquals(0, c.code(), c.err());
        JsonNode k = Json.MAPPER.readTree(c.out());
        assertEquals(3000, k.path("csv_rows").asInt());
        assertTrue(k.path("csv_score_rows_per_s").asDouble() > 0, c.out());
        assertEquals(2, run("bench", "--csv-rows", "0").code());
    }
}
