package io.github.ae4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.anomaly.stream.StreamingDetector;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ae4j stream}: output format, checkpoints, restarts. The kill tests run the command in a
 * child JVM (its output read on a thread, every wait bounded, the child destroyed forcibly on any
 * timeout), so nothing can hang the build.
 */
class StreamCommandTest {

    static final int TRAIN_ROWS = 3000;
    static final int STREAM_ROWS = 1500;
    static final int FIRST_PART = 1100;
    static final int CHECKPOINT = 250;

    @TempDir
    static Path dir;
    static Path model;
    static Path streamFile;
    static List<String> lines;
    static List<String> whole;
    static Path wholeState;

    record Run(int code, String out, String err) {
    }

    static Run run(InputStream stdin, String... args) {
        InputStream old = System.in;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setIn(stdin);
            int code = Ae4jCli.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setIn(old);
        }
    }

    static Run run(String... args) {
        return run(new ByteArrayInputStream(new byte[0]), args);
    }

    /** Four correlated channels; in the stream, one row in 40 (i % 40 == 17) has one channel off by 6 to 9. */
    static List<String> rows(int n, boolean anomalies, long seed) {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double a = r.nextGaussian();
            double b = r.nextGaussian();
            double[] v = {a + 0.1 * r.nextGaussian(), 0.7 * a + 0.3 * b, b + 0.1 * r.nextGaussian(), a - b};
            if (anomalies && i % 40 == 17) {
                v[r.nextInt(4)] += (r.nextBoolean() ? 1 : -1) * (6 + 3 * r.nextDouble());
            }
            out.add(String.format(java.util.Locale.ROOT, "%.5f,%.5f,%.5f,%.5f", v[0], v[1], v[2], v[3]));
        }
        return out;
    }

    @BeforeAll
    static void trainDetector() throws IOException {
        Path train = dir.resolve("train.csv");
        List<String> t = new ArrayList<>(List.of("a,b,c,d"));
        t.addAll(rows(TRAIN_ROWS, false, 1));
        Files.write(train, t);
        model = dir.resolve("det.ae4j");
        Run r = run("train", "--data", train.toString(), "--out", model.toString(), "--epochs", "8", "--quiet");
        assertEquals(0, r.code(), r.err());
        lines = new ArrayList<>(List.of("a,b,c,d"));
        lines.addAll(rows(STREAM_ROWS, true, 2));
        streamFile = dir.resolve("stream.csv");
        Files.write(streamFile, lines);
        wholeState = dir.resolve("whole.json");
        Run w = run("stream", "--model", model.toString(), "--data", streamFile.toString(), "--state",
                wholeState.toString(), "--checkpoint-every", "300", "--quiet");
        assertEquals(0, w.code(), w.err());
        whole = body(w.out());
    }

    static List<String> body(String out) {
        List<String> l = new ArrayList<>(List.of(out.split("\n")));
        assertEquals("row,score,anomaly,p_value,threshold", l.remove(0));
        return l;
    }

    static String flags(List<String> body, int from) {
        StringBuilder sb = new StringBuilder();
        for (String s : body) {
            String[] f = s.split(",");
            if (Long.parseLong(f[0]) >= from) {
                sb.append(f[0]).append(':').append(f[2]).append(' ');
            }
        }
        return sb.toString();
    }

    @Test
    void givenAFile_whenStreamed_thenOneLinePerRowAndTheStateCountsEveryRow() throws IOException {
        Path state = wholeState;
        List<String> b = whole;
        assertEquals(STREAM_ROWS, b.size());
        assertEquals("0", b.get(0).split(",")[0]);
        long flagged = b.stream().filter(s -> s.split(",")[2].equals("1")).count();
        long hits = b.stream().filter(s -> s.split(",")[2].equals("1") && Long.parseLong(s.split(",")[0]) % 40 == 17)
                .count();
        double[] scores = b.stream().mapToDouble(s -> Double.parseDouble(s.split(",")[1])).toArray();
        int[] planted = b.stream().mapToInt(s -> Long.parseLong(s.split(",")[0]) % 40 == 17 ? 1 : 0).toArray();
        double auroc = io.github.ae4j.core.testing.Ranks.auroc(scores, planted);
        String msg = flagged + " flagged at risk 1e-3, " + hits + " of them planted, " + STREAM_ROWS / 40
                + " planted; AUROC of the streamed scores " + auroc;
        System.out.println(msg);
        // the scores rank the planted rows high, and SPOT's flags are mostly planted rows (at risk 1e-3 it
        // expects about 1.5 false alarms in 1,500 normal rows)
        assertTrue(auroc >= 0.9 && hits >= 1 && hits >= 0.8 * flagged, msg);
        assertEquals(STREAM_ROWS, StreamingDetector.load(state).rows());
        assertEquals(flagged, StreamingDetector.load(state).alarms());

        // the same file again with the finished state: nothing left to do, nothing re-scored
        Run again = run("stream", "--model", model.toString(), "--data", streamFile.toString(), "--state",
                state.toString(), "--quiet");
        assertEquals(0, again.code(), again.err());
        assertEquals(0, body(again.out()).size());
    }

    @Test
    void givenFormatJson_whenStreamed_thenTheRowsOfScoreFormatJsonPlusTheThresholdEqualToTheCsvLines()
            throws IOException {
        Run j = run("stream", "--model", model.toString(), "--data", streamFile.toString(), "--format", "json",
                "--quiet");
        assertEquals(0, j.code(), j.err());
        List<String> json = j.out().lines().toList();
        assertEquals(STREAM_ROWS, json.size(), "no header, one object per row");
        Run s = run("score", "--model", model.toString(), "--data", streamFile.toString(), "--format", "json",
                "--quiet");
        assertEquals(0, s.code(), s.err());
        List<String> scored = s.out().lines().toList();
        io.github.ae4j.anomaly.AnomalyDetector det = io.github.ae4j.anomaly.AnomalyDetector.load(model);
        double step = 1.0 / (det.calibrationScores().length + 1);
        for (int i = 0; i < STREAM_ROWS; i++) {
            com.fasterxml.jackson.databind.JsonNode o = io.github.ae4j.core.internal.Json.MAPPER.readTree(json.get(i));
            com.fasterxml.jackson.databind.JsonNode sc = io.github.ae4j.core.internal.Json.MAPPER.readTree(scored.get(i));
            List<String> keys = new ArrayList<>();
            o.fieldNames().forEachRemaining(keys::add);
            List<String> scoreKeys = new ArrayList<>();
            sc.fieldNames().forEachRemaining(scoreKeys::add);
            assertEquals(List.of("row", "score", "anomaly", "p_value", "threshold"), keys);
            assertEquals(scoreKeys, keys.subList(0, 4), "score --format json's keys, in its order, then threshold");
            // the same values as the CSV lines of the same stream
            String[] f = whole.get(i).split(",");
            assertEquals(Long.parseLong(f[0]), o.get("row").asLong());
            assertEquals(Double.parseDouble(f[1]), o.get("score").doubleValue());
            assertEquals(Integer.parseInt(f[2]), o.get("anomaly").asInt());
            assertEquals(Double.parseDouble(f[3]), o.get("p_value").doubleValue());
            assertEquals(Double.parseDouble(f[4]), o.get("threshold").doubleValue());
            // the p-value is score's: against the detector's calibration scores (rows scored one at a time
            // here, in batches there: a score may move by float rounding, a p-value by one calibration step)
            assertEquals(det.conformal().pValue(o.get("score").doubleValue()), o.get("p_value").doubleValue(), 1e-12);
            assertEquals(sc.get("p_value").doubleValue(), o.get("p_value").doubleValue(), step + 1e-12, "row " + i);
            assertEquals(sc.get("row").asLong(), o.get("row").asLong());
        }
    }

    @Test
    void givenStdinAndAState_whenStreamedInTwoParts_thenTheSecondContinuesTheRowNumbersAndTheFlags() throws IOException {
        Path state = dir.resolve("stdin.json");
        String head = String.join("\n", lines.subList(0, 1 + 600)) + "\n";
        Run a = run(new ByteArrayInputStream(head.getBytes(StandardCharsets.UTF_8)), "stream", "--model",
                model.toString(), "--state", state.toString());
        assertEquals(0, a.code(), a.err());
        assertTrue(a.err().contains("from data row 600"), a.err());
        String tail = String.join("\n", lines.subList(1 + 600, lines.size())) + "\n";
        Run b = run(new ByteArrayInputStream(tail.getBytes(StandardCharsets.UTF_8)), "stream", "--model",
                model.toString(), "--state", state.toString(), "--quiet");
        assertEquals(0, b.code(), b.err());
        List<String> both = new ArrayList<>(body(a.out()));
        both.addAll(body(b.out()));
        assertEquals(whole, both);
    }

    @Test
    void givenBadInput_whenStreaming_thenExitTwoWithOneLineAndTheStateKeepsTheGoodRows() throws IOException {
        Path bad = dir.resolve("bad.csv");
        List<String> l = new ArrayList<>(lines.subList(0, 11));
        l.add("1,2,oops,4");
        Files.write(bad, l);
        Path state = dir.resolve("bad.json");
        Run r = run("stream", "--model", model.toString(), "--data", bad.toString(), "--state", state.toString(),
                "--quiet");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("oops") && r.err().lines().count() == 1, r.err());
        assertEquals(10, StreamingDetector.load(state).rows());
        Run w = run(new ByteArrayInputStream("1,2,3\n".getBytes(StandardCharsets.UTF_8)), "stream", "--model",
                model.toString(), "--quiet");
        assertEquals(2, w.code());
        assertTrue(w.err().contains("expected 4 columns"), w.err());
        Run c = run("stream", "--model", model.toString(), "--data", bad.toString(), "--checkpoint-every", "0");
        assertEquals(2, c.code());
    }

    // ------------------------------------------------------------------ child processes

    /** A child JVM running the command line, its stdout collected on a thread. */
    static final class Child implements AutoCloseable {
        final Process p;
        final List<String> out = Collections.synchronizedList(new ArrayList<>());
        final Thread reader;

        Child(String... args) throws IOException {
            this(false, args);
        }

        /**
         * @param withStderr true to read stderr too (merged into {@link #out})
         * @param args       the command line
         */
        Child(boolean withStderr, String... args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m"));
            String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
            if (cache != null) {
                cmd.add("-Dorg.bytedeco.javacpp.cachedir=" + cache);
            }
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Ae4jCli.class.getName()));
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
            if (withStderr) {
                pb.redirectErrorStream(true);
            } else {
                pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            }
            p = pb.start();
            reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String s;
                    while ((s = r.readLine()) != null) {
                        out.add(s);
                    }
                } catch (IOException e) {
                    // the child was killed
                }
            }, "child-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        @Override
        public void close() throws InterruptedException {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
            reader.join(5000);
        }
    }

    /** Waits (at most 120 s) until the state file says {@code rows}. */
    static void awaitState(Path state, long rows, Child c) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!c.p.isAlive()) {
                throw new AssertionError("the child ended early with " + c.p.exitValue() + "; output " + c.out.size()
                        + " lines");
            }
            if (Files.exists(state)) {
                try {
                    if (StreamingDetector.load(state).rows() >= rows) {
                        return;
                    }
                } catch (IOException e) {
                    // never a half-written file (atomic), but be tolerant of a race with the first write
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no checkpoint at row " + rows + " within 120 s");
    }

    @Test
    void givenAGrowingFile_whenTheChildIsKilledAfterItsCheckpointAndRestarted_thenLaterFlagsEqualOneUninterruptedRun()
            throws Exception {
        Path growing = dir.resolve("growing.csv");
        Files.write(growing, lines.subList(0, 1 + FIRST_PART));
        Path state = dir.resolve("killed.json");
        long n = (long) (FIRST_PART / CHECKPOINT) * CHECKPOINT;   // the last checkpoint before the rows run out
        try (Child c = new Child("stream", "--model", model.toString(), "--data", growing.toString(), "--state",
                state.toString(), "--checkpoint-every", String.valueOf(CHECKPOINT), "--follow", "--poll-ms", "20")) {
            awaitState(state, n, c);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (c.out.size() < 1 + FIRST_PART && System.nanoTime() < deadline) {
                Thread.sleep(20);   // it goes on past the checkpoint to the end of what is there, then waits
            }
            assertEquals(1 + FIRST_PART, c.out.size(), "rows printed before the kill");
            c.p.destroyForcibly();   // SIGKILL: no shutdown hook runs
            assertTrue(c.p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(n, StreamingDetector.load(state).rows(), "the state is the last checkpoint's");
            assertEquals(whole.subList(0, FIRST_PART), c.out.subList(1, 1 + FIRST_PART));
        }
        Files.write(growing, lines.subList(1 + FIRST_PART, lines.size()), StandardOpenOption.APPEND);
        try (Child c = new Child("stream", "--model", model.toString(), "--data", growing.toString(), "--state",
                state.toString(), "--checkpoint-every", String.valueOf(CHECKPOINT))) {
            assertTrue(c.p.waitFor(120, TimeUnit.SECONDS), "the restarted child ends at the end of the file");
            c.reader.join(10_000);
            assertEquals(0, c.p.exitValue());
            List<String> resumed = new ArrayList<>(c.out);
            assertEquals("row,score,anomaly,p_value,threshold", resumed.remove(0));
            assertEquals(String.valueOf(n), resumed.get(0).split(",")[0], "the restart begins at the checkpoint");
            assertEquals(flags(whole, (int) n), flags(resumed, (int) n));
            assertEquals(whole.subList((int) n, STREAM_ROWS), resumed, "scores and thresholds too");
            assertEquals(STREAM_ROWS, StreamingDetector.load(state).rows());
        }
    }

    @Test
    void givenAFollowedFile_whenTheChildGetsSigterm_thenItSavesTheStateAtTheLastRowItPrinted() throws Exception {
        Path growing = dir.resolve("term.csv");
        Files.write(growing, lines.subList(0, 1 + 300));
        Path state = dir.resolve("term.json");
        try (Child c = new Child("stream", "--model", model.toString(), "--data", growing.toString(), "--state",
                state.toString(), "--checkpoint-every", "1000", "--follow", "--poll-ms", "20")) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (c.out.size() < 1 + 300 && System.nanoTime() < deadline && c.p.isAlive()) {
                Thread.sleep(20);
            }
            assertEquals(1 + 300, c.out.size());
            assertTrue(!Files.exists(state), "no checkpoint yet (every 1000 rows)");
            c.p.destroy();   // SIGTERM: the shutdown hook saves the state
            assertTrue(c.p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(300, StreamingDetector.load(state).rows());
        }
    }
}
