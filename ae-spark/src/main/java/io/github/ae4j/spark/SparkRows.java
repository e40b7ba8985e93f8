package io.github.ae4j.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Turns a Spark table into rows of features ({@code float[]}), the form
 * {@link SparkAutoencoderTrainer} and {@link SparkScorer} work on. Features are numeric columns
 * (any Spark numeric type), or one column holding an array of numbers per row (e.g. a flattened
 * image).
 */
public final class SparkRows {

    private SparkRows() {
    }

    /**
     * The feature rows of a table.
     *
     * @param table          the table
     * @param featureColumns the feature columns, in order; empty = every numeric column in the
     *                       table's order
     * @return one {@code float[]} per table row, same order and partitioning
     * @throws IllegalArgumentException when a column is missing or not numeric (checked now); on a
     *                                  null value (when the RDD is computed)
     */
    public static JavaRDD<float[]> features(Dataset<Row> table, List<String> featureColumns) {
        Objects.requireNonNull(table, "table");
        final int[] idx = featureIndices(table.schema(), featureColumns);
        final int width = width(table.schema(), idx);
        return table.javaRDD().map(r -> features(r, idx, width));
    }

    /**
     * The positions of the feature columns.
     *
     * @param schema         the table's schema
     * @param featureColumns names, in order; empty = every numeric column
     * @return the column positions
     * @throws IllegalArgumentException on a missing or non-numeric column, or no feature column
     */
    public static int[] featureIndices(StructType schema, List<String> featureColumns) {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(featureColumns, "featureColumns");
        List<String> names = Arrays.asList(schema.fieldNames());
        int[] idx;
        if (featureColumns.isEmpty()) {
            List<Integer> l = new ArrayList<>();
            for (int i = 0; i < schema.size(); i++) {
                if (schema.fields()[i].dataType() instanceof NumericType) {
                    l.add(i);
                }
            }
            idx = l.stream().mapToInt(Integer::intValue).toArray();
            if (idx.length == 0) {
                throw new IllegalArgumentException("the table has no numeric column: expected numeric feature columns,"
                        + " got " + schema.simpleString());
            }
            return idx;
        }
        idx = new int[featureColumns.size()];
        for (int i = 0; i < idx.length; i++) {
            String c = featureColumns.get(i);
            int at = names.indexOf(c);
            if (at < 0) {
                throw new IllegalArgumentException("no column '" + c + "' in the table: expected one of " + names);
            }
            StructField f = schema.fields()[at];
            boolean array = f.dataType() instanceof ArrayType a && a.elementType() instanceof NumericType;
            if (!(f.dataType() instanceof NumericType) && !(array && featureColumns.size() == 1)) {
                throw new IllegalArgumentException("column '" + c + "' is " + f.dataType().simpleString()
                        + ": expected a numeric column (or one array-of-numbers column)");
            }
            idx[i] = at;
        }
        return idx;
    }

    /**
     * Checks that the feature columns give {@code expected} features (when that is known from the
     * schema: always, except for one array column).
     *
     * @param schema   the table's schema
     * @param idx      the feature column positions
     * @param expected the model's input width
     */
    static void checkWidth(StructType schema, int[] idx, int expected) {
        int w = width(schema, idx);
        if (w >= 0 && w != expected) {
            throw new IllegalArgumentException("expected " + expected + " feature columns (the model's input), got "
                    + w + ": " + Arrays.stream(idx).mapToObj(i -> schema.fieldNames()[i]).toList());
        }
    }

    /** The width, or -1 for one array column (known per row only). */
    private static int width(StructType schema, int[] idx) {
        if (idx.length == 1 && schema.fields()[idx[0]].dataType() instanceof ArrayType) {
            return -1;
        }
        return idx.length;
    }

    /**
     * The features of one table row.
     *
     * @param r     the row
     * @param idx   the feature column positions
     * @param width the expected width, or -1 when unknown
     * @return the values
     */
    static float[] features(Row r, int[] idx, int width) {
        if (idx.length == 1 && !r.isNullAt(idx[0]) && !(r.get(idx[0]) instanceof Number)) {
            List<Object> l = r.getList(idx[0]);
            if (width >= 0 && l.size() != width) {
                throw new IllegalArgumentException("expected " + width + " values in column '"
                        + name(r, idx[0]) + "', got " + l.size());
            }
            float[] out = new float[l.size()];
            for (int j = 0; j < out.length; j++) {
                Object v = l.get(j);
                if (v == null) {
                    throw new IllegalArgumentException("null value at position " + j + " of column '"
                            + name(r, idx[0]) + "': expected numbers (fill missing values first)");
                }
                out[j] = ((Number) v).floatValue();
            }
            return out;
        }
        float[] out = new float[idx.length];
        for (int j = 0; j < idx.length; j++) {
            if (r.isNullAt(idx[j])) {
                throw new IllegalArgumentException("null value in column '" + name(r, idx[j])
                        + "': expected numbers (fill missing values first, e.g. Dataset.na().fill)");
            }
            out[j] = ((Number) r.get(idx[j])).floatValue();
        }
        return out;
    }

    private static String name(Row r, int i) {
        return r.schema() == null ? "#" + i : r.schema().fieldNames()[i];
    }
}
