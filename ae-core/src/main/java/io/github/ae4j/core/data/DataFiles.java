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
     * @param positional    match a CSV's columns to the model's by position ({@link CsvOptions#positional()})
     */
    public record Request(String labelColumn, String idColumn, int[] imageShape, TabularSchema schema,
                          boolean positional) {

        /**
         * A request matching columns by name.
         *
         * @param labelColumn the label column (CSV only), or null
         * @param idColumn    the id column (CSV only), or null
         * @param imageShape  the image shape, or null
         * @param schema      the model's schema, or null when training
         */
        public Request(String labelColumn, String idColumn, int[] imageShape, TabularSchema schema) {
            this(labelColumn, idColumn, imageShape, schema, false);
        }

        /**
         * @param p match columns by position
         * @return a copy
         */
        public Request withPositional(boolean p) {
            return new Request(labelColumn, idColumn, imageShape, schema, p);
        }
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
        CsvOptions opts = CsvOptions.defaults().withLabelColumn(req.labelColumn()).withIdColumn(req.idColumn())
                .withPositional(req.positional());
        Table t = req.schema() == null ? CsvReader.read(file, opts) : CsvReader.read(file, req.schema(), opts);
        if (shape != null && (long) shape[0] * shape[1] * shape[2] != t.features().size(1)) {
            throw new IllegalArgumentException(file + ": rows have " + t.features().size(1) + " values, an image of "
                    + shape[0] + "x" + shape[1] + "x" + shape[2] + " needs " + (long) shape[0] * shape[1] * shape[2]);
        }
        return new LoadedData(t.features(), t.labels(), t.ids(), t.schema(),
                shape != null ? DataKind.image(shape[0], shape[1], shape[2]) : DataKind.table(), file);
    }

    /**
     * Batches of data read for a model, in file order.
     */
    public interface Batches extends Iterator<CsvReader.Batch>, java.io.Closeable {
        /** @return the kind of data (a table, or images of the model's shape) */
        DataKind kind();

        /** @return whether the batches carry ids */
        boolean hasIds();

        /** @return whether the batches carry labels */
        boolean hasLabels();
    }

    /**
     * Reads data for a model ({@link #forModel}) in batches of at most {@code batchSize} rows: a CSV file for
     * a model with a schema is streamed (bounded memory, columns matched by name, {@link CsvReader#stream});
     * any other data (an image folder, an IDX file, rows for a model without a schema) is read whole
     * ({@link #read}) and cut into batches.
     *
     * @param file      the file or folder
     * @param req       what to read, with the model's schema and image shape
     * @param batchSize rows per batch, at least 1
     * @return the batches; close them
     * @throws IOException on I/O failure
     */
    public static Batches batches(Path file, Request req, int batchSize) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(req, "req");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file or folder");
        }
        int[] shape = req.imageShape();
        if (req.schema() != null && !Files.isDirectory(file) && !Idx.isIdx(file)) {
            CsvOptions opts = CsvOptions.defaults().withLabelColumn(req.labelColumn()).withIdColumn(req.idColumn())
                    .withPositional(req.positional());
            CsvReader.BatchStream s = CsvReader.stream(file, req.schema(), opts, batchSize);
            DataKind kind = shape != null ? DataKind.image(shape[0], shape[1], shape[2]) : DataKind.table();
            return new Batches() {
                @Override
                public DataKind kind() {
                    return kind;
                }

                @Override
                public boolean hasIds() {
                    return req.idColumn() != null;
                }

                @Override
                public boolean hasLabels() {
                    return req.labelColumn() != null;
                }

                @Override
                public boolean hasNext() {
                    return s.hasNext();
                }

                @Override
                public CsvReader.Batch next() {
                    return s.next();
                }

                @Override
                public void close() throws IOException {
                    s.close();
                }
            };
        }
        LoadedData d = read(file, req);
        return new Batches() {
            int from;

            @Override
            public DataKind kind() {
                return d.kind();
            }

            @Override
            public boolean hasIds() {
                return d.ids() != null;
            }

            @Override
            public boolean hasLabels() {
                return d.labels() != null;
            }

            @Override
            public boolean hasNext() {
                return from < d.rows();
            }

            @Override
            public CsvReader.Batch next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                int to = Math.min(d.rows(), from + batchSize);
                CsvReader.Batch b = new CsvReader.Batch(from, d.x().get(
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to),
                        org.nd4j.linalg.indexing.NDArrayIndex.all()),
                        d.labels() == null ? null : Arrays.copyOfRange(d.labels(), from, to),
                        d.ids() == null ? null : Arrays.copyOfRange(d.ids(), from, to));
                from = to;
                return b;
            }

            @Override
            public void close() {
            }
        };
    }

    private static void noColumns(Request req, Path file, String what) {
        if (req.labelColumn() != null || req.idColumn() != null) {
            throw new IllegalArgumentException(file + ": label and id columns apply to CSV files, not to " + what);
        }
    }
}
