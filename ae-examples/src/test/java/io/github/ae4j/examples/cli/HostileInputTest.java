package io.github.ae4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ae4j.core.internal.Json;
import io.github.ae4j.core.ModelFile;
import io.github.ae4j.core.testing.ChildProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every reproduction of issue 18 (hostile files, resource limits, data loss, internal errors), run
 * through the command line in a child JVM with a 256 MiB heap: each gives exit 2 (or 0 where the
 * input is valid) with exactly one line on standard error (log lines included), no
 * OutOfMemoryError, no native crash, no JVM fatal-error log in the working folder, and no temporary
 * or partial file left behind. The bomb files are generated here, never committed. The cases run in
 * one child JVM one after the other (see {@link HostileBatchMain}); signal handling runs its own.
 */
class HostileInputTest {

    private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");

    @TempDir
    Path work;

    /** One command line, what it must give, and a phrase its one stderr line must hold. */
    private record Case(String name, int code, String phrase, List<String> args) {
    }

    private final List<Case> cases = new ArrayList<>();

    private void expect(String name, int code, String phrase, String... args) {
        cases.add(new Case(name, code, phrase, List.of(args)));
    }

    private String p(String name) {
        return work.resolve(name).toString();
    }

    @Test
    void givenEveryReproductionOfTheIssue_whenRunAt256MbHeap_thenExitTwoOrZeroOneLineNoLeftovers() throws Exception {
        Path dense = Files.copy(GOLDEN.resolve("detector-dense-v1.ae4j"), work.resolve("dense.ae4j"));
        Files.copy(GOLDEN.resolve("detector-vae-v1.ae4j"), work.resolve("vae.ae4j"));
        Files.copy(GOLDEN.resolve("tabular-probe.csv"), work.resolve("probe.csv"));
        Path train = Files.copy(GOLDEN.resolve("tabular-train.csv"), work.resolve("train.csv"));
        Map<String, byte[]> entries = entries(dense);
        List<String> header = List.of(Files.readAllLines(work.resolve("probe.csv")).get(0));
        String probeRow = Files.readAllLines(work.resolve("probe.csv")).get(1);

        // 1. bombs: a params.bin inflating to 256 MB and three 100 MB extra entries, manifests re-checksummed
        rewrite(entries, "bomb.ae4j", Map.of(ModelFile.PARAMS, new byte[256 << 20]));
        expect("params.bin bomb", 2, "entry 'params.bin' declares 268435456 bytes, more than its limit",
                "score", "--model", p("bomb.ae4j"), "--data", p("probe.csv"), "--out", p("o-bomb.csv"));
        Map<String, byte[]> extras = new LinkedHashMap<>();
        for (int i = 1; i <= 3; i++) {
            extras.put("extra" + i + ".bin", new byte[100 << 20]);
        }
        rewrite(entries, "extras.ae4j", extras);
        expect("extra entries", 2, "refusing entry 'extra1.bin': a model file holds only",
                "score", "--model", p("extras.ae4j"), "--data", p("probe.csv"), "--out", p("o-extras.csv"));
        rewrite(entries, "pre.ae4j", Map.of("preprocessor.bin", new byte[] {(byte) 0xac, (byte) 0xed, 0, 5}));
        expect("manifest lists preprocessor.bin", 2, "refusing entry 'preprocessor.bin'",
                "info", "--model", p("pre.ae4j"));
        //    a CSV .gz of about 64 KB holding one 64 MiB line, and one with a million columns
        gzip("longline.csv.gz", header, out -> {
            byte[] chunk = new byte[1 << 20];
            java.util.Arrays.fill(chunk, (byte) '7');
            for (int i = 0; i < 64; i++) {
                out.write(chunk);
            }
        });
        expect("one 64 MiB line", 2, "the record is longer than",
                "score", "--model", p("dense.ae4j"), "--data", p("longline.csv.gz"), "--id-column", "id",
                "--label-column", "label", "--out", p("o-long.csv"));
        gzip("wide.csv.gz", header, out -> {
            byte[] cells = "1,".repeat(1 << 16).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 16; i++) {
                out.write(cells);
            }
        });
        expect("a million columns", 2, "columns in one record (the limit)",
                "score", "--model", p("dense.ae4j"), "--data", p("wide.csv.gz"), "--id-column", "id",
                "--label-column", "label", "--out", p("o-wide.csv"));

