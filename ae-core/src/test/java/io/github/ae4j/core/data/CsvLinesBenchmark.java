package io.github.ae4j.core.data;

import java.io.BufferedWriter;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.datavec.api.records.reader.impl.csv.CSVRecordReader;
import org.datavec.api.split.InputStreamInputSplit;

/**
 * Speed of the CSV tokenizer ({@link CsvLines}, issue 18) against DataVec's {@code CSVRecordReader}
 * that it replaced, on the same file in the same run, alternating, best of 5 passes each:
 * {@code java -cp <test classpath> io.github.ae4j.core.data.CsvLinesBenchmark [rows] [cols]}.
 */
public final class CsvLinesBenchmark {

    private CsvLinesBenchmark() {
    }

    /**
     * Runs.
     *
     * @param args rows and columns (default 200000 x 64)
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int cols = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        Path f = Files.createTempFile("csvbench", ".csv");
        try {
            Random r = new Random(1);
            try (BufferedWriter w = Files.newBufferedWriter(f)) {
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < cols; j++) {
                        w.write(j == 0 ? "" : ",");
                        w.write(String.format(Locale.ROOT, "%.4f", r.nextGaussian()));
                    }
                    w.write('\n');
                }
            }
            double bestNew = Double.MAX_VALUE;
            double bestOld = Double.MAX_VALUE;
            long check = 0;
            for (int pass = 0; pass < 5; pass++) {
                long t0 = System.nanoTime();
                try (CsvLines l = new CsvLines(f, ',')) {
                    String[] c;
                    while ((c = l.next()) != null) {
                        check += c.length;
                    }
                }
                bestNew = Math.min(bestNew, (System.nanoTime() - t0) / 1e9);
                t0 = System.nanoTime();
                try (InputStream in = Files.newInputStream(f)) {
                    CSVRecordReader rr = new CSVRecordReader(0, ',');
                    rr.initialize(new InputStreamInputSplit(in));
                    while (rr.hasNext()) {
                        check += rr.next().size();
                    }
                }
                bestOld = Math.min(bestOld, (System.nanoTime() - t0) / 1e9);
            }
            System.out.printf(Locale.ROOT, "%d rows x %d columns (%.1f MB), best of 5, check %d%n", rows, cols,
                    Files.size(f) / 1e6, check);
            System.out.printf(Locale.ROOT, "| reader | seconds | rows/s |%n|---|---|---|%n");
            System.out.printf(Locale.ROOT, "| CsvLines (RFC 4180, capped) | %.3f | %,.0f |%n", bestNew, rows / bestNew);
            System.out.printf(Locale.ROOT, "| DataVec CSVRecordReader (before) | %.3f | %,.0f |%n", bestOld, rows / bestOld);
            System.out.printf(Locale.ROOT, "ratio new/old time: %.2f%n", bestNew / bestOld);
        } finally {
            Files.deleteIfExists(f);
        }
    }
}
