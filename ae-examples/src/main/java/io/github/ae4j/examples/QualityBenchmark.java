package io.github.ae4j.examples;

import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.anomaly.DetectorConfig;
import io.github.ae4j.anomaly.StandardizedScorer;
import io.github.ae4j.anomaly.metrics.Confusion;
import io.github.ae4j.anomaly.metrics.Metrics;
import io.github.ae4j.core.ModelSpec;
import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.data.CsvOptions;
import io.github.ae4j.core.data.CsvReader;
import io.github.ae4j.core.data.Table;
import io.github.ae4j.dense.DenseAutoencoder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The detection-quality benchmark of issue 14: for every table of a folder ({@code *.csv} or
 * {@code *.csv.gz}, features then a 0/1 label column, 1 = anomaly), for every seed, trains the
 * default detector (as {@code ae4j train} with no options would) on a random half of the normal rows
 * and scores the other half plus all anomalies; computes the baselines on the same split, as
 * {@code anomaly_eval.py} defines them (features standardised on the training rows; PCA keeping 90%
 * of the variance, scored by the squared reconstruction error; kNN: mean distance to the 5 nearest
 * training rows; an isolation forest of 100 trees on 256-row samples, written here); and prints one
 * table: AUROC per set (mean over seeds) for ae4j, PCA, kNN, the isolation forest, the ablation
 * (reconstruction term only, latent term only, ensemble size 1: computed from the same trained
 * ensemble, no retraining), the false-alarm rate of the default threshold on the test normals, and the
 * training seconds.
 *
 * <pre>
 * java -cp ae-examples/target/ae-examples-VERSION.jar io.github.ae4j.examples.QualityBenchmark \
 *     DIR [--seeds 5] [--sets glass,vowel] [--legacy] [--folds K] [--variant ens5+var0.99]
 * java ... QualityBenchmark --split TRAIN.csv TEST.csv    # baselines only, on a given split
 * </pre>
 * {@code --legacy} adds a column for the defaults of ae4j 0.1 (width-sized model, reconstruction
 * error, 20% hold-out), trained on the same split. {@code --folds K} replaces the default number of
 * calibration folds (e.g. {@code --folds 5}, the default before it became 10), all else unchanged.
 * {@code --variant V} trains a variant of the default detector instead (see {@link Variant}: ensemble
 * size, code width, hidden width, denoising, weight decay, dropout, neighbours...), to screen a
 * candidate default on the same splits without editing the defaults; the ablation columns then
 * describe the variant. A variant changes only what is trained, never the splits or the baselines.
 * Categorical columns (any non-numeric cell) are
 * encoded by ae4j's CSV reader for the detector, and one-hot encoded (an empty cell its own category)
 * for the baselines, as the script does.
 */
public final class QualityBenchmark {

    private QualityBenchmark() {
    }

    /** One table: raw cells, header and labels. */
    record RawTable(String name, String[] header, List<String[]> rows, int[] labels) {
    }

