package io.github.ae4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.anomaly.metrics.Metrics;
import io.github.ae4j.core.data.CsvOptions;
import io.github.ae4j.core.data.CsvReader;
import io.github.ae4j.core.data.Table;
import io.github.ae4j.core.data.TabularSchema;
import io.github.ae4j.core.testing.Synthetic;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkMainTest {

    private static final String[] KINDS = {"a", "b", "c"};
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("SparkMainTest");
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void givenLabelledCsv_whenTrainingAndScoringWithSparkMain_thenScoresMatchOneMachineOnTheSameFile(@TempDir Path dir)
            throws Exception {
        Path csv = writeCsv(dir.resolve("data.csv"), 800);
        Path model = dir.resolve("detector.ae4j");
        Result train = run("train", "--data", csv.toString(), "--out", model.toString(), "--label-column", "label",
                "--id-column", "id", "--epochs", "5", "--batch", "32", "--workers", "2", "--averaging-frequency", "8");
        assertEquals(0, train.code, train.err);
        assertTrue(train.out.startsWith("saved " + model), train.out);

        AnomalyDetector det = AnomalyDetector.load(model);
        assertTrue(det.scorer() instanceof io.github.ae4j.anomaly.StandardizedScorer st && st.isFitted(),
                "spark-submit train uses the default (standardised) score: " + det.scorer());
        TabularSchema schema = det.model().schema().orElseThrow();
        assertEquals(12 + KINDS.length, schema.featureCount(), "12 numbers and a one-hot column of 3 categories");
        assertEquals(12 + KINDS.length, det.model().inputSize());
        // the schema inferred on Spark is the one core's CSV reader infers (the median fill approximately)
        TabularSchema core = CsvReader.read(csv, CsvOptions.defaults().withLabelColumn("label").withIdColumn("id"))
                .schema();
        assertEquals(core.columns().size(), schema.columns().size());
        for (int i = 0; i < core.columns().size(); i++) {
            TabularSchema.Column a = core.columns().get(i);
            TabularSchema.Column b = schema.columns().get(i);
            assertEquals(a.name(), b.name());
            assertEquals(a.role(), b.role());
            assertEquals(a.categories(), b.categories());
            assertEquals(a.fill(), b.fill(), 0.05, "fill of " + a.name());
        }
        // issue 15: the dense provider sizes the model from the rows on Spark as ae4j train does on one machine
        io.github.ae4j.core.ModelSpec local = io.github.ae4j.core.plugin.Architectures.build("dense",
                new io.github.ae4j.core.plugin.ArchitectureRequest(io.github.ae4j.core.data.DataKind.table(),
                        core.featureCount(), io.github.ae4j.core.Normalization.STANDARD, java.util.Map.of(),
                        CsvReader.read(csv, CsvOptions.defaults().withLabelColumn("label").withIdColumn("id"))
                                .features()));
        assertEquals(local.describe().get("name"), det.model().info().spec().get("name"));
        assertTrue(!String.valueOf(local.describe().get("name")).equals(
                io.github.ae4j.dense.DenseAutoencoder.defaults(core.featureCount()).name()),
                "sized from the rows, not the width: " + local.describe().get("name"));

        Path out = dir.resolve("scores");
        Result score = run("score", "--model", model.toString(), "--data", csv.toString(), "--label-column", "label",
                "--id-column", "id", "--out", out.toString(), "--single-file");
        assertEquals(0, score.code, score.err);
        List<String> lines;
        try (Stream<Path> parts = Files.list(out)) {
            Path part = parts.filter(p -> p.getFileName().toString().startsWith("part-")).findFirst().orElseThrow();
            lines = Files.readAllLines(part);
        }
        assertEquals("row,score,anomaly,p_value,id,label", lines.get(0));
        assertEquals(800, lines.size() - 1);

        // one machine: core's CSV reader with the model's schema, then the detector
        Table t = CsvReader.read(csv, schema, CsvOptions.defaults().withLabelColumn("label").withIdColumn("id"));
        double[] expected = det.score(t.features());
        int[] flags = det.predict(t.features());
        double[] got = new double[expected.length];
        for (int i = 1; i < lines.size(); i++) {
            String[] c = lines.get(i).split(",");
            int row = Integer.parseInt(c[0]);
            assertEquals(i - 1, row, "rows in data order");
            got[row] = Double.parseDouble(c[1]);
            LocalSpark.assertRelativelyClose(expected[row], got[row], 1e-5, "score of row " + row);
            assertEquals(flags[row], Integer.parseInt(c[2]), "flag of row " + row);
            assertEquals(t.ids()[row], c[4]);
            assertEquals(t.labels()[row], Integer.parseInt(c[5]));
        }
        // issue 15: the same file with its columns reversed scores identically (matched by name) ...
        List<String> reversed = new java.util.ArrayList<>();
        for (String l : Files.readAllLines(csv)) {
            List<String> c = new java.util.ArrayList<>(List.of(l.split(",", -1)));
            java.util.Collections.reverse(c);
            reversed.add(String.join(",", c));
        }
        Path rev = dir.resolve("reversed.csv");
        Files.write(rev, reversed);
        Path outRev = dir.resolve("scores-reversed");
        Result scoreRev = run("score", "--model", model.toString(), "--data", rev.toString(), "--label-column",
                "label", "--id-column", "id", "--out", outRev.toString(), "--single-file");
        assertEquals(0, scoreRev.code, scoreRev.err);
        try (Stream<Path> parts = Files.list(outRev)) {
            Path part = parts.filter(p -> p.getFileName().toString().startsWith("part-")).findFirst().orElseThrow();
            assertEquals(lines, Files.readAllLines(part));
        }
        // ... and a file with another column set fails naming the columns
        List<String> renamed = new java.util.ArrayList<>(Files.readAllLines(csv));
        String firstFeature = schema.featureNames().get(0);
        renamed.set(0, renamed.get(0).replace(firstFeature, "other"));
        Path ren = dir.resolve("renamed.csv");
        Files.write(ren, renamed);
        Result bad = run("score", "--model", model.toString(), "--data", ren.toString(), "--label-column", "label",
                "--id-column", "id", "--out", dir.resolve("never").toString());
        assertEquals(2, bad.code, bad.err);
        assertTrue(bad.err.contains("missing '" + firstFeature + "'") && bad.err.contains("unknown 'other'"), bad.err);

        double auroc = Metrics.auroc(got, t.labels());
        System.err.printf("SparkMain train+score on 800 CSV rows: AUROC %.4f%n", auroc);
        assertTrue(auroc >= 0.85, "AUROC " + auroc);
    }

    /**
     * Issue 15: the plugin sample's architecture (samples/plugin-architecture, compiled here from its
     * source with its service file) is found by SparkMain's trainer through the class path.
     */
    @Test
    void givenPluginOnTheClassPath_whenTrainingWithItsArchitecture_thenSparkMainUsesIt(@TempDir Path dir)
            throws Exception {
        Path sample = Path.of(System.getProperty("user.dir")).getParent().resolve("samples/plugin-architecture");
        Path classes = java.nio.file.Files.createDirectories(dir.resolve("plugin"));
        int rc = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "-proc:none", "-cp",
                System.getProperty("java.class.path"), "-d", classes.toString(),
                sample.resolve("src/main/java/demo/plugin/ShallowArchitecture.java").toString());
        assertEquals(0, rc, "the plugin sample compiles");
        Path services = java.nio.file.Files.createDirectories(classes.resolve("META-INF/services"));
        String service = "io.github.ae4j.core.plugin.ArchitectureProvider";
        Files.copy(sample.resolve("src/main/resources/META-INF/services/" + service), services.resolve(service));
        // as spark-submit --jars: a jar the executors load (they load the detector to calibrate it)
        Path jar = dir.resolve("plugin-architecture.jar");
        try (java.util.jar.JarOutputStream j = new java.util.jar.JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                j.putNextEntry(new java.util.jar.JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                j.write(Files.readAllBytes(f));
                j.closeEntry();
            }
        }
        spark.sparkContext().addJar(jar.toString());
        Path csv = writeCsv(dir.resolve("data.csv"), 300);
        Path model = dir.resolve("plugin.ae4j");
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        try (java.net.URLClassLoader cl = new java.net.URLClassLoader(new java.net.URL[] {jar.toUri().toURL()},
                before)) {
            t.setContextClassLoader(cl);
            Result train = run("train", "--arch", "shallow", "--arch-option", "width=16", "--data", csv.toString(),
                    "--out", model.toString(), "--label-column", "label", "--id-column", "id", "--epochs", "2",
                    "--workers", "2");
            assertEquals(0, train.code, train.err);
            AnomalyDetector det = AnomalyDetector.load(model);
            assertEquals("shallow", det.model().info().spec().get("architecture"));
            Table tab = CsvReader.read(csv, det.model().schema().orElseThrow(),
                    CsvOptions.defaults().withLabelColumn("label").withIdColumn("id"));
            assertEquals(300, det.score(tab.features()).length);
        } finally {
            t.setContextClassLoader(before);
        }
        Result unknown = run("train", "--arch", "shallow", "--data", csv.toString(), "--out", model.toString());
        assertEquals(2, unknown.code);
        assertTrue(unknown.err.contains("unknown architecture 'shallow': available are dense"), unknown.err);
    }

    @Test
    void givenBadUsage_whenRunning_thenExitTwoWithOneLine(@TempDir Path dir) throws Exception {
        Result missing = run("train", "--data", dir.resolve("nope.csv").toString(), "--out", dir.resolve("m").toString());
        assertEquals(2, missing.code, missing.err);
        assertTrue(missing.err.startsWith("error: "), missing.err);
        Path csv = writeCsv(dir.resolve("d.csv"), 50);
        Result f1 = run("train", "--data", csv.toString(), "--out", dir.resolve("m").toString(), "--threshold", "f1");
        assertEquals(2, f1.code);
        assertTrue(f1.err.contains("--threshold f1 needs --label-column"), f1.err);
        Result usage = run("score", "--data", csv.toString());
        assertEquals(2, usage.code);
        assertTrue(usage.err.contains("Missing required options"), usage.err);
        assertTrue(Files.notExists(dir.resolve("m")));
    }

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 1];
        all[0] = "--quiet";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = SparkMain.run(spark, all, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** id, f0..f11 (f5 with some missing values), kind (a/b/c), label (5% planted anomalies). */
    private static Path writeCsv(Path f, int rows) throws Exception {
        Synthetic.Labelled d = Synthetic.planted(rows, 12, 0.05, 4.0, null, 21);
        StringBuilder sb = new StringBuilder("id");
        for (int j = 0; j < 12; j++) {
            sb.append(",f").append(j);
        }
        sb.append(",kind,label\n");
        for (int i = 0; i < rows; i++) {
            sb.append("r").append(i);
            for (int j = 0; j < 12; j++) {
                sb.append(',');
                if (j == 5 && i % 37 == 3) {
                    sb.append("NA");
                } else {
                    sb.append(String.format(Locale.ROOT, "%.5f", d.x()[i][j]));
                }
            }
            sb.append(',').append(KINDS[i % KINDS.length]).append(',').append(d.y()[i]).append('\n');
        }
        Files.writeString(f, sb.toString());
        return f;
    }
}
