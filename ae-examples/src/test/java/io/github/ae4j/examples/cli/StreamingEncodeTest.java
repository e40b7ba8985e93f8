package io.github.ae4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ae4j encode} and {@code reconstruct} stream a CSV: a ~20 MB file runs in a child JVM with a 64 MB heap
 * (output to a file, a time limit, the child killed at the deadline, so nothing can hang the build), and the
 * streamed output equals the in-memory output on its first rows (to float rounding).
 */
class StreamingEncodeTest {

    @TempDir
    Path dir;

    @Test
    void givenCsvLargerThanTheHeap_whenEncodingAndReconstructingInA64MbJvm_thenEveryRowIsWritten() throws Exception {
        Path csv = dir.resolve("big.csv");
        Random r = new Random(11);
        long rows = 0;
        try (BufferedWriter w = Files.newBufferedWriter(csv)) {
            w.write("id,a,b,c,d,e,f,g,h,i,j,k,l\n");
            while (Files.size(csv) < 20L << 20) {
                for (int k = 0; k < 1000; k++, rows++) {
                    double x = r.nextGaussian();
                    double y = r.nextGaussian();
                    StringBuilder sb = new StringBuilder(160).append("r").append(rows);
                    for (int j = 0; j < 12; j++) {
                        double v = (j % 3 == 0 ? x : j % 3 == 1 ? y : x - y) * (1 + j * 0.1) + 0.05 * r.nextGaussian();
                        sb.append(',').append(String.format(Locale.ROOT, "%.6f", v));
                    }
                    w.write(sb.append('\n').toString());
                }
                w.flush();
            }
        }
        // a small model trained in-process on the first rows
        Path small = dir.resolve("small.csv");
        try (BufferedReader in = Files.newBufferedReader(csv); BufferedWriter w = Files.newBufferedWriter(small)) {
            for (int i = 0; i <= 600; i++) {
                w.write(in.readLine());
                w.write('\n');
            }
        }
        Path model = dir.resolve("m.ae4j");
        CliTest.Run t = CliTest.run("train", "--data", small.toString(), "--id-column", "id", "--epochs", "2",
                "--out", model.toString(), "--quiet");
        assertEquals(0, t.code(), t.err());

        for (String command : List.of("encode", "reconstruct")) {
            Path out = dir.resolve(command + ".csv");
            Path log = dir.resolve(command + ".log");
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx64m", "-Dorg.bytedeco.javacpp.maxbytes=1g",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
            String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
            if (cache != null) {
                cmd.add("-Dorg.bytedeco.javacpp.cachedir=" + cache);
            }
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Ae4jCli.class.getName(), command,
                    "--model", model.toString(), "--data", csv.toString(), "--id-column", "id", "--out",
                    out.toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
            Process p = pb.start();
            boolean ended = p.waitFor(5, TimeUnit.MINUTES);
            if (!ended) {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            String text = Files.readString(log);
            assertTrue(ended, command + " did not end within 5 minutes:\n" + text);
            assertEquals(0, p.exitValue(), command + ":\n" + text);
            long lines;
            try (var s = Files.lines(out)) {
                lines = s.count();
            }
            assertEquals(rows + 1, lines, command + ": a header and one line per row");

            // the first rows equal what the in-process command writes for the small file
            Path ref = dir.resolve(command + "-small.csv");
            CliTest.Run c = CliTest.run(command, "--model", model.toString(), "--data", small.toString(),
                    "--id-column", "id", "--out", ref.toString(), "--quiet");
            assertEquals(0, c.code(), c.err());
            List<String> want = Files.readAllLines(ref);
            List<String> got;
            try (var s = Files.lines(out)) {
                got = s.limit(want.size()).toList();
            }
            assertEquals(want.get(0), got.get(0), command + ": header");
            for (int i = 1; i < want.size(); i++) {
                String[] a = want.get(i).split(",");
                String[] b = got.get(i).split(",");
                assertEquals(a.length, b.length, command + " line " + i);
                assertEquals(a[0] + a[1], b[0] + b[1], command + " line " + i + ": row and id");
                for (int j = 2; j < a.length; j++) {
                    double x = Double.parseDouble(a[j]);
                    double y = Double.parseDouble(b[j]);
                    // batches of other sizes may round the last float digits differently
                    assertEquals(x, y, 1e-4 * Math.max(1, Math.abs(x)), command + " line " + i + " column " + j);
                }
            }
        }
    }
}