    /**
     * Runs the benchmark.
     *
     * @param args DIR [--seeds N] [--sets a,b] [--legacy] [--folds K] [--variant V]
     * @throws IOException on I/O failure
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: QualityBenchmark DIR [--seeds N] [--sets a,b] [--legacy] [--folds K] [--variant V]");
            System.exit(2);
        }
        if (args[0].equals("--split")) {
            checkSplit(Path.of(args[1]), Path.of(args[2]));
            return;
        }
        Path dir = Path.of(args[0]);
        int seeds = 5;
        List<String> only = null;
        boolean legacy = false;
        int folds = DetectorConfig.DEFAULT_FOLDS;
        String variant = "";
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--seeds" -> seeds = Integer.parseInt(args[++i]);
                case "--sets" -> only = Arrays.asList(args[++i].split(","));
                case "--legacy" -> legacy = true;
                case "--folds" -> folds = Integer.parseInt(args[++i]);
                case "--variant" -> variant = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().matches(".*\\.csv(\\.gz)?")).sorted().toList();
        }
        PrintStream out = System.out;
        Map<String, Map<String, double[]>> res = new TreeMap<>();
        long[] pooled = new long[2];
        for (Path f : files) {
            String name = f.getFileName().toString().replaceAll("\\.csv(\\.gz)?$", "");
            if (only != null && !only.contains(name)) {
                continue;
            }
            RawTable t = read(f, name);
            Map<String, double[]> r = new LinkedHashMap<>();
            for (int seed = 0; seed < seeds; seed++) {
                Map<String, Double> one = runSplit(t, seed, legacy, folds, variant, pooled);
                for (Map.Entry<String, Double> e : one.entrySet()) {
                    r.computeIfAbsent(e.getKey(), k -> new double[0]);
                    double[] a = r.get(e.getKey());
                    a = Arrays.copyOf(a, a.length + 1);
                    a[a.length - 1] = e.getValue();
                    r.put(e.getKey(), a);
                }
                System.err.printf(Locale.ROOT, "%s seed %d: %s%n", name, seed, one);
            }
            res.put(name, r);
        }
        String[] cols = legacy
                ? new String[] {"ae4j", "pca", "knn", "iforest", "recOnly", "latentOnly", "ensemble1", "legacy", "fpr",
                    "recall", "oracleRecall", "trainS"}
                : new String[] {"ae4j", "pca", "knn", "iforest", "recOnly", "latentOnly", "ensemble1", "fpr", "recall",
                    "oracleRecall", "trainS"};
        out.println("| set | " + String.join(" | ", header(cols)) + " |");
        out.println("|---|" + "---|".repeat(cols.length));
        double[] mean = new double[cols.length];
        for (Map.Entry<String, Map<String, double[]>> e : res.entrySet()) {
            StringBuilder b = new StringBuilder("| " + e.getKey() + " |");
            for (int c = 0; c < cols.length; c++) {
                double m = Arrays.stream(e.getValue().get(cols[c])).average().orElse(Double.NaN);
                mean[c] += m / res.size();
                b.append(cols[c].equals("trainS") ? String.format(Locale.ROOT, " %.1f |", m)
                        : cols[c].equals("fpr") ? String.format(Locale.ROOT, " %.2f%% |", 100 * m)
                        : String.format(Locale.ROOT, " %.3f |", m));
            }
            out.println(b);
        }
        StringBuilder b = new StringBuilder("| **mean** |");
        for (int c = 0; c < cols.length; c++) {
            b.append(cols[c].equals("trainS") ? String.format(Locale.ROOT, " %.1f |", mean[c])
                    : cols[c].equals("fpr") ? String.format(Locale.ROOT, " %.2f%% |", 100 * mean[c])
                    : String.format(Locale.ROOT, " **%.3f** |", mean[c]));
        }
        out.println(b);
        out.printf(Locale.ROOT, "%nfalse alarms of the default threshold on the test normals, pooled over all sets"
                + " and seeds: %d of %d = %.2f%%%n", pooled[0], pooled[1], 100.0 * pooled[0] / Math.max(1, pooled[1]));
    }

    /** Baselines on a given split (train CSV without labels, test CSV with a last label column). */
    private static void checkSplit(Path trainCsv, Path testCsv) throws IOException {
        RawTable tr = read(testCsv, "test");
        List<String[]> trainRows = new ArrayList<>();
        try (BufferedReader br = Files.newBufferedReader(trainCsv)) {
            br.readLine();
            String line;
            while ((line = br.readLine()) != null) {
                if (!line.isEmpty()) {
                    String[] c = line.split(",", -1);
                    String[] withLabel = Arrays.copyOf(c, c.length + 1);
                    withLabel[c.length] = "0";
                    trainRows.add(withLabel);
                }
            }
        }
        List<String[]> all = new ArrayList<>(trainRows);
        all.addAll(tr.rows());
        int[] y = new int[all.size()];
        System.arraycopy(tr.labels(), 0, y, trainRows.size(), tr.labels().length);
        double[][] num = numeric(new RawTable("all", tr.header(), all, y));
        double[][] a = Arrays.copyOfRange(num, 0, trainRows.size());
        double[][] b = Arrays.copyOfRange(num, trainRows.size(), num.length);
        Baselines.Scores s = Baselines.compute(a, b, 0);
        System.out.printf(Locale.ROOT, "pca %.4f knn %.4f iforest %.4f%n", Metrics.auroc(s.pca(), tr.labels()),
                Metrics.auroc(s.knn(), tr.labels()), Metrics.auroc(s.iforest(), tr.labels()));
    }

