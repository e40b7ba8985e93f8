package io.github.ae4j.spark;

import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.anomaly.Detection;
import io.github.ae4j.core.data.TabularSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaDoubleRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Scores rows on a Spark cluster with a trained {@link AnomalyDetector}: the detector's file is
 * broadcast once (its bytes), loaded once per executor JVM and cached there, and every partition
 * is scored in batches of {@value #BATCH} rows. Scores and flags equal
 * {@link AnomalyDetector#score} and {@link AnomalyDetector#predict} on one machine, row by row.
 *
 * <p>Appended columns: {@value #SCORE} (double, higher = more anomalous) and {@value #ANOMALY}
 * (int, 1 where {@code score >= threshold}, as {@link AnomalyDetector#predict}); with
 * {@link #withPValues(boolean)} also {@value #P_VALUE} (the conformal p-value against the
 * calibration scores). Close the scorer to release the broadcast.
 */
public final class SparkScorer implements AutoCloseable {

    /** Name of the appended score column. */
    public static final String SCORE = "score";
    /** Name of the appended 0/1 flag column. */
    public static final String ANOMALY = "anomaly";
    /** Name of the appended conformal p-value column. */
    public static final String P_VALUE = "p_value";
    /** Rows scored per batch on an executor. */
    public static final int BATCH = 4096;

    private final JavaSparkContext sc;
    private final AnomalyDetector detector;
    private final Broadcast<byte[]> model;
    private final String key;
    private final boolean pValues;

    private SparkScorer(JavaSparkContext sc, AnomalyDetector detector, Broadcast<byte[]> model, String key,
                        boolean pValues) {
        this.sc = sc;
        this.detector = detector;
        this.model = model;
        this.key = key;
        this.pValues = pValues;
    }

    /**
     * Broadcasts a detector for scoring.
     *
     * @param sc       the Spark context
     * @param detector the trained detector
     * @return the scorer
     * @throws UncheckedIOException when the detector cannot be serialised to its file format
     */
    public static SparkScorer of(JavaSparkContext sc, AnomalyDetector detector) {
        Objects.requireNonNull(sc, "sc");
        Objects.requireNonNull(detector, "detector");
        byte[] bytes;
        Path tmp = null;
        try {
            tmp = Files.createTempFile("ae4j-spark-", ".ae4j");
            detector.save(tmp);
            bytes = Files.readAllBytes(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise the detector for broadcast", e);
        } finally {
            deleteQuietly(tmp);
        }
        return new SparkScorer(sc, detector, sc.broadcast(bytes), sha256(bytes), false);
    }

    /**
     * A scorer that also appends the {@value #P_VALUE} column (sharing this one's broadcast).
     *
     * @param on whether to append p-values
     * @return the scorer
     */
    public SparkScorer withPValues(boolean on) {
        return new SparkScorer(sc, detector, model, key, on);
    }

    /** @return the detector being broadcast */
    public AnomalyDetector detector() {
        return detector;
    }

    /**
     * Scores rows of raw feature values.
     *
     * @param rows rows of {@code detector().model().inputSize()} values
     * @return one score per row, in the rows' order and partitioning
     * @throws IllegalArgumentException (when the result is computed) on rows of the wrong width or
     *                                  NaN/infinite values
     */
    public JavaDoubleRDD score(JavaRDD<float[]> rows) {
        Objects.requireNonNull(rows, "rows");
        final Broadcast<byte[]> b = model;
        final String k = key;
        final int width = detector.model().inputSize();
        return rows.mapPartitions(it -> scores(ModelCache.get(k, b.value()), it, width), true)
                .mapToDouble(Double::doubleValue);
    }

    /**
     * Scores a table whose feature columns are numeric, appending {@value #SCORE} and
     * {@value #ANOMALY} (and {@value #P_VALUE} when asked) after its columns. Rows keep their order
     * and partitioning.
     *
     * @param table          the table
     * @param featureColumns the model's features, in the model's order: numeric columns, or one
     *                       column holding an array of numbers; empty = every numeric column in the
     *                       table's order
     * @return the table with the appended columns
     * @throws IllegalArgumentException when a column is missing or not numeric, or the number of
     *                                  features differs from the model's; at execution, on null or
     *                                  NaN/infinite values
     */
    public Dataset<Row> score(Dataset<Row> table, List<String> featureColumns) {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(featureColumns, "featureColumns");
        StructType schema = table.schema();
        final int[] idx = SparkRows.featureIndices(schema, featureColumns);
        final int width = detector.model().inputSize();
        SparkRows.checkWidth(schema, idx, width);
        final Broadcast<byte[]> b = model;
        final String k = key;
        final boolean p = pValues;
        final int n = schema.size();
        StructType outSchema = outputSchema(schema, p);
        JavaRDD<Row> out = table.javaRDD().mapPartitions(
                it -> scoredRows(ModelCache.get(k, b.value()), it, idx, width, n, p), true);
        return table.sparkSession().createDataFrame(out, outSchema);
    }

    /**
     * Scores a CSV file (or a folder of CSV part files) with the model's tabular schema, read as
     * {@code ae4j score} reads it (see {@link SparkCsv}): a header row is detected, missing values are
     * filled as in training, categories are one-hot encoded. The result has the id and label columns
     * (when given) and the appended columns.
     *
     * @param spark the session
     * @param path  the file or folder (any Hadoop file system URI)
     * @param input which columns are the label and the id
     * @return columns {@code row} (0-based data row), {@value #SCORE}, {@value #ANOMALY},
     *         [{@value #P_VALUE}], [{@code id}], [{@code label}]
     * @throws IllegalArgumentException when the model has no tabular schema or the file's columns do
     *                                  not match it
     */
    public Dataset<Row> scoreCsv(SparkSession spark, String path, SparkCsv.Input input) {
        Objects.requireNonNull(spark, "spark");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(input, "input");
        TabularSchema modelSchema = detector.model().schema().orElseThrow(() -> new IllegalArgumentException(
                "the model has no tabular schema (it was not trained from a CSV table): score a Dataset<Row>"
                        + " of numeric feature columns instead"));
        SparkCsv.Encoded data = SparkCsv.encode(spark, path, input, modelSchema);
        final Broadcast<byte[]> b = model;
        final String k = key;
        final boolean p = pValues;
        final int width = detector.model().inputSize();
        final boolean ids = data.hasIds();
        final boolean labels = data.hasLabels();
        JavaRDD<Row> out = data.rows().mapPartitions(it -> {
            AnomalyDetector d = ModelCache.get(k, b.value());
            List<Row> result = new ArrayList<>();
            Iterator<List<SparkCsv.Record>> chunks = Rows.chunks(it, BATCH);
            while (chunks.hasNext()) {
                List<SparkCsv.Record> chunk = chunks.next();
                List<float[]> x = new ArrayList<>(chunk.size());
                for (SparkCsv.Record r : chunk) {
                    x.add(r.features());
                }
                Detection det = d.detect(Rows.matrix(x, width));
                for (int i = 0; i < det.rows(); i++) {
                    SparkCsv.Record r = chunk.get(i);
                    List<Object> v = new ArrayList<>(6);
                    v.add(r.row());
                    v.add(det.scores()[i]);
                    v.add(det.flags()[i]);
                    if (p) {
                        v.add(det.pValues()[i]);
                    }
                    if (ids) {
                        v.add(r.id());
                    }
                    if (labels) {
                        v.add(r.label());
                    }
                    result.add(RowFactory.create(v.toArray()));
                }
            }
            return result.iterator();
        }, true);
        List<StructField> f = new ArrayList<>();
        f.add(DataTypes.createStructField("row", DataTypes.LongType, false));
        f.add(DataTypes.createStructField(SCORE, DataTypes.DoubleType, false));
        f.add(DataTypes.createStructField(ANOMALY, DataTypes.IntegerType, false));
        if (p) {
            f.add(DataTypes.createStructField(P_VALUE, DataTypes.DoubleType, false));
        }
        if (ids) {
            f.add(DataTypes.createStructField("id", DataTypes.StringType, true));
        }
        if (labels) {
            f.add(DataTypes.createStructField("label", DataTypes.IntegerType, false));
        }
        return spark.createDataFrame(out, DataTypes.createStructType(f));
    }

    /** Releases the broadcast model (executors drop their copy of the bytes; loaded models stay cached). */
    @Override
    public void close() {
        model.destroy();
    }

    // ------------------------------------------------------------------ executor side

    static Iterator<Double> scores(AnomalyDetector d, Iterator<float[]> it, int width) {
        List<Double> out = new ArrayList<>();
        Iterator<List<float[]>> chunks = Rows.chunks(it, BATCH);
        while (chunks.hasNext()) {
            for (double s : d.score(Rows.matrix(chunks.next(), width))) {
                out.add(s);
            }
        }
        return out.iterator();
    }

    static Iterator<Row> scoredRows(AnomalyDetector d, Iterator<Row> it, int[] idx, int width, int n, boolean p) {
        Iterator<List<Row>> chunks = Rows.chunks(it, BATCH);
        return new Iterator<>() {
            Iterator<Row> current = java.util.Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && chunks.hasNext()) {
                    current = scoreChunk(d, chunks.next(), idx, width, n, p).iterator();
                }
                return current.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return current.next();
            }
        };
    }

    static List<Row> scoreChunk(AnomalyDetector d, List<Row> chunk, int[] idx, int width, int n, boolean p) {
        List<float[]> x = new ArrayList<>(chunk.size());
        for (Row r : chunk) {
            x.add(SparkRows.features(r, idx, width));
        }
        Detection det = d.detect(Rows.matrix(x, width));
        List<Row> out = new ArrayList<>(chunk.size());
        for (int i = 0; i < det.rows(); i++) {
            Row r = chunk.get(i);
            Object[] v = new Object[n + (p ? 3 : 2)];
            for (int j = 0; j < n; j++) {
                v[j] = r.get(j);
            }
            v[n] = det.scores()[i];
            v[n + 1] = det.flags()[i];
            if (p) {
                v[n + 2] = det.pValues()[i];
            }
            out.add(RowFactory.create(v));
        }
        return out;
    }

    static StructType outputSchema(StructType in, boolean pValues) {
        for (String c : new String[] {SCORE, ANOMALY, P_VALUE}) {
            if (java.util.Arrays.asList(in.fieldNames()).contains(c) && (pValues || !P_VALUE.equals(c))) {
                throw new IllegalArgumentException("the table already has a column '" + c
                        + "': rename it before scoring (expected no column named score, anomaly"
                        + (pValues ? " or p_value" : "") + ")");
            }
        }
        StructType out = in.add(SCORE, DataTypes.DoubleType, false).add(ANOMALY, DataTypes.IntegerType, false);
        return pValues ? out.add(P_VALUE, DataTypes.DoubleType, false) : out;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // a temporary file left behind is harmless
            }
        }
    }
}
