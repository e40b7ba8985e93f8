package io.github.ae4j.spark;

import io.github.ae4j.core.data.ColumnBinding;
import io.github.ae4j.core.data.CsvOptions;
import io.github.ae4j.core.data.CsvReader;
import io.github.ae4j.core.data.TabularSchema;
import io.github.ae4j.core.internal.Json;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads CSV tables on Spark the way {@code ae4j train}/{@code score} read them on one machine (ae-core's
 * {@code CsvReader}): a header row is detected (a first row in which no cell is a number); the label
 * and id columns (by header name or 0-based index) are never features; numeric columns have their
 * missing values ({@code "", NA, NaN, null, ?, none}) filled with the training median; text columns
 * with at most {@value #MAX_CATEGORIES} distinct values are one-hot encoded. The result is encoded
 * with a {@link TabularSchema}, the same schema object a model file stores, so a model trained here
 * scores files with {@code ae4j score} and vice versa.
 *
 * <p>Differences from one machine: the training median is Spark's {@code approxQuantile} with
 * relative rank error {@value #MEDIAN_ERROR}; quoted cells may not span lines; row numbers in error
 * messages count data rows over the whole input (a folder of part files is read in order).
 */
public final class SparkCsv {

    private static final Logger LOG = LoggerFactory.getLogger(SparkCsv.class);
    /** Most distinct values of a text column that is one-hot encoded (as ae-core's default). */
    public static final int MAX_CATEGORIES = 100;
    /** Relative rank error of the distributed median used to fill missing numbers. */
    public static final double MEDIAN_ERROR = 1e-3;

    private SparkCsv() {
    }

    /**
     * Which columns of a CSV file are the label and the id.
     *
     * @param labelColumn the label column (header name or 0-based index; 1/true = anomaly), or null
     * @param idColumn    the id column (header name or 0-based index), or null
     * @param header      whether the first row is a header; null = detect
     * @param delimiter   the cell delimiter
     */
    public record Input(String labelColumn, String idColumn, Boolean header, char delimiter) implements Serializable {

        /** Validates the record. */
        public Input {
            if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
                throw new IllegalArgumentException("invalid delimiter '" + delimiter + "'");
            }
        }

        /** @return no label, no id, header detected, comma-separated */
        public static Input defaults() {
            return new Input(null, null, null, ',');
        }

        /** @param c the label column, or null @return a copy */
        public Input withLabelColumn(String c) {
            return new Input(c, idColumn, header, delimiter);
        }

        /** @param c the id column, or null @return a copy */
        public Input withIdColumn(String c) {
            return new Input(labelColumn, c, header, delimiter);
        }
    }

    /**
     * One encoded data row.
     *
     * @param row      the 0-based data row over the whole input
     * @param features the encoded features
     * @param id       the id cell, or null
     * @param label    the 0/1 label, or -1 when there is no label column
     */
    public record Record(long row, float[] features, String id, int label) implements Serializable {
    }

    /**
     * An encoded table.
     *
     * @param rows      the encoded rows
     * @param schema    the schema used (the model's, adapted to the file's label/id columns)
     * @param hasIds    whether the records carry ids
     * @param hasLabels whether the records carry labels
     */
    public record Encoded(JavaRDD<Record> rows, TabularSchema schema, boolean hasIds, boolean hasLabels) {
    }

    /**
     * Reads a CSV file and infers its schema in one distributed pass plus a median pass: the schema
     * a model trained on it records.
     *
     * @param spark the session
     * @param path  the file or folder
     * @param input the label and id columns
     * @return the encoded rows and their schema
     * @throws IllegalArgumentException on an empty file, unknown label/id columns, a text column
     *                                  with too many distinct values, or a mixed text/number column
     */
    public static Encoded readForTraining(SparkSession spark, String path, Input input) {
        Raw raw = read(spark, path, input);
        int n = raw.names.size();
        final int label = raw.label;
        final int id = raw.id;
        ColumnStats stats;
        try {
            stats = raw.table.javaRDD().treeAggregate(new ColumnStats(n),
                    (s, r) -> s.add(cells(r, n), label, id), ColumnStats::merge);
        } catch (Exception e) {
            throw Rows.unwrap(e);
        }
        if (stats.rows == 0) {
            throw new IllegalArgumentException(path + " has no data rows: expected rows of numbers");
        }
        List<Integer> numeric = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i != label && i != id && stats.text[i] == 0) {
                numeric.add(i);
            }
        }
        double[] medians = medians(raw.table, numeric);
        List<TabularSchema.Column> cols = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String name = raw.names.get(i);
            String col = raw.header ? "'" + name + "' (index " + i + ")" : String.valueOf(i);
            if (i == label) {
                cols.add(new TabularSchema.Column(name, TabularSchema.Role.LABEL, List.of(), 0));
            } else if (i == id) {
                cols.add(new TabularSchema.Column(name, TabularSchema.Role.ID, List.of(), 0));
            } else if (stats.text[i] == 0) {
                double fill = 0;
                int k = numeric.indexOf(i);
                if (stats.numbers[i] == 0) {
                    LOG.warn("{}: column {} has no values; it is filled with 0", path, col);
                } else {
                    fill = medians[k];
                }
                cols.add(new TabularSchema.Column(name, TabularSchema.Role.NUMERIC, List.of(), fill));
            } else if (stats.numbers[i] > 0) {
                throw new IllegalArgumentException(path + ": column " + col + ": expected a number, got '"
                        + stats.firstText[i] + "' (the column holds numbers in " + stats.numbers[i] + " other rows)");
            } else if (stats.distinct.get(i).size() > MAX_CATEGORIES) {
                throw new IllegalArgumentException(path + ": column " + col + ": text column with more than "
                        + MAX_CATEGORIES + " distinct values: if it identifies rows, pass it as the id column");
            } else {
                LOG.info("{}: column {} is categorical with {} values: one-hot encoded", path, col,
                        stats.distinct.get(i).size());
                cols.add(new TabularSchema.Column(name, TabularSchema.Role.CATEGORICAL,
                        new ArrayList<>(new TreeSet<>(stats.distinct.get(i))), 0));
            }
        }
        TabularSchema schema = new TabularSchema(cols, raw.header);
        return encodeRaw(raw, schema, null, path);
    }

    /**
     * Reads a CSV file with a model's schema (its feature columns must match the file's, as for
     * {@code ae4j score}).
     *
     * @param spark       the session
     * @param path        the file or folder
     * @param input       the label and id columns of this file
     * @param modelSchema the schema stored in the model
     * @return the encoded rows
     * @throws IllegalArgumentException when the file's columns do not match the model's
     */
    public static Encoded encode(SparkSession spark, String path, Input input, TabularSchema modelSchema) {
        Objects.requireNonNull(modelSchema, "modelSchema");
        Raw raw = read(spark, path, input);
        ColumnBinding b = bind(modelSchema, raw, path);
        return encodeRaw(raw, b.schema(), b.source(), path);
    }

    // ------------------------------------------------------------------ reading

    private record Raw(Dataset<Row> table, List<String> names, boolean header, int label, int id) {
    }

    private static Raw read(SparkSession spark, String path, Input input) {
        Objects.requireNonNull(spark, "spark");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(input, "input");
        String sep = String.valueOf(input.delimiter());
        Dataset<Row> probe = spark.read().option("header", "false").option("sep", sep).csv(path);
        List<Row> first = probe.limit(1).collectAsList();
        if (first.isEmpty()) {
            throw new IllegalArgumentException(path + " is empty: expected rows of numbers");
        }
        String[] firstCells = cells(first.get(0), first.get(0).size());
        boolean header = input.header() != null ? input.header() : CsvReader.looksLikeHeader(firstCells);
        Dataset<Row> table = header
                ? spark.read().option("header", "true").option("sep", sep).option("mode", "FAILFAST").csv(path)
                : probe;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < firstCells.length; i++) {
            names.add(header ? firstCells[i].trim() : "c" + i);
        }
        int label = input.labelColumn() == null ? -1 : resolve(input.labelColumn(), names, "label", path);
        int id = input.idColumn() == null ? -1 : resolve(input.idColumn(), names, "id", path);
        if (label >= 0 && label == id) {
            throw new IllegalArgumentException("the label and id columns are the same column (" + label + ")");
        }
        return new Raw(table, names, header, label, id);
    }

    private static int resolve(String col, List<String> names, String what, String path) {
        int byName = names.indexOf(col);
        if (byName >= 0) {
            return byName;
        }
        try {
            int i = Integer.parseInt(col.trim());
            if (i >= 0 && i < names.size()) {
                return i;
            }
        } catch (NumberFormatException e) {
            // not an index
        }
        throw new IllegalArgumentException(path + ": no " + what + " column '" + col + "': expected a header name or a"
                + " 0-based index below " + names.size() + (names.size() <= 20 ? " (columns: " + names + ")" : ""));
    }

    static String[] cells(Row r, int n) {
        if (r.size() != n) {
            throw new IllegalArgumentException("expected " + n + " columns, got " + r.size());
        }
        String[] c = new String[n];
        for (int i = 0; i < n; i++) {
            Object v = r.get(i);
            c[i] = v == null ? "" : v.toString();
        }
        return c;
    }

    private static double[] medians(Dataset<Row> table, List<Integer> numeric) {
        if (numeric.isEmpty()) {
            return new double[0];
        }
        String[] cols = table.columns();
        Column[] casted = new Column[numeric.size()];
        String[] names = new String[numeric.size()];
        for (int k = 0; k < names.length; k++) {
            names[k] = "m" + k;
            casted[k] = functions.col("`" + cols[numeric.get(k)] + "`").cast("double").as(names[k]);
        }
        double[][] q = table.select(casted).stat().approxQuantile(names, new double[] {0.5}, MEDIAN_ERROR);
        double[] m = new double[names.length];
        for (int k = 0; k < m.length; k++) {
            m[k] = q[k].length == 0 ? 0 : q[k][0];
        }
        return m;
    }

    /** The file's columns matched to the model's by name (core's rule, {@link ColumnBinding}). */
    private static ColumnBinding bind(TabularSchema schema, Raw raw, String path) {
        CsvOptions opts = CsvOptions.defaults()
                .withLabelColumn(raw.label >= 0 ? Integer.toString(raw.label) : null)
                .withIdColumn(raw.id >= 0 ? Integer.toString(raw.id) : null);
        return ColumnBinding.bind(schema, raw.header, raw.names, opts, path);
    }

    private static Encoded encodeRaw(Raw raw, TabularSchema schema, int[] source, String path) {
        final String json;
        try {
            json = Json.MAPPER.writeValueAsString(schema);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise the tabular schema", e);
        }
        final int n = raw.names.size();
        final int width = schema.featureCount();
        final boolean header = raw.header;
        final String file = path;
        JavaRDD<Record> rows = raw.table.javaRDD().zipWithIndex().mapPartitions(it -> {
            TabularSchema s = Json.MAPPER.readValue(json, TabularSchema.class);
            TabularSchema.Encoder enc = s.encoder(file, false);
            int li = s.labelIndex();
            int ii = s.idIndex();
            List<Record> out = new ArrayList<>();
            while (it.hasNext()) {
                scala.Tuple2<Row, Long> t = it.next();
                long row = t._2();
                long line = row + (header ? 2 : 1);
                String[] c = cells(t._1(), n);
                if (source != null) {
                    c = ColumnBinding.arrange(c, source);
                }
                float[] f = new float[width];
                enc.encode(c, row, line, f, 0);
                out.add(new Record(row, f, ii >= 0 ? c[ii].trim() : null, li >= 0 ? enc.label(c, row, line) : -1));
            }
            return out.iterator();
        });
        return new Encoded(rows, schema, raw.id >= 0, raw.label >= 0);
    }

    /** Per-column counts of numbers and text cells, and up to MAX_CATEGORIES + 1 distinct text values. */
    static final class ColumnStats implements Serializable {
        private static final long serialVersionUID = 1L;
        long rows;
        final long[] numbers;
        final long[] text;
        final String[] firstText;
        final List<Set<String>> distinct;

        ColumnStats(int n) {
            numbers = new long[n];
            text = new long[n];
            firstText = new String[n];
            distinct = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                distinct.add(new LinkedHashSet<>());
            }
        }

        ColumnStats add(String[] cells, int label, int id) {
            rows++;
            for (int i = 0; i < cells.length; i++) {
                if (i == label || i == id) {
                    continue;
                }
                String v = cells[i].trim();
                if (TabularSchema.isMissing(v)) {
                    continue;
                }
                if (isParsableNumber(v)) {
                    numbers[i]++;
                } else {
                    text[i]++;
                    if (firstText[i] == null) {
                        firstText[i] = v.length() <= 40 ? v : v.substring(0, 37) + "...";
                    }
                    if (distinct.get(i).size() <= MAX_CATEGORIES) {
                        distinct.get(i).add(v);
                    }
                }
            }
            return this;
        }

        ColumnStats merge(ColumnStats o) {
            rows += o.rows;
            for (int i = 0; i < numbers.length; i++) {
                numbers[i] += o.numbers[i];
                text[i] += o.text[i];
                if (firstText[i] == null) {
                    firstText[i] = o.firstText[i];
                }
                for (String v : o.distinct.get(i)) {
                    if (distinct.get(i).size() > MAX_CATEGORIES) {
                        break;
                    }
                    distinct.get(i).add(v);
                }
            }
            return this;
        }

        private static boolean isParsableNumber(String v) {
            try {
                double d = io.github.ae4j.core.data.CsvNumbers.parse(v.trim());
                return !Double.isInfinite(d) && Math.abs(d) <= Float.MAX_VALUE || Double.isNaN(d);
            } catch (NumberFormatException e) {
                return false;
            }
        }
    }
}
