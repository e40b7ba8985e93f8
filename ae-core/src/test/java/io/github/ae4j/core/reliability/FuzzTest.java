package io.github.ae4j.core.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.data.CsvOptions;
import io.github.ae4j.core.data.CsvReader;
import io.github.ae4j.core.data.DataFormatException;
import io.github.ae4j.core.data.Table;
import io.github.ae4j.core.internal.Json;
import io.github.ae4j.core.ModelFile;
import io.github.ae4j.core.io.ModelFormatException;
import io.github.ae4j.core.testing.Models;
import io.github.ae4j.core.testing.Synthetic;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounded fuzzing of the readers and the model loader: every mutant either loads or fails with
 * one of ae4j's own exceptions ({@link #isOwn}), never anything else, never a hang (5 s per input),
 * never a JVM crash. Mutants are seeded, so failures reproduce; each test is time-boxed
 * ({@value #BUDGET_S} s in the default run, 10x more mutants and time with the {@code slow} tag). An
 * input that finds a foreign exception is written to {@code target/fuzz-failures} and, once fixed,
 * kept under {@code src/test/resources/fuzz-regressions} where every run reads it again.
 */
class FuzzTest {

    private static final int CSV_MUTANTS = 3000;
    private static final int MODEL_MUTANTS = 300;
    /** Time box of each fuzzing test in the default run; the slow-tagged runs go 10x longer. */
    private static final long BUDGET_S = 25;
    private static final long TIMEOUT_S = 5;

    @TempDir
    static Path dir;
    static ExecutorService pool;
    static Autoencoder model;
    static Path modelFile;
    static Table table;

    @BeforeAll
    static void setUp() throws IOException {
        pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz");
            t.setDaemon(true);
            return t;
        });
        Path csv = dir.resolve("seed.csv");
        Files.writeString(csv, "id,a,b,colour,label\nr1,1.5,2,red,0\nr2,3,4,blue,1\nr3,,6,red,0\nr4,7,8e-1,green,0\n");
        table = CsvReader.read(csv, CsvOptions.defaults().withIdColumn("id").withLabelColumn("label"));
        model = Autoencoder.fit(Models.dense(6, 5, 2), Synthetic.lowRank(200, 6, 2, 0.05, 3),
                TrainingConfig.defaults().withEpochs(1));
        modelFile = dir.resolve("seed.ae4j");
        model.save(modelFile);
    }

    @AfterAll
    static void tearDown() {
        pool.shutdownNow();
    }

    private static void run(String what, Path input, Callable body) throws Exception {
        Future<?> f = pool.submit(() -> {
            body.call();
            return null;
        });
        try {
            f.get(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            fail(what + ": no result within " + TIMEOUT_S + " s");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (!isOwn(c)) {
                Path kept = keep(what, input);
                throw new AssertionError(what + ": a foreign exception (kept the input as " + kept
                        + "; add it to src/test/resources/fuzz-regressions): " + c, c);
            }
        }
    }

    /**
     * ae4j's own errors, the only ones a bad file may cause: a {@link ModelFormatException}, a
     * {@link DataFormatException}, or an {@link IllegalArgumentException} thrown by ae4j code (its top
     * stack frame in {@code io.github.ae4j}), each with a non-blank message. Anything else fails the
     * fuzzer: a raw JDK {@code ZipException}/{@code EOFException}/{@code MalformedInputException}, a
     * {@code NumberFormatException} from the JDK, an ND4J or Jackson exception, any {@code Error}.
     */
    static boolean isOwn(Throwable c) {
        if (c == null || c.getMessage() == null || c.getMessage().isBlank()) {
            return false;
        }
        if (c instanceof ModelFormatException || c instanceof DataFormatException) {
            return true;
        }
        StackTraceElement[] st = c.getStackTrace();
        return c.getClass() == IllegalArgumentException.class
                && st.length > 0 && st[0].getClassName().startsWith("io.github.ae4j.");
    }

    private static Path keep(String what, Path input) {
        try {
            Path d = Files.createDirectories(Path.of("target", "fuzz-failures"));
            Path f = d.resolve(what.replaceAll("[^A-Za-z0-9]+", "-") + "-" + input.getFileName());
            Files.copy(input, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return f.toAbsolutePath();
        } catch (IOException e) {
            return null;
        }
    }

    @FunctionalInterface
    interface Callable {
        void call() throws Exception;
    }

    @Test
    void givenMutatedCsvFiles_whenReadWithAndWithoutSchema_thenLoadOrFailWithOwnErrors() throws Exception {
        fuzzCsv(CSV_MUTANTS, BUDGET_S);
    }

    @Test
    @Tag("slow")
    void givenTenTimesMoreCsvMutants_whenRead_thenLoadOrFailWithOwnErrors() throws Exception {
        fuzzCsv(10 * CSV_MUTANTS, 10 * BUDGET_S);
    }

    @Test
    void givenMutatedAndTruncatedModelFiles_whenLoading_thenLoadOrFailWithOwnErrors() throws Exception {
        fuzzModels(MODEL_MUTANTS, BUDGET_S);
    }

    @Test
    @Tag("slow")
    void givenTenTimesMoreModelMutants_whenLoading_thenLoadOrFailWithOwnErrors() throws Exception {
        fuzzModels(10 * MODEL_MUTANTS, 10 * BUDGET_S);
    }

    /** Inputs that once made a reader or the loader throw a foreign exception, kept as regression files. */
    @Test
    void givenInputsThatFoundBugs_whenReadAgain_thenLoadOrFailWithOwnErrors() throws Exception {
        Path root = Path.of("src", "test", "resources", "fuzz-regressions");
        int n = 0;
        try (var files = Files.list(root.resolve("csv"))) {
            for (Path f : files.sorted().toList()) {
                Path p = dir.resolve("regression-" + f.getFileName());
                Files.copy(f, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                run("CSV regression " + f.getFileName(), p, () -> CsvReader.read(p,
                        CsvOptions.defaults().withIdColumn("id").withLabelColumn("label")));
                run("CSV regression " + f.getFileName() + " without options", p,
                        () -> CsvReader.read(p, CsvOptions.defaults()));
                n++;
            }
        }
        try (var files = Files.list(root.resolve("model"))) {
            for (Path f : files.sorted().toList()) {
                run("model regression " + f.getFileName(), f, () -> loadAndScore(f));
                n++;
            }
        }
        assertTrue(n > 0, "regression inputs found under " + root.toAbsolutePath());
    }

    private static void loadAndScore(Path p) throws IOException {
        Autoencoder a = Autoencoder.load(p);
        a.reconstructionError(Synthetic.lowRank(3, a.inputSize(), 1, 0.1, 1));
    }

    /** Mutant i is the same input in every run (seeded); the time box only decides how many run. */
    private static void fuzzCsv(int count, long budgetS) throws Exception {
        long deadline = System.nanoTime() + budgetS * 1_000_000_000L;
        byte[] seed = ("id,a,b,colour,label\nr1,1.5,2,red,0\nr2,3,4,blue,1\nr3,,6,red,0\nr4,7,8e-1,green,0\n"
                + "r5,\"9\",10,\"re,d\",true\n").getBytes(StandardCharsets.UTF_8);
        Random r = new Random(20261125);
        int loaded = 0;
        int tried = 0;
        for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
            tried++;
            byte[] m = mutateText(seed, r);
            Path p = dir.resolve("m" + (i % 7) + (i % 3 == 0 ? ".csv.gz" : ".csv"));
            if (p.toString().endsWith(".gz")) {
                ByteArrayOutputStream bos = new ByteArrayOutputStream();
                try (var gz = new java.util.zip.GZIPOutputStream(bos)) {
                    gz.write(m);
                }
                byte[] g = bos.toByteArray();
                if (r.nextInt(4) == 0) {
                    g = java.util.Arrays.copyOf(g, Math.max(1, r.nextInt(g.length)));
                }
                m = g;
            }
            Files.write(p, m);
            final int n = i;
            int[] ok = new int[1];
            run("CSV mutant " + n, p, () -> {
                CsvReader.read(p, CsvOptions.defaults().withIdColumn("id").withLabelColumn("label"));
                ok[0]++;
            });
            run("CSV mutant " + n + " with schema", p, () -> CsvReader.read(p, table.schema(),
                    CsvOptions.defaults().withIdColumn("id").withLabelColumn("label")));
            run("CSV mutant " + n + " without options", p, () -> CsvReader.read(p, CsvOptions.defaults()));
            loaded += ok[0];
        }
        assertTrue(tried >= Math.min(count, 300), "at least 300 mutants within the time box: " + tried);
        assertTrue(loaded > 0 && loaded < tried, "mutants both load and fail: " + loaded + " of " + tried);
    }

    private static void fuzzModels(int count, long budgetS) throws Exception {
        long deadline = System.nanoTime() + budgetS * 1_000_000_000L;
        int tried = 0;
        byte[] seed = Files.readAllBytes(modelFile);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(modelFile.toFile())) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                entries.put(e.getName(), z.getInputStream(e).readAllBytes());
            }
        }
        Random r = new Random(7);
        for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
            tried++;
            byte[] m;
            switch (i % 3) {
                case 0 -> m = mutateBytes(seed, r);                              // raw bytes: zip level
                case 1 -> m = java.util.Arrays.copyOf(seed, r.nextInt(seed.length)); // truncation
                default -> m = consistentMutant(entries, r);                     // entry content, valid checksums
            }
            Path p = dir.resolve("mutant" + (i % 5) + ".ae4j");
            Files.write(p, m);
            final int n = i;
            run("model mutant " + n, p, () -> loadAndScore(p));
        }
        assertTrue(tried >= Math.min(count, 60), "at least 60 mutants within the time box: " + tried);
    }

    /** Mutates one entry (JSON text or binary), then rewrites the manifest's sizes and checksums. */
    private static byte[] consistentMutant(Map<String, byte[]> entries, Random r) throws Exception {
        Map<String, byte[]> e = new LinkedHashMap<>(entries);
        String[] names = e.keySet().stream().filter(n -> !n.equals(ModelFile.MANIFEST)).toArray(String[]::new);
        String victim = names[r.nextInt(names.length)];
        byte[] v = e.get(victim);
        e.put(victim, victim.endsWith(".json") ? mutateText(v, r) : mutateBytes(v, r));
        @SuppressWarnings("unchecked")
        Map<String, Object> manifest = Json.MAPPER.readValue(e.get(ModelFile.MANIFEST), Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> listed = (Map<String, Map<String, Object>>) manifest.get("entries");
        byte[] nv = e.get(victim);
        listed.put(victim, Map.of("size", nv.length,
                "sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(nv))));
        e.put(ModelFile.MANIFEST, Json.MAPPER.writeValueAsBytes(manifest));
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bos)) {
            for (Map.Entry<String, byte[]> en : e.entrySet()) {
                z.putNextEntry(new ZipEntry(en.getKey()));
                z.write(en.getValue());
                z.closeEntry();
            }
        }
        return bos.toByteArray();
    }

    private static final byte[][] TOKENS = {
        ",".getBytes(), "\"".getBytes(), "\n".getBytes(), "NaN".getBytes(), "-".getBytes(), "1e999".getBytes(),
        "Infinity".getBytes(), "".getBytes(), "9999999999999999999999".getBytes(), "{".getBytes(), "}".getBytes(),
        "null".getBytes(), "-1".getBytes(), "0".getBytes(), "\u00e9".getBytes(StandardCharsets.UTF_8), "\r\n".getBytes(),
        "true".getBytes(), "[]".getBytes(), ":".getBytes(), "2147483648".getBytes()
    };

    static byte[] mutateText(byte[] in, Random r) {
        byte[] b = in.clone();
        int ops = 1 + r.nextInt(4);
        for (int k = 0; k < ops && b.length > 0; k++) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(5)) {
                case 0 -> b[at] = (byte) r.nextInt(256);
                case 1 -> b = splice(b, at, Math.min(b.length, at + 1 + r.nextInt(8)), new byte[0]);
                case 2 -> b = splice(b, at, at, TOKENS[r.nextInt(TOKENS.length)]);
                case 3 -> b = splice(b, at, Math.min(b.length, at + 1 + r.nextInt(4)), TOKENS[r.nextInt(TOKENS.length)]);
                default -> {
                    int from = r.nextInt(b.length);
                    int len = Math.min(b.length - from, 1 + r.nextInt(40));
                    b = splice(b, at, at, java.util.Arrays.copyOfRange(b, from, from + len));
                }
            }
        }
        return b;
    }

    static byte[] mutateBytes(byte[] in, Random r) {
        byte[] b = in.clone();
        int ops = 1 + r.nextInt(6);
        for (int k = 0; k < ops; k++) {
            int at = r.nextInt(b.length);
            b[at] = (byte) (r.nextBoolean() ? r.nextInt(256) : b[at] ^ (1 << r.nextInt(8)));
        }
        return b;
    }

    private static byte[] splice(byte[] b, int from, int to, byte[] with) {
        byte[] out = new byte[b.length - (to - from) + with.length];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(with, 0, out, from, with.length);
        System.arraycopy(b, to, out, from + with.length, b.length - to);
        return out;
    }
}
