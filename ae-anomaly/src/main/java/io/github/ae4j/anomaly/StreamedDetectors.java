package io.github.ae4j.anomaly;

import io.github.ae4j.anomaly.threshold.ThresholdStrategy;
import io.github.ae4j.core.AnomalyScorer;
import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.ModelSpec;
import io.github.ae4j.core.data.RowSource;
import io.github.ae4j.core.TrainingListener;
import io.github.ae4j.core.data.CsvOptions;
import io.github.ae4j.core.data.CsvReader;
import io.github.ae4j.core.data.DataKind;
import io.github.ae4j.core.data.TabularSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training a detector on a CSV file larger than memory: the file is streamed in blocks (once per
 * epoch, and once more to calibrate), never held whole. Rows labelled 1 are left out of training; a
 * seeded hash of the row number holds out {@code config.calibrationFraction()} of the normal rows
 * for calibration (never trained on); their scores (a seeded sample of at most
 * {@value #MAX_CALIBRATION_SCORES}) calibrate the threshold, with the labelled anomalies' scores when
 * the threshold needs labels. One model is trained (an ensemble or cross-fitted calibration would
 * stream the file once more per model); a {@link StandardizedScorer} is fitted on a seeded reservoir
 * sample of at most {@link StandardizedScorer#referenceSize()} training rows (one more pass), so memory
 * stays bounded. The robust-refit rounds of {@link AnomalyDetector#fit} need the rows in memory and
 * are not run.
 */
public final class StreamedDetectors {

    /** At most this many calibration (and labelled-anomaly) scores are kept. */
    public static final int MAX_CALIBRATION_SCORES = 200_000;
    /** Rows per streamed block. */
    static final int BLOCK = 4096;

    private StreamedDetectors() {
    }

    /**
     * Whether a file is better streamed than read into memory: a CSV file larger than a quarter of the
     * memory available (a gzipped one counted five times its size).
     *
     * @param csv      the file
     * @param maxHeap  the memory available, in bytes (e.g. {@code Runtime.getRuntime().maxMemory()})
     * @return true to stream it
     * @throws IOException when its size cannot be read
     */
    public static boolean isLarge(Path csv, long maxHeap) throws IOException {
        long size = java.nio.file.Files.size(csv) * (csv.toString().endsWith(".gz") ? 5 : 1);
        return size > maxHeap / 4;
    }

    /**
     * Trains and calibrates a detector streamed from a CSV file.
     *
     * @param spec      the architecture
     * @param csv       the file
     * @param schema    its schema (e.g. {@link CsvReader#inferSchema} on the first rows)
     * @param options   how to read it (label and id columns)
     * @param config    how to train and calibrate, e.g. {@link DetectorConfig#defaults()}: as one model on a
     *                  held-out split ({@link DetectorTraining#singleModel}); its threshold is replaced by
     *                  {@code threshold}
     * @param threshold the threshold to end with
     * @param listeners progress listeners
     * @return the detector, recording the schema
     * @throws IOException on I/O failure
     */
    public static AnomalyDetector fit(ModelSpec spec, Path csv, TabularSchema schema, CsvOptions options,
                                      DetectorConfig config, ThresholdStrategy threshold, TrainingListener... listeners)
            throws IOException {
        Objects.requireNonNull(threshold, "threshold");
        // one model, held-out calibration (an ensemble or cross-fitting would stream the file once more per
        // model); the standardised scorer is fitted on a reservoir sample of the training rows: bounded memory
        config = DetectorTraining.singleModel(config);
        long seed = config.training().seed();
        double fraction = config.calibrationFraction();
        Part trainingRows = new Part(csv, schema, options, false, fraction, seed);
        Autoencoder model = Autoencoder.fit(spec, trainingRows, config.training(), listeners).withSchema(schema)
                .withData(DataKind.table());
        AnomalyScorer scorer = config.scorer();
        if (scorer instanceof StandardizedScorer st && !st.isFitted()) {
            scorer = st.fit(model, sample(trainingRows, st.referenceSize(), seed), seed);
        }
        Reservoir cal = new Reservoir(seed);
        Reservoir anomalies = new Reservoir(seed + 1);
        try (CsvReader.BatchStream s = CsvReader.stream(csv, schema, options, BLOCK)) {
            while (s.hasNext()) {
                CsvReader.Batch b = s.next();
                int[] c = select(b, true, fraction, seed);
                if (c.length > 0) {
                    cal.add(scorer.score(model, Nd4j.pullRows(b.features(), 1, c)));
                }
                if (threshold.requiresLabels() && b.labels() != null) {
                    int[] a = java.util.stream.IntStream.range(0, b.rows()).filter(i -> b.labels()[i] == 1).toArray();
                    if (a.length > 0) {
                        anomalies.add(scorer.score(model, Nd4j.pullRows(b.features(), 1, a)));
                    }
                }
            }
        }
        if (cal.size() == 0) {
            throw new IllegalArgumentException(csv + ": no rows held out for calibration (calibrationFraction "
                    + fraction + "): the file is too small to stream; read it into memory instead");
        }
        if (threshold.requiresLabels() && anomalies.size() == 0) {
            throw new IllegalArgumentException("threshold " + threshold.spec() + " needs labelled anomalies (label 1)");
        }
        AnomalyDetector det = AnomalyDetector.of(model, scorer, cal.values(), Detectors.unlabelled(threshold));
        return threshold.requiresLabels() ? det.recalibrateWithAnomalies(threshold, anomalies.values()) : det;
    }

    /**
     * A seeded uniform sample of at most {@code max} rows of a source, in one pass (reservoir sampling):
     * at most {@code max} rows are ever held.
     */
    static INDArray sample(RowSource source, int max, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed ^ 0x5A3B1EL);
        float[][] kept = new float[max][];
        long seen = 0;
        try (RowSource.Blocks blocks = source.open(BLOCK)) {
            while (blocks.hasNext()) {
                float[][] rows = blocks.next().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).toFloatMatrix();
                for (float[] row : rows) {
                    long j = seen < max ? seen : random.nextLong(seen + 1);
                    seen++;
                    if (j < max) {
                        kept[(int) j] = row;
                    }
                }
            }
        }
        if (seen == 0) {
            throw new IllegalArgumentException("no training rows to fit the scorer on");
        }
        return Nd4j.createFromArray(seen < max ? Arrays.copyOf(kept, (int) seen) : kept);
    }

    /** Whether a row is held out for calibration: a seeded hash of its number. */
    static boolean isCalibration(long row, double fraction, long seed) {
        long h = new SplittableRandom(seed ^ (row * 0x9E3779B97F4A7C15L)).nextLong();
        return (h >>> 11) * 0x1.0p-53 < fraction;
    }

    /** The rows of a batch that are normal and (not) held out for calibration. */
    private static int[] select(CsvReader.Batch b, boolean calibration, double fraction, long seed) {
        int[] out = new int[b.rows()];
        int n = 0;
        for (int i = 0; i < b.rows(); i++) {
            boolean normal = b.labels() == null || b.labels()[i] == 0;
            if (normal && isCalibration(b.firstRow() + i, fraction, seed) == calibration) {
                out[n++] = i;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** The training rows of the file: normal rows not held out for calibration. */
    private static final class Part implements RowSource {
        private final Path csv;
        private final TabularSchema schema;
        private final CsvOptions options;
        private final boolean calibration;
        private final double fraction;
        private final long seed;

        Part(Path csv, TabularSchema schema, CsvOptions options, boolean calibration, double fraction, long seed) {
            this.csv = csv;
            this.schema = schema;
            this.options = options;
            this.calibration = calibration;
            this.fraction = fraction;
            this.seed = seed;
        }

        @Override
        public int width() {
            return schema.featureCount();
        }

        @Override
        public Blocks open(int blockRows) throws IOException {
            CsvReader.BatchStream s = CsvReader.stream(csv, schema, options, blockRows);
            return new Blocks() {
                private INDArray next;

                @Override
                public boolean hasNext() {
                    while (next == null && s.hasNext()) {
                        CsvReader.Batch b = s.next();
                        int[] rows = select(b, calibration, fraction, seed);
                        if (rows.length == b.rows()) {
                            next = b.features();
                        } else if (rows.length > 0) {
                            next = Nd4j.pullRows(b.features(), 1, rows);
                        }
                    }
                    return next != null;
                }

                @Override
                public INDArray next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    INDArray r = next;
                    next = null;
                    return r;
                }

                @Override
                public void close() throws IOException {
                    s.close();
                }
            };
        }
    }

    /** A seeded uniform sample of at most {@value #MAX_CALIBRATION_SCORES} scores (reservoir sampling). */
    private static final class Reservoir {
        private final SplittableRandom random;
        private double[] values = new double[1024];
        private int size;
        private long seen;

        Reservoir(long seed) {
            this.random = new SplittableRandom(seed);
        }

        void add(double[] scores) {
            for (double v : scores) {
                seen++;
                if (size < MAX_CALIBRATION_SCORES) {
                    if (size == values.length) {
                        values = Arrays.copyOf(values, Math.min(MAX_CALIBRATION_SCORES, size * 2));
                    }
                    values[size++] = v;
                } else {
                    long j = random.nextLong(seen);
                    if (j < MAX_CALIBRATION_SCORES) {
                        values[(int) j] = v;
                    }
                }
            }
        }

        int size() {
            return size;
        }

        double[] values() {
            return Arrays.copyOf(values, size);
        }
    }
}
