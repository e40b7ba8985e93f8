package io.github.ae4j.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.testing.ChildProcess;
import io.github.ae4j.core.testing.Models;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scoring streams: a CSV larger than the JVM heap is scored in a child JVM started with
 * {@code -Xmx64m}, and every row gets its score.
 */
class StreamingTest {

    @TempDir
    Path dir;

    @Test
    void givenCsvLargerThanTheHeap_whenScoringInAChildJvmWith64MbHeap_thenEveryRowIsScored() throws Exception {
        int cols = 64;
        Path small = dir.resolve("train.csv");
        Random r = new Random(1);
        writeCsv(small, 2000, cols, r);
        Table t = CsvReader.read(small, CsvOptions.defaults());
        Autoencoder m = Autoencoder.fit(Models.dense(cols, 16, 4), t.features(),
                TrainingConfig.defaults().withEpochs(1)).withSchema(t.schema());
        Path model = dir.resolve("m.ae4j");
        m.save(model);

        Path big = dir.resolve("big.csv");
        long rows = 0;
        while (!Files.exists(big) || Files.size(big) < 100L << 20) {
            rows += appendCsv(big, 20000, cols, r, rows == 0);
        }
        assertTrue(Files.size(big) > 100L << 20);

        Path out = dir.resolve("scores.csv");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-Dorg.bytedeco.javacpp.maxbytes=1g",
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=2g",
                "-cp", System.getProperty("java.class.path")));
        String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
        if (cache != null) {
            cmd.add(1, "-Dorg.bytedeco.javacpp.cachedir=" + cache);
        }
        cmd.addAll(List.of(StreamScoreMain.class.getName(), model.toString(), big.toString(), out.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        // output to a file, bounded wait, child killed at the deadline: a hung child cannot hang the build
        ChildProcess.Result res = ChildProcess.run(pb, Duration.ofMinutes(5));
        String output = res.output();
        assertEquals(0, res.exitCode(), output);
        assertTrue(output.contains("rows=" + rows), output);
        try (var lines = Files.lines(out)) {
            assertEquals(rows + 1, lines.count());
        }
    }

    @Test
    void givenCsvRowSource_whenTrainingStreamed_thenAsGoodAsInMemoryTraining() throws Exception {
        Path csv = dir.resolve("stream-train.csv");
        writeCsv(csv, 6000, 16, new Random(3));
        Table t = CsvReader.read(csv, CsvOptions.defaults());
        TrainingConfig c = TrainingConfig.defaults().withEpochs(8);
        Autoencoder inMemory = Autoencoder.fit(Models.dense(16, 12, 3), t.features(), c);
        Autoencoder streamed = Autoencoder.fit(Models.dense(16, 12, 3),
                new CsvRowSource(csv, t.schema(), CsvOptions.defaults()), c);
        double a = inMemory.reconstructionError(t.features()).meanNumber().doubleValue();
        double b = streamed.reconstructionError(t.features()).meanNumber().doubleValue();
        assertTrue(b < 1.5 * a, "streamed training error " + b + " vs in-memory " + a);
        assertEquals(8, streamed.info().history().size());
        assertTrue(Double.isFinite(streamed.info().history().get(7).validationLoss()), "streamed validation split");
    }

    /** Issue: streaming training over a CSV much larger than the heap. Slow: writes ~2 GB. */
    @Test
    @org.junit.jupiter.api.Tag("slow")
    void givenTwoGigabyteCsv_whenTrainingStreamedAt512MbHeap_thenCompletes() throws Exception {
        Path big = dir.resolve("huge.csv");
        Random r = new Random(5);
        long rows = 0;
        while (!Files.exists(big) || Files.size(big) < 2L << 30) {
            rows += appendCsv(big, 100_000, 64, r, rows == 0);
        }
        Path model = dir.resolve("huge.ae4j");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-Dorg.bytedeco.javacpp.maxbytes=2g", "-Dorg.bytedeco.javacpp.maxphysicalbytes=3g",
                "-cp", System.getProperty("java.class.path"), StreamTrainMain.class.getName(),
                big.toString(), model.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        ChildProcess.Result res = ChildProcess.run(pb, Duration.ofMinutes(60));
        String output = res.output();
        assertEquals(0, res.exitCode(), output);
        assertTrue(output.contains("rows=" + rows + " validation=50000"), output);
        assertTrue(Files.size(model) > 0);
    }

    private static void writeCsv(Path p, int n, int cols, Random r) throws Exception {
        Files.deleteIfExists(p);
        appendCsv(p, n, cols, r, true);
    }

    private static int appendCsv(Path p, int n, int cols, Random r, boolean header) throws Exception {
        try (BufferedWriter w = Files.newBufferedWriter(p, StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)) {
            if (header) {
                for (int j = 0; j < cols; j++) {
                    w.write(j == 0 ? "f0" : ",f" + j);
                }
                w.write('\n');
            }
            for (int i = 0; i < n; i++) {
                double base = r.nextGaussian();
                for (int j = 0; j < cols; j++) {
                    if (j > 0) {
                        w.write(',');
                    }
                    w.write(String.format(java.util.Locale.ROOT, "%.4f", base * (j % 5) + 0.1 * r.nextGaussian()));
                }
                w.write('\n');
            }
        }
        return n;
    }
}
