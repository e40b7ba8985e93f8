package io.github.ae4j.conv.image;

import io.github.ae4j.core.data.CsvOptions;
import io.github.ae4j.core.data.CsvReader;
import io.github.ae4j.core.data.DataFormatException;
import io.github.ae4j.core.data.Idx;
import io.github.ae4j.core.data.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads images from any of the three supported sources into rows: a folder of image files
 * ({@link ImageFolder}), an IDX image file (the MNIST format, plain or gzip), or a CSV file with one
 * flattened HWC image per row.
 */
public final class ImageData {

    private ImageData() {
    }

    /**
     * Reads images from a folder, an IDX file or a CSV file (chosen by what {@code path} is: a
     * folder, a file starting with an IDX header, anything else as CSV).
     *
     * @param path  the folder or file
     * @param shape the image shape: folders are resized to it; IDX and CSV rows must match it
     * @return the images (values as stored: 0..255 for image and IDX files)
     * @throws IOException         on I/O failure
     * @throws DataFormatException on bad content, naming the file
     */
    public static Images read(Path path, ImageShape shape) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(shape, "shape");
        if (Files.isDirectory(path)) {
            return ImageFolder.read(path, shape);
        }
        if (Idx.isIdx(path)) {
            Images im = readIdx(path, Integer.MAX_VALUE);
            if (!im.shape().equals(shape)) {
                throw new DataFormatException(path.toString(), -1, -1, null, "holds " + im.shape()
                        + " images, expected " + shape);
            }
            return im;
        }
        Table t = readCsv(path, shape, CsvOptions.defaults());
        return new Images(t.features(), names(t), shape);
    }

    /**
     * Reads an IDX image file (one channel).
     *
     * @param file the file
     * @param max  read at most this many images
     * @return the images, named by their 0-based index
     * @throws IOException on I/O failure or bad content
     */
    public static Images readIdx(Path file, int max) throws IOException {
        Idx.Images im = Idx.readImages(file, max);
        List<String> names = new ArrayList<>(im.count());
        for (int i = 0; i < im.count(); i++) {
            names.add(Integer.toString(i));
        }
        return new Images(im.pixels(), names, new ImageShape(im.height(), im.width(), 1));
    }

    /**
     * Reads a CSV file of flattened HWC images (plus optional label and id columns, see
     * {@link CsvOptions}), checking that every row holds exactly one image.
     *
     * @param file  the CSV file
     * @param shape the image shape
     * @param opts  how to read it
     * @return the table (features = pixels)
     * @throws IOException         on I/O failure
     * @throws DataFormatException when the rows do not have {@code shape.size()} feature columns
     */
    public static Table readCsv(Path file, ImageShape shape, CsvOptions opts) throws IOException {
        Objects.requireNonNull(shape, "shape");
        Table t = CsvReader.read(file, opts);
        long cols = t.features().size(1);
        if (cols != shape.size()) {
            throw new DataFormatException(file.toString(), -1, -1, null, "has " + cols + " feature columns, expected "
                    + shape.size() + " (one " + shape + " image per row, HWC order)");
        }
        return t;
    }

    private static List<String> names(Table t) {
        List<String> names = new ArrayList<>(t.rows());
        for (int i = 0; i < t.rows(); i++) {
            names.add(t.ids() != null ? t.ids()[i] : Integer.toString(i));
        }
        return names;
    }
}
