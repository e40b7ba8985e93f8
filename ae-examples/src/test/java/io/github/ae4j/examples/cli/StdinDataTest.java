package io.github.ae4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --data -} (stdin) in every command that reads a data file, through the in-process CLI: each
 * gives exactly what the same command gives on a file holding the same bytes (training included: the
 * model trained from stdin scores every row identically), plain or gzipped; a bad row names
 * {@code <stdin>} and its row, never the temporary copy; the copy is removed afterwards.
 */
class StdinDataTest {

    @TempDir
    static Path dir;
    static Path trainFile;
    static byte[] trainBytes;
    static Path testFile;
    static byte[] testBytes;
    static Path model;

    static StreamCommandTest.Run stdin(byte[] in, String... args) {
        return StreamCommandTest.run(new ByteArrayInputStream(in), args);
    }

    @BeforeAll
    static void data() throws IOException {
        List<String> t = new ArrayList<>(List.of("a,b,c,d"));
        t.addAll(StreamCommandTest.rows(1200, false, 1));
        trainBytes = (String.join("\n", t) + "\n").getBytes(StandardCharsets.UTF_8);
        trainFile = dir.resolve("train.csv");
        Files.write(trainFile, trainBytes);
        // labelled test rows: label 1 on the rows with a channel pushed off (i % 40 == 17)
        List<String> rows = StreamCommandTest.rows(400, true, 3);
        List<String> l = new ArrayList<>(List.of("a,b,c,d,label"));
        for (int i = 0; i < rows.size(); i++) {
            l.add(rows.get(i) + "," + (i % 40 == 17 ? 1 : 0));
        }
        testBytes = (String.join("\n", l) + "\n").getBytes(StandardCharsets.UTF_8);
        testFile = dir.resolve("test.csv");
        Files.write(testFile, testBytes);
        model = dir.resolve("file.ae4j");
        StreamCommandTest.Run r = StreamCommandTest.run("train", "--data", trainFile.toString(), "--out",
                model.toString(), "--epochs", "3", "--quiet");
        assertEquals(0, r.code(), r.err());
    }

