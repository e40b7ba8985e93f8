package io.github.ae4j.core.data;

import io.github.ae4j.core.Autoencoder;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Child-JVM program for {@link StreamingTest}: streams a CSV through a model's reconstruction error
 * batch by batch and writes one score per row, then prints the row count and peak heap use.
 */
public final class StreamScoreMain {

    private StreamScoreMain() {
    }

    /**
     * Runs.
     *
     * @param args model file, input CSV, output CSV
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Autoencoder m = Autoencoder.load(Path.of(args[0]));
        long rows = 0;
        try (CsvReader.BatchStream s = CsvReader.stream(Path.of(args[1]), m.schema().orElseThrow(),
                CsvOptions.defaults(), 4096);
             BufferedWriter w = Files.newBufferedWriter(Path.of(args[2]), StandardCharsets.UTF_8)) {
            w.write("row,score\n");
            while (s.hasNext()) {
                CsvReader.Batch b = s.next();
                double[] e = m.reconstructionError(b.features()).toDoubleVector();
                for (int i = 0; i < e.length; i++) {
                    w.write(Long.toString(b.firstRow() + i));
                    w.write(',');
                    w.write(Double.toString(e[i]));
                    w.write('\n');
                }
                rows += b.rows();
            }
        }
        Runtime rt = Runtime.getRuntime();
        System.out.println("rows=" + rows + " maxHeap=" + rt.maxMemory());
    }
}
