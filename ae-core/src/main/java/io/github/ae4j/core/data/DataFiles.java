package io.github.ae4j.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * The one file-kind dispatcher: reads a CSV file (or {@code .csv.gz}), an IDX image file, or a folder
 * (read by a registered {@link FolderReader}: ae-conv's image folder) as rows of features. For data
 * scored by a model, pass the model's schema and kind ({@link #forModel}): a CSV's columns are then
 * matched by name ({@link ColumnBinding}), images are read at the model's shape.
 */
public final class DataFiles {

    private DataFiles() {
    }

    /**
     * What to read.
     *
     * @param labelColumn the label column (CSV only), or null
     * @param idColumn    the id column (CSV only), or null
     * @param imageShape  {@code [h, w, c]}: CSV rows are images of this shape, or the size to read a folder's
     *                    images at; or null
     * @param schema      the schema of the model the data is for (CSV), or null when training
     */
    public record Request(String labelColumn, String idColumn, int[] imageShape, TabularSchema schema) {
    }

    /**
     * A request for training data.
     *
     * @param labelColumn the label column, or null
     * @param idColumn    the id column, or null
     * @param imageShape  the image shape, or null
     * @return the request
     */
    public static Request forTraining(String labelColumn, String idColumn, int[] imageShape) {
        return new Request(labelColumn, idColumn, imageShape, null);
    }

    /**
     * A request for data a model scores.
     *
     * @param labelColumn the label column, or null
     * @param idColumn    the id column, or null
     * @param schema      the model's schema, or null
     * @param kind        the model's kind of data
     * @return the request
     */
    public static Request forModel(String labelColumn, String idColumn, TabularSchema schema, DataKind kind) {
        return new Request(labelColumn, idColumn, kind == null ? null : kind.imageShape(), schema);
    }

    /**
     * Reads data.
     *
     * @param file the file or folder
     * @param req  what to read
     * @return the rows
     * @throws IOException              on I/O failure
     * @throws IllegalArgumentException (or {@link DataFormatException}) on bad content or a request that does
     *                                  not suit the file, naming the file
     */
    public static LoadedData read(Path file, Request req) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(req, "req");
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file or folder");
        }
        int[] shape = req.imageShape();
        if (Files.isDirectory(file)) {
            noColumns(req, file, "a folder (an image folder is labelled by its normal/ and anomaly/ subfolders)");
            Iterator<FolderReader> it = ServiceLoader.load(FolderReader.class, DataFiles.class.getClassLoader())
                    .iterator();
            if (!it.hasNext()) {
                throw new IllegalArgumentException(file + " is a folder: reading image folders needs ae-conv on the"
                        + " class path");
            }
            return it.next().read(file, shape);
        }
        if (Idx.isIdx(file)) {
            noColumns(req, file, "an IDX file");
            Idx.Images imgs = Idx.readImages(file, Integer.MAX_VALUE);
            int[] s = {imgs.height(), imgs.width(), 1};
            if (shape != null && !Arrays.equals(shape, s)) {
                throw new IllegalArgumentException(file + ": the IDX images are " + s[0] + "x" + s[1] + "x1, expected "
                        + shape[0] + "x" + shape[1] + "x" + shape[2]);
            }
            return new LoadedData(imgs.pixels(), null, null, null, DataKind.image(s[0], s[1], 1), file);
        }
        CsvOptions opts = CsvOptions.defaults().withLabelColumn(req.labelColumn()).withIdColumn(req.idColumn());
        Table t = req.schema() == null ? CsvReader.read(file, opts) : CsvReader.read(file, req.schema(), opts);
        if (shape != null && (long) shape[0] * shape[1] * shape[2] != t.features().size(1)) {
            throw new IllegalArgumentException(file + ": rows have " + t.features().size(1) + " values, an image of "
                    + shape[0] + "x" + shape[1] + "x" + shape[2] + " needs " + (long) shape[0] * shape[1] * shape[2]);
        }
        return new LoadedData(t.features(), t.labels(), t.ids(), t.schema(),
                shape != null ? DataKind.image(shape[0], shape[1], shape[2]) : DataKind.table(), file);
    }

    private static void noColumns(Request req, Path file, String what) {
        if (req.labelColumn() != null || req.idColumn() != null) {
            throw new IllegalArgumentException(file + ": label and id columns apply to CSV files, not to " + what);
        }
    }
}
