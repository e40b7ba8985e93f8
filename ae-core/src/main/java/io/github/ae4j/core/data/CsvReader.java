package io.github.ae4j.core.data;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads CSV files ({@code .csv}, or gzip-compressed {@code .csv.gz}) into encoded feature rows,
 * in memory ({@link #read}) or streamed in bounded memory ({@link #stream}).
 *
 * <p>A header line is detected (a first line in which no cell is a number) unless
 * {@link CsvOptions#header()} says otherwise. The label and id columns are never features.
 * Training data defines a {@link TabularSchema} (numeric and categorical columns, one-hot
 * vocabularies, medians for imputation); scoring data is read with the model's schema. Every
 * problem is reported as a {@link DataFormatException} naming the file, row and column.
 */
public final class CsvReader {

    private static final Logger LOG = LoggerFactory.getLogger(CsvReader.class);

    private CsvReader() {
    }

    /**
     * Reads a training table: infers the schema from all rows, then encodes them.
     *
     * @param file the CSV file
     * @param opts how to read it
     * @return the table
     * @throws IOException on I/O failure
     * @throws DataFormatException on bad content
     */
    public static Table read(Path file, CsvOptions opts) throws IOException {
        Raw raw = readRaw(file, opts, Long.MAX_VALUE);
        TabularSchema schema = infer(raw, opts);
        return encode(raw, schema, opts);
    }

    /**
     * Reads a table with a known schema (e.g. a model's), in memory.
     *
     * @param file   the CSV file
     * @param schema the schema to apply
     * @param opts   how to read it (the label and id columns, strictness)
     * @return the table
     * @throws IOException on I/O failure
     */
    public static Table read(Path file, TabularSchema schema, CsvOptions opts) throws IOException {
        Raw raw = readRaw(file, opts, Long.MAX_VALUE);
        return encode(raw, ColumnBinding.bind(schema, raw.header, raw.names, opts, file.toString()), opts);
    }

    /**
     * Infers a schema from the first {@code sampleRows} rows, for streaming a file too large for
     * memory.
     *
     * @param file       the CSV file
     * @param opts       how to read it
     * @param sampleRows rows to look at
     * @return the schema
     * @throws IOException on I/O failure
     */
    public static TabularSchema inferSchema(Path file, CsvOptions opts, long sampleRows) throws IOException {
        return infer(readRaw(file, opts, sampleRows), opts);
    }

    /**
     * Streams a file in batches, with a known schema. Memory is bounded by the batch size.
     *
     * @param file      the CSV file
     * @param schema    the schema to apply
     * @param opts      how to read it
     * @param batchSize rows per batch
     * @return a stream of batches; close it
     * @throws IOException on I/O failure
     */
    public static BatchStream stream(Path file, TabularSchema schema, CsvOptions opts, int batchSize)
            throws IOException {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        CsvLines lines = new CsvLines(file, opts.delimiter());
        try {
            String[] first = lines.next();
            if (first == null) {
                throw new DataFormatException(file.toString(), -1, -1, null, "is empty: expected rows of numbers");
            }
            boolean header = opts.header() != null ? opts.header() : looksLikeHeader(first);
            List<String> names = header ? List.of(first) : defaultNames(first.length);
            ColumnBinding b = ColumnBinding.bind(schema, header, names, opts, file.toString());
            return new BatchStream(lines, b, opts, batchSize, header ? null : first);
        } catch (IOException | RuntimeException e) {
            lines.close();
            throw e;
        }
    }

    /** One batch of a streamed file. */
    public record Batch(long firstRow, INDArray features, int[] labels, String[] ids) {
        /** @return rows in the batch */
        public int rows() {
            return (int) features.size(0);
        }
    }

    /** Batches of a streamed file, in order. Not thread-safe. */
    public static final class BatchStream implements Iterator<Batch>, Closeable {
        private final CsvLines lines;
        private final TabularSchema schema;
        private final ColumnBinding binding;
        private final TabularSchema.Encoder encoder;
        private final int batchSize;
        private final int width;
        private String[] pending;
        private long row;
        private Batch next;
        private boolean done;

        BatchStream(CsvLines lines, ColumnBinding binding, CsvOptions opts, int batchSize, String[] firstData) {
            this.lines = lines;
            this.binding = binding;
            this.schema = binding.schema();
            this.encoder = schema.encoder(lines.name(), opts.strict());
            this.batchSize = batchSize;
            this.width = schema.featureCount();
            this.pending = firstData;
        }

        /** @return the schema used: the model's columns in the model's order, then this file's label and id */
        public TabularSchema schema() {
            return schema;
        }

        @Override
        public boolean hasNext() {
            if (next == null && !done) {
                try {
                    next = read();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return next != null;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Batch b = next;
            next = null;
            return b;
        }

        private Batch read() throws IOException {
            float[] buf = new float[batchSize * width];
            int[] labels = schema.labelIndex() >= 0 ? new int[batchSize] : null;
            String[] ids = schema.idIndex() >= 0 ? new String[batchSize] : null;
            int n = 0;
            long first = row;
            while (n < batchSize) {
                String[] cells;
                long line;
                if (pending != null) {
                    cells = pending;
                    pending = null;
                    line = 1;
                } else {
                    cells = lines.next();
                    line = lines.line();
                }
                if (cells == null) {
                    done = true;
                    break;
                }
                cells = binding.arrange(cells, row, line);
                encoder.encode(cells, row, line, buf, n * width);
                if (labels != null) {
                    labels[n] = encoder.label(cells, row, line);
                }
                if (ids != null) {
                    ids[n] = cells[schema.idIndex()].trim();
                }
                n++;
                row++;
            }
            if (n == 0) {
                return null;
            }
            INDArray f = Nd4j.create(n == batchSize ? buf : Arrays.copyOf(buf, n * width), new long[] {n, width}, 'c');
            return new Batch(first, f, labels == null ? null : Arrays.copyOf(labels, n),
                    ids == null ? null : Arrays.copyOf(ids, n));
        }

        /** @return categorical cells seen so far with a category not in the model's vocabulary */
        public long unseenCategories() {
            return encoder.unseenCategories();
        }

        @Override
        public void close() throws IOException {
            lines.close();
        }
    }

    // ------------------------------------------------------------------ internals

    private record Raw(String file, boolean header, List<String> names, List<String[]> rows, long[] lines) {
    }

    private static Raw readRaw(Path file, CsvOptions opts, long maxRows) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(opts, "opts");
        try (CsvLines lines = new CsvLines(file, opts.delimiter())) {
            String[] first = lines.next();
            if (first == null) {
                throw new DataFormatException(file.toString(), -1, -1, null, "is empty: expected rows of numbers");
            }
            boolean header = opts.header() != null ? opts.header() : looksLikeHeader(first);
            List<String[]> rows = new ArrayList<>();
            long[] lineNos = new long[1024];
            if (!header) {
                rows.add(first);
                lineNos[0] = lines.line();
            }
            String[] cells;
            while (rows.size() < maxRows && (cells = lines.next()) != null) {
                if (rows.size() == lineNos.length) {
                    lineNos = Arrays.copyOf(lineNos, lineNos.length * 2);
                }
                lineNos[rows.size()] = lines.line();
                rows.add(cells);
            }
            if (rows.isEmpty()) {
                throw new DataFormatException(file.toString(), -1, -1, null, "has a header line but no data rows");
            }
            List<String> names = header ? trimmed(first) : defaultNames(first.length);
            return new Raw(file.toString(), header, names, rows, lineNos);
        }
    }

    private static List<String> trimmed(String[] cells) {
        List<String> l = new ArrayList<>(cells.length);
        for (String c : cells) {
            l.add(c.trim());
        }
        return l;
    }

    private static List<String> defaultNames(int n) {
        List<String> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add("c" + i);
        }
        return l;
    }

    /**
     * Header detection: a first line with no numeric cell (and at least one non-empty cell).
     *
     * @param first the first line's cells
     * @return true when it looks like a header
     */
    public static boolean looksLikeHeader(String[] first) {
        boolean any = false;
        for (String c : first) {
            String t = c.trim();
            if (!t.isEmpty()) {
                any = true;
            }
            if (isNumber(t)) {
                return false;
            }
        }
        return any;
    }

    private static boolean isNumber(String t) {
        if (t.isEmpty()) {
            return false;
        }
        char ch = t.charAt(0);
        if (!(Character.isDigit(ch) || ch == '-' || ch == '+' || ch == '.')) {
            return false;
        }
        try {
            CsvNumbers.parse(t);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Resolves a column given by header name or 0-based index.
     *
     * @param spec  the name or index
     * @param names the column names
     * @param what  what the column is for (messages)
     * @param file  the file (messages)
     * @return the index
     */
    static int resolve(String spec, List<String> names, String what, String file) {
        String s = spec.trim();
        int byName = names.indexOf(s);
        if (byName >= 0) {
            return byName;
        }
        try {
            int i = Integer.parseInt(s);
            if (i >= 0 && i < names.size()) {
                return i;
            }
            throw new DataFormatException(file, -1, -1, null, what + " column index " + i + " is out of range: the file has "
                    + names.size() + " columns (0.." + (names.size() - 1) + ")");
        } catch (NumberFormatException e) {
            throw new DataFormatException(file, -1, -1, null, what + " column '" + s + "' not found; columns are: "
                    + abbreviateList(names));
        }
    }

    private static String abbreviateList(List<String> names) {
        return names.size() <= 20 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 20)) + ", ... (" + names.size() + " in all)";
    }

    private static void sameColumn(int label, int id, List<String> names, String file) {
        if (label >= 0 && label == id) {
            throw new DataFormatException(file, -1, -1, null, "the label and id columns are the same column ('"
                    + names.get(label) + "', index " + label + "): a column can be one or the other");
        }
    }

    private static TabularSchema infer(Raw raw, CsvOptions opts) {
        int nCols = raw.names.size();
        int label = opts.labelColumn() == null ? -1 : resolve(opts.labelColumn(), raw.names, "label", raw.file);
        int id = opts.idColumn() == null ? -1 : resolve(opts.idColumn(), raw.names, "id", raw.file);
        sameColumn(label, id, raw.names, raw.file);
        Set<Integer> categorical = new HashSet<>();
        for (String c : opts.categorical()) {
            categorical.add(resolve(c, raw.names, "categorical", raw.file));
        }
        Set<Integer> ignored = new HashSet<>();
        for (String c : opts.ignore()) {
            ignored.add(resolve(c, raw.names, "ignored", raw.file));
        }
        for (int r = 0; r < raw.rows.size(); r++) {
            if (raw.rows.get(r).length != nCols) {
                throw new DataFormatException(raw.file, r, raw.lines[r], null, "expected " + nCols
                        + " columns (as in the " + (raw.header ? "header" : "first row") + "), got "
                        + raw.rows.get(r).length);
            }
        }
        List<TabularSchema.Column> cols = new ArrayList<>(nCols);
        for (int i = 0; i < nCols; i++) {
            String name = raw.names.get(i);
            if (i == label) {
                cols.add(new TabularSchema.Column(name, TabularSchema.Role.LABEL, List.of(), 0));
            } else if (i == id) {
                cols.add(new TabularSchema.Column(name, TabularSchema.Role.ID, List.of(), 0));
            } else if (ignored.contains(i)) {
                cols.add(new TabularSchema.Column(name, TabularSchema.Role.IGNORED, List.of(), 0));
            } else {
                cols.add(inferColumn(raw, i, categorical.contains(i), opts));
            }
        }
        return new TabularSchema(cols, raw.header);
    }

    private static TabularSchema.Column inferColumn(Raw raw, int i, boolean forceCategorical, CsvOptions opts) {
        String name = raw.names.get(i);
        String col = raw.header ? "'" + name + "' (index " + i + ")" : String.valueOf(i);
        double[] nums = new double[raw.rows.size()];
        int nNum = 0;
        int nText = 0;
        int firstText = -1;
        int firstNum = -1;
        Set<String> distinct = new LinkedHashSet<>();
        for (int r = 0; r < raw.rows.size(); r++) {
            String v = raw.rows.get(r)[i].trim();
            if (TabularSchema.isMissing(v)) {
                continue;
            }
            if (forceCategorical) {
                distinct.add(v);
                continue;
            }
            double d;
            try {
                d = CsvNumbers.parse(v);
            } catch (NumberFormatException e) {
                nText++;
                if (firstText < 0) {
                    firstText = r;
                }
                if (distinct.size() <= opts.maxCategories()) {
                    distinct.add(v);
                }
                continue;
            }
            if (Double.isInfinite(d) || Math.abs(d) > Float.MAX_VALUE) {
                throw new DataFormatException(raw.file, r, raw.lines[r], col, "value '" + v
                        + "' is infinite or out of float range");
            }
            if (firstNum < 0) {
                firstNum = r;
            }
            nums[nNum++] = d;
        }
        if (!forceCategorical && nText == 0) {
            double fill = 0;
            if (nNum == 0) {
                LOG.warn("{}: column {} has no values; it is filled with 0", raw.file, col);
            } else {
                double[] s = Arrays.copyOf(nums, nNum);
                Arrays.sort(s);
                fill = nNum % 2 == 1 ? s[nNum / 2] : (s[nNum / 2 - 1] + s[nNum / 2]) / 2;
            }
            return new TabularSchema.Column(name, TabularSchema.Role.NUMERIC, List.of(), fill);
        }
        if (!forceCategorical && nNum > 0) {
            String v = raw.rows.get(firstText)[i].trim();
            throw new DataFormatException(raw.file, firstText, raw.lines[firstText], col, "expected a number, got '"
                    + TabularSchema.abbreviate(v) + "' (the column holds numbers in " + nNum + " other rows)");
        }
        if (distinct.size() > opts.maxCategories()) {
            throw new DataFormatException(raw.file, -1, -1, col, "text column with more than " + opts.maxCategories()
                    + " distinct values: if it identifies rows, pass it as the id column, else ignore it");
        }
        LOG.info("{}: column {} is categorical with {} values: one-hot encoded", raw.file, col, distinct.size());
        return new TabularSchema.Column(name, TabularSchema.Role.CATEGORICAL, new ArrayList<>(new TreeSet<>(distinct)), 0);
    }

    private static Table encode(Raw raw, TabularSchema schema, CsvOptions opts) {
        return encode(raw, schema, null, opts);
    }

    private static Table encode(Raw raw, ColumnBinding binding, CsvOptions opts) {
        return encode(raw, binding.schema(), binding, opts);
    }

    private static Table encode(Raw raw, TabularSchema schema, ColumnBinding binding, CsvOptions opts) {
        int n = raw.rows.size();
        int width = schema.featureCount();
        float[] buf = new float[Math.multiplyExact(n, width)];
        TabularSchema.Encoder enc = schema.encoder(raw.file, opts.strict());
        int li = schema.labelIndex();
        int ii = schema.idIndex();
        int[] labels = li >= 0 ? new int[n] : null;
        String[] ids = ii >= 0 ? new String[n] : null;
        for (int r = 0; r < n; r++) {
            String[] cells = binding == null ? raw.rows.get(r) : binding.arrange(raw.rows.get(r), r, raw.lines[r]);
            enc.encode(cells, r, raw.lines[r], buf, r * width);
            if (labels != null) {
                labels[r] = enc.label(cells, r, raw.lines[r]);
            }
            if (ids != null) {
                ids[r] = cells[ii].trim();
            }
        }
        if (enc.unseenCategories() > 0) {
            LOG.warn("{}: {} categorical cells hold categories not seen in training (encoded as all zeros)",
                    raw.file, enc.unseenCategories());
        }
        return new Table(Nd4j.create(buf, new long[] {n, width}, 'c'), labels, ids, schema, raw.file);
    }
}