        // 3. sizes asked for by options, checked before ND4J allocates
        expect("--hidden 2000000000", 2, "would be 2000000000 wide, more than the limit of",
                "train", "--data", train.toString(), "--id-column", "id", "--hidden", "2000000000",
                "--out", p("o-hidden.ae4j"), "--quiet");
        expect("--latent wider than the input", 2, "bottleneck of 100000 units is not smaller than the input",
                "train", "--data", train.toString(), "--id-column", "id", "--latent", "100000",
                "--out", p("o-latent.ae4j"), "--quiet");
        expect("--batch 0", 2, "must be >= 1, got 0",
                "train", "--data", train.toString(), "--id-column", "id", "--batch", "0",
                "--out", p("o-batch.ae4j"), "--quiet");
        expect("--count 2000000000", 2, "--count 2000000000",
                "generate", "--model", p("vae.ae4j"), "--count", "2000000000", "--out", p("o-gen.csv"));

        // 4. user mistakes and crafted models
        for (String cmd : new String[] {"score", "evaluate", "calibrate"}) {
            List<String> a = new ArrayList<>(List.of(cmd, "--model", p("dense.ae4j"), "--data", p("probe.csv"),
                    "--id-column", "label", "--label-column", "label"));
            if (cmd.equals("score")) {
                a.addAll(List.of("--out", p("o-same.csv")));
            } else if (cmd.equals("calibrate")) {
                a.addAll(List.of("--out", p("o-cal.ae4j"), "--threshold", "percentile:99"));
            }
            expect(cmd + " --id-column label --label-column label", 2, "the label and id columns are the same column",
                    a.toArray(String[]::new));
        }
        ObjectNode g = (ObjectNode) Json.MAPPER.readTree(entries.get(ModelFile.GRAPH));
        boolean changed = false;
        for (var it = g.get("vertices").fields(); it.hasNext() && !changed; ) {
            JsonNode l = it.next().getValue().path("layerConf").path("layer");
            if (l.path("nin").asLong() == 9 && l.path("nout").asLong() == 5) {
                ((ObjectNode) l).put("nin", 4).put("nout", 10);      // 9*5+5 = 4*10+10 = 50 parameters, as before
                changed = true;
            }
        }
        assertTrue(changed, "the golden dense model's first layer is 9 -> 5");
        rewrite(entries, "resized.ae4j", Map.of(ModelFile.GRAPH, Json.MAPPER.writeValueAsBytes(g)));
        expect("layer nIn changed, parameter count kept", 2,
                "inconsistent graph: layer 'latent' takes 5 inputs but layer 'enc1' gives 10",
                "score", "--model", p("resized.ae4j"), "--data", p("probe.csv"), "--out", p("o-resized.csv"));
        byte[] nan = entries.get(ModelFile.PARAMS).clone();
        ByteBuffer.wrap(nan).order(ByteOrder.LITTLE_ENDIAN).putFloat(17 + 4 * 7, Float.NaN);
        rewrite(entries, "nan.ae4j", Map.of(ModelFile.PARAMS, nan));
        expect("NaN weights", 2, p("nan.ae4j") + ": entry 'params.bin' holds a non-finite number",
                "score", "--model", p("nan.ae4j"), "--data", p("probe.csv"), "--out", p("o-nan.csv"));

        // 5. data loss: an output that is an input (a link to it included)
        byte[] modelBefore = Files.readAllBytes(dense);
        expect("score --out = --model", 2, "is the same file as --model",
                "score", "--model", p("dense.ae4j"), "--data", p("probe.csv"), "--out", p("dense.ae4j"));
        Files.createSymbolicLink(work.resolve("link-to-probe.csv"), work.resolve("probe.csv"));
        expect("score --out = a link to --data", 2, "is the same file as --data",
                "score", "--model", p("dense.ae4j"), "--data", p("probe.csv"), "--out", p("link-to-probe.csv"));
        byte[] trainBefore = Files.readAllBytes(train);
        expect("train --out = --data", 2, "is the same file as --data",
                "train", "--data", train.toString(), "--id-column", "id", "--out", train.toString(), "--quiet");