    static List<Path> stdinCopies() throws IOException {
        try (var s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("ae4j-stdin-")).toList();
        }
    }

    @Test
    void givenTrainingDataOnStdin_whenTrained_thenTheModelScoresEveryRowAsTheOneTrainedFromTheFile()
            throws IOException {
        List<Path> before = stdinCopies();
        Path fromStdin = dir.resolve("stdin.ae4j");
        StreamCommandTest.Run r = stdin(trainBytes, "train", "--data", "-", "--out", fromStdin.toString(), "--epochs",
                "3", "--quiet");
        assertEquals(0, r.code(), r.err());
        StreamCommandTest.Run a = StreamCommandTest.run("score", "--model", model.toString(), "--data",
                testFile.toString(), "--label-column", "label");
        StreamCommandTest.Run b = StreamCommandTest.run("score", "--model", fromStdin.toString(), "--data",
                testFile.toString(), "--label-column", "label");
        assertEquals(0, a.code(), a.err());
        assertEquals(a.out(), b.out());
        assertEquals(before, stdinCopies(), "the temporary copy is removed");
    }

    @Test
    void givenDataOnStdin_whenScoredEvaluatedExplainedEncodedReconstructedOrCalibrated_thenAsFromTheFile()
            throws IOException {
        List<Path> before = stdinCopies();
        String m = model.toString();
        String[][] commands = {
            {"score", "--model", m, "--label-column", "label", "--format", "json", "--explain", "2"},
            {"evaluate", "--model", m, "--label-column", "label", "--json"},
            {"explain", "--model", m, "--label-column", "label", "--top", "2"},
            {"encode", "--model", m, "--label-column", "label", "--out", "-"},
            {"reconstruct", "--model", m, "--label-column", "label", "--out", "-"},
        };
        for (String[] c : commands) {
            List<String> withFile = new ArrayList<>(List.of(c));
            withFile.addAll(List.of("--data", testFile.toString()));
            List<String> withStdin = new ArrayList<>(List.of(c));
            withStdin.addAll(List.of("--data", "-"));
            StreamCommandTest.Run f = StreamCommandTest.run(withFile.toArray(String[]::new));
            StreamCommandTest.Run s = stdin(testBytes, withStdin.toArray(String[]::new));
            assertEquals(0, f.code(), c[0] + ": " + f.err());
            assertEquals(0, s.code(), c[0] + ": " + s.err());
            assertFalse(f.out().isBlank(), c[0]);
            assertEquals(f.out().replace(testFile.toString(), StdinData.NAME)
                    .replace(testFile.getFileName().toString(), StdinData.NAME), s.out(), c[0]);
        }
        // gzipped stdin is recognised by its magic bytes
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
            z.write(testBytes);
        }
        StreamCommandTest.Run plain = StreamCommandTest.run("score", "--model", m, "--data", testFile.toString(),
                "--label-column", "label");
        StreamCommandTest.Run zipped = stdin(gz.toByteArray(), "score", "--model", m, "--data", "-", "--label-column",
                "label");
        assertEquals(0, zipped.code(), zipped.err());
        assertEquals(plain.out(), zipped.out());
        // calibrate from stdin writes the same detector as from the file
        Path c1 = dir.resolve("c1.ae4j");
        Path c2 = dir.resolve("c2.ae4j");
        assertEquals(0, StreamCommandTest.run("calibrate", "--model", m, "--data", testFile.toString(), "--label-column",
                "label", "--threshold", "f1", "--out", c1.toString(), "--quiet").code());
        StreamCommandTest.Run cs = stdin(testBytes, "calibrate", "--model", m, "--data", "-", "--label-column", "label",
                "--threshold", "f1", "--out", c2.toString(), "--quiet");
        assertEquals(0, cs.code(), cs.err());
        assertEquals(StreamCommandTest.run("info", "--model", c1.toString()).out().replace(c1.toString(), "M"),
                StreamCommandTest.run("info", "--model", c2.toString()).out().replace(c2.toString(), "M"));
        assertArrayEquals(io.github.ae4j.anomaly.AnomalyDetector.load(c1).calibrationScores(),
                io.github.ae4j.anomaly.AnomalyDetector.load(c2).calibrationScores());
        assertEquals(before, stdinCopies(), "the temporary copies are removed");
    }

    @Test
    void givenBadOrEmptyStdin_whenScored_thenOneLineNamingStdinAndItsRowExit2() throws IOException {
        List<Path> before = stdinCopies();
        String bad = "a,b,c,d\n1,2,3,4\n1,2,oops,4\n";
        StreamCommandTest.Run r = stdin(bad.getBytes(StandardCharsets.UTF_8), "score", "--model", model.toString(),
                "--data", "-");
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("ae4j: " + StdinData.NAME) && r.err().contains("oops")
                && !r.err().contains("ae4j-stdin-"), r.err());
        StreamCommandTest.Run empty = stdin(new byte[0], "score", "--model", model.toString(), "--data", "-");
        assertEquals(2, empty.code(), empty.err());
        assertEquals(1, empty.err().strip().lines().count(), empty.err());
        assertTrue(empty.err().contains(StdinData.NAME) && !empty.err().contains("ae4j-stdin-"), empty.err());
        Path out = dir.resolve("never.ae4j");
        StreamCommandTest.Run train = stdin(bad.getBytes(StandardCharsets.UTF_8), "train", "--data", "-", "--out",
                out.toString(), "--quiet");
        assertEquals(2, train.code(), train.err());
        assertTrue(train.err().contains(StdinData.NAME), train.err());
        assertFalse(Files.exists(out));
        assertEquals(before, stdinCopies(), "the temporary copies are removed");
        // --help with --data - prints the help without reading stdin (a stream that never ends here)
        java.io.InputStream never = new java.io.InputStream() {
            @Override
            public int read() {
                throw new AssertionError("stdin read for --help");
            }
        };
        StreamCommandTest.Run help = StreamCommandTest.run(never, "score", "--data", "-", "--help");
        assertEquals(0, help.code(), help.err());
        assertTrue(help.out().contains("--explain"), help.out());
    }
}
