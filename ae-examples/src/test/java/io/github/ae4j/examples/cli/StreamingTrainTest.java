package io.github.ae4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.anomaly.AnomalyDetector;
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
 * {@code ae4j train} on a CSV file larger than a quarter of the heap streams it: a ~20 MB file
 * trains one epoch in a child JVM with a 64 MB heap (the child's output is read only after it ends,
 * within a time limit, so a hung child cannot hang the build).
 */
class StreamingTrainTest {

    @TempDir
    Path dir;

    @Test
    void givenCsvLargerThanAQuarterOfTheHeap_whenTrainingInA64MbJvm_thenItStreamsAndSavesADetector() throws Exception {
        Path csv = dir.resolve("big.csv");
        long rows = writeRows(csv, 20L << 20);
        Path model = dir.resolve("big.ae4j");
        trainInChild(csv, model, "-Xmx64m", 6);
        AnomalyDetector det = AnomalyDetector.load(model);
        assertEquals(12, det.model().inputSize());
        assertTrue(det.model().schema().isPresent());
        // the default fraction of the normal rows held out for calibration (a seeded hash), never the anomalies
        long normal = rows - (rows + 492) / 500;
        double f = io.github.ae4j.anomaly.DetectorConfig.defaults().calibrationFraction();
        int cal = det.calibrationScores().length;
        assertTrue(Math.abs(cal - normal * f) < 0.1 * normal * f, cal + " calibration scores of " + normal
                + " normal rows");
        System.err.printf("streamed %,d rows (%,d bytes) at -Xmx64m; %,d calibration scores%n", rows, Files.size(csv),
                cal);
    }

    /**
     * Writes a CSV of 12 correlated columns and a label (1 for every 500th row, with one column shifted) of at
     * least {@code bytes} bytes.
     *
     * @return the number of data rows
     */
    static long writeRows(Path csv, long bytes) throws java.io.IOException {
        Random r = new Random(7);
        long rows = 0;
        try (BufferedWriter w = Files.newBufferedWriter(csv)) {
            w.write("a,b,c,d,e,f,g,h,i,j,k,l,label\n");
            StringBuilder sb = new StringBuilder(160);
            long written = 0;
            while (written < bytes || rows < 1000) {
                for (int k = 0; k < 1000; k++, rows++) {
                    double x = r.nextGaussian();
                    double y = r.nextGaussian();
                    boolean anomaly = rows % 500 == 7;
                    sb.setLength(0);
                    for (int j = 0; j < 12; j++) {
                        double v = (j % 3 == 0 ? x : j % 3 == 1 ? y : x - y) * (1 + j * 0.1) + 0.05 * r.nextGaussian();
                        sb.append(String.format(Locale.ROOT, "%.6f", anomaly && j == 4 ? v + 6 : v)).append(',');
                    }
                    sb.append(anomaly ? '1' : '0').append('\n');
                    w.write(sb.toString());
                    written += sb.length();
                }
            }
        }
        return rows;
    }

    /** Runs {@code ae4j train --epochs 1} on a CSV in a child JVM with the heap given; returns its output. */
    static String trainInChild(Path csv, Path model, String heap, int minutes) throws Exception {
        Path log = csv.resolveSibling("child.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                heap, "-Dorg.bytedeco.javacpp.maxbytes=1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
        if (cache != null) {
            cmd.add("-Dorg.bytedeco.javacpp.cachedir=" + cache);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Ae4jCli.class.getName(), "train",
                "--data", csv.toString(), "--out", model.toString(), "--label-column", "label", "--epochs", "1",
                "--batch", "1024"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        Process p = pb.start();
        boolean ended = p.waitFor(minutes, TimeUnit.MINUTES);
        if (!ended) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        String out = Files.readString(log);
        assertTrue(ended, "the child did not end within " + minutes + " minutes:\n" + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("streamed in blocks") && out.contains("saved " + model), out);
        return out;
    }
}