        // 7. generate --png on a model that is not an image model: nothing written
        expect("generate --png on a tabular model", 2, "--png needs a model trained on images",
                "generate", "--model", p("vae.ae4j"), "--count", "4", "--out", p("o-png.csv"), "--png", p("o.png"));

        // 8. messages and parsing
        Files.write(work.resolve("bom.csv"), ("\uFEFF" + String.join("\n", Files.readAllLines(work.resolve("probe.csv")))
                + "\n").getBytes(StandardCharsets.UTF_8));
        expect("UTF-8 BOM", 0, null, "score", "--model", p("dense.ae4j"), "--data", p("bom.csv"),
                "--id-column", "id", "--label-column", "label", "--out", p("ok-bom.csv"));
        Files.write(work.resolve("utf16.csv"), (header.get(0) + "\n" + probeRow + "\n").getBytes(StandardCharsets.UTF_16));
        expect("UTF-16", 2, "looks like UTF-16", "score", "--model", p("dense.ae4j"), "--data", p("utf16.csv"),
                "--id-column", "id", "--label-column", "label", "--out", p("o-utf16.csv"));
        Files.writeString(work.resolve("quoted.csv"), header.get(0) + "\n\"m\n0\"" + probeRow.substring(2) + "\n");
        expect("RFC 4180 quoted newline", 0, null, "score", "--model", p("dense.ae4j"), "--data", p("quoted.csv"),
                "--id-column", "id", "--label-column", "label", "--out", p("ok-quoted.csv"));
        String[] cells = probeRow.split(",");
        cells[1] = cells[1] + "d";
        Files.writeString(work.resolve("suffix.csv"), header.get(0) + "\n" + String.join(",", cells) + "\n");
        expect("1.5d is not a number", 2, "expected a number, got '" + cells[1] + "'",
                "score", "--model", p("dense.ae4j"), "--data", p("suffix.csv"), "--id-column", "id",
                "--label-column", "label", "--out", p("o-suffix.csv"));
        cells = probeRow.split(",");
        cells[cells.length - 1] = "maybe";
        Files.writeString(work.resolve("badlabel.csv"), header.get(0) + "\n" + String.join(",", cells) + "\n");
        expect("label spellings", 2, "1, 1.0, true, yes or anomaly for an anomaly; 0, 0.0, false, no or normal",
                "evaluate", "--model", p("dense.ae4j"), "--data", p("badlabel.csv"), "--id-column", "id",
                "--label-column", "label");
        Files.createDirectory(work.resolve("folder.csv"));
        // a folder is an image folder for --data (the message says so); as a model it is named a directory
        expect("a directory as --data", 2, "apply to CSV files, not to a folder", "evaluate", "--model", p("dense.ae4j"),
                "--data", p("folder.csv"), "--label-column", "label");
        expect("a directory as --model", 2, "is a directory, expected a model file", "info", "--model", p("folder.csv"));
        Path fifo = work.resolve("pipe.csv");
        boolean haveFifo = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0;
        if (haveFifo) {
            expect("a FIFO", 2, "is a FIFO, socket or device", "evaluate", "--model", p("dense.ae4j"),
                    "--data", fifo.toString(), "--label-column", "label");
        }

        // 6. columns in another order (same names) are matched by name on every path: the outputs equal the
        //    original order's
        List<String> probeLines = Files.readAllLines(work.resolve("probe.csv"));
        List<String> reordered = new ArrayList<>();
        for (String l : probeLines) {
            List<String> c = new ArrayList<>(List.of(l.split(",", -1)));
            java.util.Collections.reverse(c);
            reordered.add(String.join(",", c));
        }
        Files.write(work.resolve("reordered.csv"), reordered);
        for (String cmd : new String[] {"score", "encode", "reconstruct"}) {
            for (String in : new String[] {"probe", "reordered"}) {
                expect(cmd + " on " + in + " columns", 0, null, cmd, "--model", p("dense.ae4j"), "--data",
                        p(in + ".csv"), "--id-column", "id", "--label-column", "label",
                        "--out", p("ok-" + cmd + "-" + in + ".csv"));
            }
        }

