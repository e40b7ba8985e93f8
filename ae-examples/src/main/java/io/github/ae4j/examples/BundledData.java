package io.github.ae4j.examples;

import io.github.ae4j.core.data.CsvOptions;
import io.github.ae4j.core.data.CsvReader;
import io.github.ae4j.core.data.Idx;
import io.github.ae4j.core.data.Table;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The real data bundled in the ae4j jar (see {@code data/README.md}): the UCI 8x8 digits and MNIST
 * subsets. Examples and the demo read these, so they run with no network. Each file is copied once
 * into a temporary folder and read with ae4j's own readers.
 */
public final class BundledData {

    private BundledData() {
    }

    /**
     * The UCI digits: 1,797 rows of 64 pixels (0..16) and the digit.
     *
     * @param x      pixels [1797, 64]
     * @param digits the digit of each row
     */
    public record Digits(INDArray x, int[] digits) {
    }

    /**
     * MNIST images (pixels 0..255, flattened 28x28) and their digits.
     *
     * @param x      pixels [n, 784]
     * @param digits the digit of each image
     */
    public record Mnist(INDArray x, int[] digits) {
    }

    /** @return the UCI digits */
    public static Digits digits() {
        try {
            Table t = CsvReader.read(file("digits.csv.gz"), CsvOptions.defaults().withHeader(false));
            // the last column is the digit: split it off
            INDArray all = t.features();
            INDArray x = all.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 64)).dup();
            int[] y = all.getColumn(64).toIntVector();
            return new Digits(x, y);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * MNIST training images (the first 6,000) or test images (the first 1,000).
     *
     * @param train true for the training subset
     * @param max   read at most this many
     * @return the images
     */
    public static Mnist mnist(boolean train, int max) {
        String p = train ? "mnist-train-6000" : "mnist-test-1000";
        try {
            Idx.Images img = Idx.readImages(file(p + "-images-idx3-ubyte.gz"), max);
            int[] labels = Idx.readLabels(file(p + "-labels-idx1-ubyte.gz"), max);
            return new Mnist(img.pixels(), labels);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A bundled file as a file on disk (copied from the class path once per run).
     *
     * @param name the file name in {@code data/}
     * @return the file
     */
    public static synchronized Path file(String name) {
        try {
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "ae4j-data-" + ProcessHandle.current().pid());
            Path f = dir.resolve(name);
            if (!Files.exists(f)) {
                Files.createDirectories(dir);
                dir.toFile().deleteOnExit();
                try (InputStream in = BundledData.class.getResourceAsStream("/data/" + name)) {
                    if (in == null) {
                        throw new IllegalStateException("bundled data /data/" + name + " is missing from the class path");
                    }
                    Files.copy(in, f, StandardCopyOption.REPLACE_EXISTING);
                }
                f.toFile().deleteOnExit();
            }
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