    private static String[] header(String[] cols) {
        String[] pairs = {"ae4j", "ae4j", "pca", "PCA", "knn", "kNN", "iforest", "IForest",
            "recOnly", "rec. term only", "latentOnly", "latent term only", "ensemble1", "ensemble of 1",
            "legacy", "ae4j 0.1 defaults", "fpr", "false alarms @p99", "recall", "recall @p99",
            "oracleRecall", "oracle recall", "trainS", "train s"};
        Map<String, String> h = new java.util.HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            h.put(pairs[i], pairs[i + 1]);
        }
        return Arrays.stream(cols).map(h::get).toArray(String[]::new);
    }

    /** Trains and scores one split; returns AUROCs and more by column. */
    static Map<String, Double> runSplit(RawTable t, int seed, boolean legacy, int folds, String variant,
                                        long[] pooled) throws IOException {
        int[] y = t.labels();
        int[] normal = indices(y, 0);
        int[] anom = indices(y, 1);
        shuffle(normal, new Random(seed));
        int half = normal.length / 2;
        int[] tr = Arrays.copyOfRange(normal, 0, half);
        int[] te = new int[normal.length - half + anom.length];
        System.arraycopy(normal, half, te, 0, normal.length - half);
        System.arraycopy(anom, 0, te, normal.length - half, anom.length);
        int[] yte = new int[te.length];
        for (int i = 0; i < te.length; i++) {
            yte[i] = y[te[i]];
        }
        Map<String, Double> r = new LinkedHashMap<>();
        // the detector sees the rows as ae4j train / score would: CSV files read by ae4j's reader
        Path dir = Files.createTempDirectory("ae4j-quality-");
        try {
            Path trainCsv = dir.resolve("train.csv");
            Path testCsv = dir.resolve("test.csv");
            writeCsv(trainCsv, t, tr);
            writeCsv(testCsv, t, te);
            Table train = CsvReader.read(trainCsv, CsvOptions.defaults());
            Table test = CsvReader.read(testCsv, train.schema(), CsvOptions.defaults());
            long t0 = System.nanoTime();
            Variant v = Variant.parse(variant);
            ModelSpec spec = v.isDefault() ? defaultSpec(train) : v.spec(train.features());
            AnomalyDetector d = AnomalyDetector.fit(spec, train.features(),
                    v.config(defaultConfig(train, seed)).withCalibrationFolds(folds));
            r.put("trainS", (System.nanoTime() - t0) / 1e9);
            double[] s = d.score(test.features());
            r.put("ae4j", Metrics.auroc(s, yte));
            Confusion c = Metrics.confusion(s, yte, d.threshold().value());
            r.put("fpr", c.falsePositiveRate());
            r.put("recall", c.recall());
            r.put("oracleRecall", oracleRecall(s, yte, c));
            pooled[0] += c.fp();
            pooled[1] += c.fp() + c.tn();
            ablation(d, test, yte, r);
            if (legacy) {
                TrainingConfig tc = cliTraining(train, seed);
                AnomalyDetector old = AnomalyDetector.fit(
                        DenseAutoencoder.defaults((int) train.features().size(1)).build(), train.features(),
                        DetectorConfig.legacy().withTraining(tc));
                r.put("legacy", Metrics.auroc(old.score(test.features()), yte));
            }
        } finally {
            try (Stream<Path> s = Files.list(dir)) {
                s.forEach(p -> p.toFile().delete());
            }
            Files.deleteIfExists(dir);
        }
        double[][] num = numeric(t);
        double[][] a = pick(num, tr);
        double[][] b = pick(num, te);
        Baselines.Scores bs = Baselines.compute(a, b, seed);
        r.put("pca", Metrics.auroc(bs.pca(), yte));
        r.put("knn", Metrics.auroc(bs.knn(), yte));
        r.put("iforest", Metrics.auroc(bs.iforest(), yte));
        return r;
    }

    /** The model {@code ae4j train} builds with no options for a table. */
    static ModelSpec defaultSpec(Table train) {
        return DenseAutoencoder.forAnomalyDetection(train.features()).build();
    }

    /** The training settings of {@code ae4j train} with no options. */
    static TrainingConfig cliTraining(Table train, int seed) {
        return TrainingConfig.defaults().withEpochs(100).withUpdater(new Adam(3e-3))
                .withBatchSize(DenseAutoencoder.defaultBatchSize(train.features().size(0)))
                .withSeed(seed).withNormalization(Normalization.STANDARD).withPatience(8);
    }

    /** The detector settings of {@code ae4j train} with no options. */
    static DetectorConfig defaultConfig(Table train, int seed) {
        return DetectorConfig.defaults().withTraining(cliTraining(train, seed));
    }

    /** Reconstruction term only, latent term only, and the first member alone, from the trained ensemble. */
    private static void ablation(AnomalyDetector d, Table test, int[] yte, Map<String, Double> r) {
        int n = (int) test.features().size(0);
        double[] rec = new double[n];
        double[] lat = new double[n];
        double[] first = null;
        for (int m = 0; m < d.members().size(); m++) {
            if (!(d.memberScorers().get(m) instanceof StandardizedScorer st)) {
                return;
            }
            double[][] terms = st.terms(d.members().get(m), test.features());
            double[] total = new double[n];
            for (int i = 0; i < n; i++) {
                double[] row = terms[i];
                lat[i] += row[row.length - 1];
                for (int j = 0; j < row.length - 1; j++) {
                    rec[i] += row[j];
                }
                for (double v : row) {
                    total[i] += v;
                }
            }
            if (m == 0) {
                first = total;
            }
        }
        r.put("recOnly", Metrics.auroc(rec, yte));
        r.put("latentOnly", Metrics.auroc(lat, yte));
        r.put("ensemble1", Metrics.auroc(first, yte));
    }

    /**
     * The recall of the oracle threshold: the one that flags exactly as many test normals as
     * {@code atThreshold} did (just above the next-largest normal score), i.e. what the best threshold
     * at that false-alarm rate would catch.
     *
     * @param s           scores
     * @param y           labels, 1 = anomaly
     * @param atThreshold the confusion counts of the threshold being judged
     * @return the oracle's recall
     */
    static double oracleRecall(double[] s, int[] y, Confusion atThreshold) {
        double[] normals = java.util.stream.IntStream.range(0, s.length).filter(i -> y[i] == 0)
                .mapToDouble(i -> s[i]).sorted().toArray();
        int fp = atThreshold.fp();
        double oracle = fp >= normals.length ? Double.NEGATIVE_INFINITY
                : Math.nextUp(normals[normals.length - 1 - fp]);
        return Metrics.confusion(s, y, oracle).recall();
    }

    static int[] indices(int[] y, int v) {
        return java.util.stream.IntStream.range(0, y.length).filter(i -> y[i] == v).toArray();
    }

    private static void shuffle(int[] a, Random r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static double[][] pick(double[][] x, int[] idx) {
        double[][] o = new double[idx.length][];
        for (int i = 0; i < idx.length; i++) {
            o[i] = x[idx[i]];
        }
        return o;
    }

    /** Reads a table: header, then cells; the last column is the 0/1 label. */
    static RawTable read(Path f, String name) throws IOException {
        List<String[]> rows = new ArrayList<>();
        String[] header;
        try (InputStream in0 = Files.newInputStream(f);
             InputStream in = f.toString().endsWith(".gz") ? new GZIPInputStream(in0) : in0;
             BufferedReader br = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String h = br.readLine();
            if (h == null) {
                throw new IOException(f + ": empty file, expected a header line");
            }
            header = h.split(",", -1);
            String line;
            int lineNo = 1;
            while ((line = br.readLine()) != null) {
                lineNo++;
                if (line.isEmpty()) {
                    continue;
                }
                String[] c = line.split(",", -1);
                if (c.length != header.length) {
                    throw new IOException(f + " line " + lineNo + ": " + c.length + " cells, expected " + header.length);
                }
                rows.add(c);
            }
        }
        int[] y = new int[rows.size()];
        for (int i = 0; i < y.length; i++) {
            String v = rows.get(i)[header.length - 1].trim();
            if (!v.equals("0") && !v.equals("1")) {
                throw new IOException(f + " row " + (i + 1) + ": label '" + v + "', expected 0 or 1 in the last column");
            }
            y[i] = Integer.parseInt(v);
        }
        return new RawTable(name, header, rows, y);
    }

    private static void writeCsv(Path p, RawTable t, int[] idx) {
        try (PrintStream w = new PrintStream(Files.newOutputStream(p), false, StandardCharsets.UTF_8)) {
            w.println(String.join(",", Arrays.copyOf(t.header(), t.header().length - 1)));
            for (int i : idx) {
                String[] c = t.rows().get(i);
                w.println(String.join(",", Arrays.copyOf(c, c.length - 1)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Numeric features for the baselines: parsed, or one-hot over all rows when any cell is not a number. */
    static double[][] numeric(RawTable t) {
        int d = t.header().length - 1;
        int n = t.rows().size();
        try {
            double[][] x = new double[n][d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    x[i][j] = Double.parseDouble(t.rows().get(i)[j]);
                }
            }
            return x;
        } catch (NumberFormatException e) {
            List<double[]> cols = new ArrayList<>();
            for (int j = 0; j < d; j++) {
                TreeMap<String, Integer> cats = new TreeMap<>();
                for (String[] r : t.rows()) {
                    cats.putIfAbsent(r[j], 0);
                }
                int k = 0;
                for (String c : cats.keySet()) {
                    cats.put(c, k++);
                }
                for (String c : cats.keySet()) {
                    double[] col = new double[n];
                    for (int i = 0; i < n; i++) {
                        col[i] = t.rows().get(i)[j].equals(c) ? 1 : 0;
                    }
                    cols.add(col);
                }
            }
            double[][] x = new double[n][cols.size()];
            for (int j = 0; j < cols.size(); j++) {
                for (int i = 0; i < n; i++) {
                    x[i][j] = cols.get(j)[i];
                }
            }
            return x;
        }
    }

    static {
        Nd4j.getRandom();   // load the backend before the first timing
    }
}
