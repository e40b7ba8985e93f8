package io.github.ae4j.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The real data sets bundled with ae4j's tests (see {@code data/README.md}): the UCI 8x8 digits and
 * MNIST subsets, loaded from the test class path.
 */
public final class TestData {

    private TestData() {
    }

    /**
     * The UCI digits: 1,797 rows of 64 pixels (0..16) with their digit.
     *
     * @param x the pixels
     * @param y the digits
     */
    public record Digits(double[][] x, int[] y) {
        /**
         * Rows whose digit is (or is not) in a set.
         *
         * @param keep  true to keep rows whose digit is one of {@code digits}, false to drop them
         * @param digits the digits
         * @return the selected rows
         */
        public Digits where(boolean keep, int... digits) {
            List<double[]> xs = new ArrayList<>();
            List<Integer> ys = new ArrayList<>();
            for (int i = 0; i < y.length; i++) {
                boolean in = false;
                for (int d : digits) {
                    in |= y[i] == d;
                }
                if (in == keep) {
                    xs.add(x[i]);
                    ys.add(y[i]);
                }
            }
            return new Digits(xs.toArray(new double[0][]), ys.stream().mapToInt(Integer::intValue).toArray());
        }

        /**
         * A contiguous slice.
         *
         * @param from first row
         * @param to   end (exclusive)
         * @return the slice
         */
        public Digits slice(int from, int to) {
            return new Digits(java.util.Arrays.copyOfRange(x, from, to), java.util.Arrays.copyOfRange(y, from, to));
        }

        /** @return number of rows */
        public int size() {
            return y.length;
        }
    }

    /**
     * Loads the UCI digits.
     *
     * @return all 1,797 rows, in file order
     */
    public static Digits digits() {
        List<double[]> xs = new ArrayList<>();
        List<Integer> ys = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(resource("digits.csv.gz"))) {
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                String[] c = line.trim().split(",");
                double[] row = new double[64];
                for (int j = 0; j < 64; j++) {
                    row[j] = Double.parseDouble(c[j]);
                }
                xs.add(row);
                ys.add((int) Double.parseDouble(c[64]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Digits(xs.toArray(new double[0][]), ys.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * Copies a bundled data file out of the class path into a folder (for code that reads files).
     *
     * @param name the file name in {@code data/}
     * @param dir  the destination folder
     * @return the copied file
     */
    public static Path copy(String name, Path dir) {
        try (InputStream in = resource(name)) {
            Path p = dir.resolve(name);
            Files.createDirectories(dir);
            Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Opens a bundled data file.
     *
     * @param name the file name in {@code data/}
     * @return the stream
     */
    public static InputStream resource(String name) {
        InputStream in = TestData.class.getResourceAsStream("/data/" + name);
        if (in == null) {
            throw new IllegalStateException("bundled test data /data/" + name + " is not on the class path");
        }
        return in;
    }
}