        List<JsonNode> results = runBatch();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            JsonNode r = results.get(i);
            String err = r.get("err").asText();
            List<String> lines = err.lines().filter(l -> !l.isBlank()).toList();
            boolean ok = r.get("code").asInt() == c.code()
                    && (c.code() == 0 || (lines.size() == 1 && lines.get(0).contains(c.phrase())));
            if (!ok) {
                failures.add(c.name() + ": exit " + r.get("code").asInt() + " (expected " + c.code() + "), stderr "
                        + lines.size() + " line(s): " + err);
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));

        // nothing destroyed, nothing half-written, nothing left over
        assertArrayEquals(modelBefore, Files.readAllBytes(dense), "the model is untouched");
        assertArrayEquals(trainBefore, Files.readAllBytes(train), "the training data is untouched");
        assertTrue(Files.readString(work.resolve("ok-quoted.csv")).contains("m\n0")
                || Files.readString(work.resolve("ok-quoted.csv")).contains("\"m\n0\""), "the quoted id is kept");
        assertFalse(Files.readString(work.resolve("ok-bom.csv")).contains("\uFEFF"));
        for (String cmd : new String[] {"score", "encode", "reconstruct"}) {
            assertEquals(Files.readAllLines(work.resolve("ok-" + cmd + "-probe.csv")),
                    Files.readAllLines(work.resolve("ok-" + cmd + "-reordered.csv")),
                    cmd + ": the same output whatever the column order");
        }
        try (var files = Files.list(work)) {
            List<String> left = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.startsWith("o-") || n.startsWith("o.") || n.endsWith(".tmp") || n.startsWith("hs_err"))
                    .toList();
            assertTrue(left.isEmpty(), "no output, temporary file or JVM error log of a failed run is left: " + left);
        }
    }

    /** Runs the cases in one child JVM at -Xmx256m with the working folder as its current folder. */
    private List<JsonNode> runBatch() throws Exception {
        Path casesFile = Files.createTempFile("ae4j-cases", ".jsonl");
        Path resultsFile = Files.createTempFile("ae4j-results", ".jsonl");
        try {
            List<String> lines = new ArrayList<>();
            for (Case c : cases) {
                lines.add(Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(c.args()));
            }
            Files.write(casesFile, lines);
            ProcessBuilder pb = new ProcessBuilder(ChildProcess.java("256m", jvmFlags(),
                    HostileBatchMain.class.getName(), casesFile.toString(), resultsFile.toString()))
                    .directory(work.toFile());
            pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
            ChildProcess.Result r = ChildProcess.run(pb, Duration.ofMinutes(6));
            assertEquals(0, r.exitCode(), r.output());
            List<JsonNode> out = new ArrayList<>();
            for (String l : Files.readAllLines(resultsFile)) {
                out.add(Json.MAPPER.readTree(l));
            }
            assertEquals(cases.size(), out.size(), r.output());
            return out;
        } finally {
            Files.deleteIfExists(casesFile);
            Files.deleteIfExists(resultsFile);
        }
    }

    /** The launcher's flags: JVM error logs to the temp folder; ND4J's off-heap limit like the heap's. */
    private static List<String> jvmFlags() {
        return List.of("-XX:ErrorFile=" + System.getProperty("java.io.tmpdir") + "/ae4j-hs_err_pid%p.log",
                "-Dorg.bytedeco.javacpp.maxbytes=512m", "-Dorg.bytedeco.javacpp.maxphysicalbytes=2g");
    }

    @Test
    void givenScoreWritingItsOutput_whenSigterm_thenNoTemporaryFileIsLeft() throws Exception {
        Path dense = Files.copy(GOLDEN.resolve("detector-dense-v1.ae4j"), work.resolve("dense.ae4j"));
        List<String> probe = Files.readAllLines(GOLDEN.resolve("tabular-probe.csv"));
        Path big = work.resolve("big.csv");
        try (var w = Files.newBufferedWriter(big)) {
            w.write(probe.get(0));
            w.write('\n');
            for (int i = 0; i < 400_000; i++) {
                w.write(probe.get(1 + i % (probe.size() - 1)));
                w.write('\n');
            }
        }
        // a stale temporary file of a writer that was killed outright (its process is gone)
        Path stale = work.resolve(".scores.csv.ae4j-999999999-1.tmp");
        Files.writeString(stale, "half");
        ProcessBuilder pb = new ProcessBuilder(ChildProcess.java("256m", jvmFlags(), Ae4jCli.class.getName(),
                "score", "--model", dense.toString(), "--data", big.toString(), "--id-column", "id",
                "--label-column", "label", "--out", work.resolve("scores.csv").toString()))
                .directory(work.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        Process p = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            boolean writing = false;
            while (!writing && p.isAlive() && System.nanoTime() < deadline) {
                try (var files = Files.list(work)) {
                    writing = files.anyMatch(f -> f.getFileName().toString().startsWith(".scores.csv.ae4j-" + p.pid()));
                }
                Thread.sleep(20);
            }
            assertTrue(writing, "the score run was seen writing its temporary file");
            assertFalse(Files.exists(stale), "the stale temporary file of a dead process was removed");
            assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the JVM ends on SIGTERM");
        } finally {
            if (p.isAlive()) {
                ChildProcess.kill(p);
            }
        }
        try (var files = Files.list(work)) {
            List<String> left = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".tmp") || n.equals("scores.csv") || n.startsWith("hs_err")).toList();
            assertTrue(left.isEmpty(), "nothing half-written left after SIGTERM: " + left);
        }
    }

    /** The issue's full-size CSV bombs: a 1 GiB line and 200 million columns, each in a gzip file of about 1 MB. */
    @Test
    @Tag("slow")
    void givenFullSizeCsvBombs_whenScoredAt256MbHeap_thenExitTwoOneLine() throws Exception {
        Files.copy(GOLDEN.resolve("detector-dense-v1.ae4j"), work.resolve("dense.ae4j"));
        List<String> header = List.of(Files.readAllLines(GOLDEN.resolve("tabular-probe.csv")).get(0));
        gzip("gib.csv.gz", header, out -> {
            byte[] chunk = new byte[1 << 20];
            java.util.Arrays.fill(chunk, (byte) '7');
            for (int i = 0; i < 1024; i++) {
                out.write(chunk);
            }
        });
        gzip("cols.csv.gz", header, out -> {
            byte[] cells = "1,".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 200_000_000 / (1 << 20); i++) {
                out.write(cells);
            }
        });
        expect("1 GiB line", 2, "the record is longer than",
                "score", "--model", p("dense.ae4j"), "--data", p("gib.csv.gz"), "--id-column", "id",
                "--label-column", "label", "--out", p("o-gib.csv"));
        expect("200 million columns", 2, "columns in one record (the limit)",
                "score", "--model", p("dense.ae4j"), "--data", p("cols.csv.gz"), "--id-column", "id",
                "--label-column", "label", "--out", p("o-cols.csv"));
        List<JsonNode> r = runBatch();
        for (int i = 0; i < cases.size(); i++) {
            String err = r.get(i).get("err").asText();
            assertEquals(2, r.get(i).get("code").asInt(), err);
            assertEquals(1, err.lines().count(), err);
            assertTrue(err.contains(cases.get(i).phrase()), err);
        }
    }

    // ------------------------------------------------------------------ file makers

    private static Map<String, byte[]> entries(Path model) throws IOException {
        Map<String, byte[]> e = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(model.toFile())) {
            for (ZipEntry en : java.util.Collections.list(z.entries())) {
                e.put(en.getName(), z.getInputStream(en).readAllBytes());
            }
        }
        return e;
    }

    /** A model file with entries replaced or added, its manifest's sizes and checksums made to match. */
    private void rewrite(Map<String, byte[]> entries, String name, Map<String, byte[]> replaced) throws Exception {
        Map<String, byte[]> t = new LinkedHashMap<>(entries);
        t.putAll(replaced);
        ObjectNode manifest = (ObjectNode) Json.MAPPER.readTree(entries.get(ModelFile.MANIFEST));
        ObjectNode listed = (ObjectNode) manifest.get("entries");
        for (Map.Entry<String, byte[]> e : replaced.entrySet()) {
            listed.putObject(e.getKey()).put("size", e.getValue().length).put("sha256",
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(e.getValue())));
        }
        t.put(ModelFile.MANIFEST, Json.MAPPER.writeValueAsBytes(manifest));
        try (OutputStream out = Files.newOutputStream(work.resolve(name)); ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : t.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
    }

    @FunctionalInterface
    private interface Body {
        void write(OutputStream out) throws IOException;
    }

    private void gzip(String name, List<String> header, Body body) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(work.resolve(name)), 1 << 16)) {
            out.write((header.get(0) + "\n").getBytes(StandardCharsets.UTF_8));
            body.write(out);
        }
    }
}
