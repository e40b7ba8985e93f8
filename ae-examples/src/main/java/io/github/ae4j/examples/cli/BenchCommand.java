package io.github.ae4j.examples.cli;

import io.github.ae4j.conv.ConvAutoencoder;
import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.EpochReport;
import io.github.ae4j.core.ModelSpec;
import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.ReconstructionLosses;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.TrainingListener;
import io.github.ae4j.core.internal.Json;
import io.github.ae4j.dense.DenseAutoencoder;
import io.github.ae4j.variational.Distribution;
import io.github.ae4j.variational.VariationalAutoencoder;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ae4j bench}: training and scoring throughput, single-row latency and memory of one
 * architecture on structured synthetic data, printed as the same table as
 * {@code bench/pytorch_reference.py} prints for PyTorch.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmark training and scoring on structured synthetic data. Defaults: the dense net",
                "784-256-64-16-64-256-784 (ReLU, MSE, Adam 1e-3, batch 128) or, with --arch conv, the conv net on",
                "28x28x1 (conv 16 + pool, conv 8 + pool, mirrored back with upsampling; BCE). Compare with",
                "/usr/bin/python3 bench/pytorch_reference.py (same nets, same table)."})
final class BenchCommand implements Callable<Integer>, OptionChecks.Checked {

    /** Single-row scoring calls timed for the latency percentiles. */
    static final int LATENCY_CALLS = 10_000;

    @ParentCommand
    Ae4jCli cli;

    @Option(names = "--arch", defaultValue = "dense", paramLabel = "dense|conv|vae", description = "Architecture (default ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--input", defaultValue = "784", paramLabel = "N", description = "Input width for dense and vae (default ${DEFAULT-VALUE}).")
    int input;

    @Option(names = "--image", defaultValue = "28x28x1", paramLabel = "HxWxC", description = "Image shape for conv (default ${DEFAULT-VALUE}).")
    String image;

    @Option(names = "--hidden", defaultValue = "256,64", split = ",", paramLabel = "N,N,..", description = "Hidden sizes (default ${DEFAULT-VALUE}).")
    int[] hidden;

    @Option(names = "--latent", defaultValue = "16", paramLabel = "N", description = "Bottleneck size (default ${DEFAULT-VALUE}).")
    int latent;

    @Option(names = "--batch", defaultValue = "128", paramLabel = "N", description = "Training batch (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--rows", paramLabel = "N", description = "Rows per training epoch; two epochs run, the second is timed (default 60000 dense/vae, 6000 conv).")
    Integer rows;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--csv-rows", paramLabel = "N", description = {"Instead: time the streamed CSV scoring of",
            "ae4j score on a file of N synthetic rows of --input features (a detector is first trained on",
            "20,000 of them with ae4j train's defaults); e.g. --csv-rows 1000000 --input 64."})
    Integer csvRows;

    @Override
    public void checkOptions() {
        switch (arch.toLowerCase(Locale.ROOT)) {
            case "dense", "conv", "vae" -> { }
            default -> throw new UsageException("--arch must be dense, conv or vae; got '" + arch + "'");
        }
        OptionChecks.atLeast("--input", input, 1);
        Dataset.parseImage(image);
        OptionChecks.sizes("--hidden", hidden);
        OptionChecks.atLeast("--latent", latent, 1);
        OptionChecks.atLeast("--batch", batch, 1);
        OptionChecks.range("--rows", rows, 1, Integer.MAX_VALUE);
        OptionChecks.range("--csv-rows", csvRows, 1, Integer.MAX_VALUE);
    }

    @Override
    public Integer call() throws Exception {
        if (csvRows != null) {
            return csvScoring();
        }
        MemorySampler mem = new MemorySampler();
        mem.start();
        ModelSpec spec;
        int n;
        String a = arch.toLowerCase(Locale.ROOT);
        switch (a) {
            case "dense" -> {
                spec = DenseAutoencoder.builder(input).hidden(hidden).latent(latent)
                        .activation(org.nd4j.linalg.activations.Activation.RELU)
                        .loss(ReconstructionLosses.mse()).build();
                n = rows != null ? rows : 60_000;
            }
            case "conv" -> {
                int[] s = Dataset.parseImage(image);
                spec = ConvAutoencoder.builder(s[0], s[1], s[2]).loss(ReconstructionLosses.binaryCrossEntropy()).build();
                n = rows != null ? rows : 6_000;
            }
            case "vae" -> {
                spec = VariationalAutoencoder.builder(input).hidden(hidden).latent(latent)
                        .distribution(Distribution.BERNOULLI).build();
                n = rows != null ? rows : 60_000;
            }
            default -> throw new UsageException("--arch must be dense, conv or vae; got '" + arch + "'");
        }
        INDArray data = synthetic(Math.max(n, 4096), spec.inputSize(), 1);
        // a short fit warms up (JIT, workspaces, native caches), then two epochs over the rows: the second is the
        // steady state a longer training runs at (the first still pays ~10-15% of JIT compilation on 2 cores, in a
        // probe: 37.7-39.5k against 42-44.8k rows/s for later epochs), and both are reported; PyTorch's script times
        // the same two epochs
        INDArray warm = data.get(NDArrayIndex.interval(0, Math.min(n, 2048)), NDArrayIndex.all());
        TrainingConfig tc = TrainingConfig.defaults().withEpochs(1).withBatchSize(batch).withValidationFraction(0)
                .withPatience(0).withNormalization(Normalization.NONE).withUpdater(new Adam(1e-3));
        Autoencoder m = Autoencoder.fit(spec, warm, tc);
        INDArray trainRows = data.get(NDArrayIndex.interval(0, n), NDArrayIndex.all());
        double[] rps = new double[2];
        // the timed epochs run without the sampler's wake-ups too (alternating jars: conv training 3,031-3,729
        // rows/s with them, 3,636-3,888 without); memory is sampled at each epoch's end, and the peak RSS is the
        // kernel's high-water mark, which covers everything
        mem.paused = true;
        m = m.continueTraining(trainRows, tc.withEpochs(2), new TrainingListener() {
            @Override
            public void onEpochEnd(EpochReport r) {
                rps[Math.min(r.epoch(), 2) - 1] = r.rowsPerSecond();
                mem.sample();
            }
        });
        mem.paused = false;

        INDArray scoreSet = data.get(NDArrayIndex.interval(0, Math.min(data.size(0), 8192)), NDArrayIndex.all()).dup();
        if (data.closeable()) {
            data.close();   // the training rows are no longer needed: freed now, not when the GC runs
        }
        m.reconstructionError(scoreSet.get(NDArrayIndex.interval(0, 1024), NDArrayIndex.all()));
        // the timed scoring runs without the sampler's wake-ups (they cost ~1-8% of the dense scoring rate in a
        // probe: each takes a core from the two product threads); memory is sampled after it, and the peak RSS
        // is the kernel's high-water mark, which covers it
        mem.sample();
        mem.paused = true;
        long t0 = System.nanoTime();
        long scored = 0;
        while (System.nanoTime() - t0 < 3_000_000_000L || scored == 0) {
            for (long from = 0; from < scoreSet.size(0); from += 1024) {
                INDArray b = scoreSet.get(NDArrayIndex.interval(from, Math.min(scoreSet.size(0), from + 1024)), NDArrayIndex.all());
                m.reconstructionError(b);
                scored += b.size(0);
            }
        }
        double scoreRps = scored / ((System.nanoTime() - t0) / 1e9);
        double[] lat = new double[LATENCY_CALLS];
        for (int i = 0; i < 1000; i++) {
            m.reconstructionError(scoreSet.getRow(i, true));
        }
        for (int i = 0; i < lat.length; i++) {
            INDArray row = scoreSet.getRow(i % scoreSet.size(0), true);
            long s = System.nanoTime();
            m.reconstructionError(row);
            lat[i] = (System.nanoTime() - s) / 1e6;
        }
        Arrays.sort(lat);
        mem.paused = false;
        mem.stopSampling();
        mem.sample();

        Map<String, Object> res = new LinkedHashMap<>();
        res.put("framework", "ae4j " + io.github.ae4j.core.Ae4j.VERSION);
        res.put("arch", a);
        res.put("net", spec.describe().get("name"));
        res.put("threads", Runtime.getRuntime().availableProcessors());
        res.put("train_rows", n);
        res.put("train_rows_per_s", round(rps[1]));
        res.put("train_first_epoch_rows_per_s", round(rps[0]));
        res.put("score_rows_per_s", round(scoreRps));
        res.put("latency_p50_ms", Math.round(lat[lat.length / 2] * 1e4) / 1e4);
        res.put("latency_p99_ms", Math.round(lat[(int) (lat.length * 0.99)] * 1e4) / 1e4);
        res.put("peak_heap_mb", round(mem.peakHeap / 1048576.0));
        res.put("peak_offheap_mb", round(mem.peakOffHeap / 1048576.0));
        res.put("peak_rss_mb", round(ResourceUse.peakRssKb() / 1024.0));
        res.put("omp_wait_policy", String.valueOf(System.getenv("OMP_WAIT_POLICY")));
        if (json) {
            cli.out.println(Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(res));
        } else {
            cli.out.printf(Locale.ROOT, "%-22s%-7s%14s%14s%9s%9s%11s%13s%13s%n", "framework", "arch", "train rows/s",
                    "score rows/s", "p50 ms", "p99 ms", "heap MB", "off-heap MB", "peak RSS MB");
            cli.out.printf(Locale.ROOT, "%-22s%-7s%,14.0f%,14.0f%9.3f%9.3f%,11.0f%,13.0f%,13.0f%n", res.get("framework"), a,
                    rps[1], scoreRps, lat[lat.length / 2], lat[(int) (lat.length * 0.99)],
                    mem.peakHeap / 1048576.0, mem.peakOffHeap / 1048576.0, ResourceUse.peakRssKb() / 1024.0);
            cli.out.println("net: " + spec.describe().get("name") + "; batch " + batch + "; training timed over the second"
                    + String.format(Locale.ROOT, " of two epochs of %d rows (the first: %,.0f rows/s);", n, rps[0])
                    + " scoring in calls of 1024 rows; latency over " + LATENCY_CALLS + " single-row calls");
        }
        return 0;
    }

    /**
     * Streamed CSV scoring through the real {@code ae4j score} command (CSV parsing, normalisation,
     * scoring, p-values, writing the output), in this JVM, so JVM start-up is not counted.
     */
    private int csvScoring() throws Exception {
        if (csvRows < 1 || input < 1) {
            throw new UsageException("--csv-rows and --input must be positive; got " + csvRows + " and " + input);
        }
        Path dir = Files.createTempDirectory("ae4j-bench-csv");
        try {
            Path csv = dir.resolve("rows.csv");
            Path train = dir.resolve("train.csv");
            int trainRows = Math.min(csvRows, 20_000);
            writeCsv(csv, csvRows, train, trainRows);
            Path det = dir.resolve("detector.ae4j");
            java.io.PrintStream quiet = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
            int rc = Ae4jCli.run(quiet, cli.err, "train", "--data", train.toString(), "--out", det.toString(),
                    "--epochs", "3", "--quiet");
            if (rc != 0) {
                return rc;
            }
            Path scores = dir.resolve("scores.csv");
            long t0 = System.nanoTime();
            rc = Ae4jCli.run(quiet, cli.err, "score", "--model", det.toString(), "--data", csv.toString(), "--out",
                    scores.toString(), "--quiet");
            double secs = (System.nanoTime() - t0) / 1e9;
            if (rc != 0) {
                return rc;
            }
            double mb = Files.size(csv) / 1048576.0;
            Map<String, Object> res = new LinkedHashMap<>();
            res.put("framework", "ae4j " + io.github.ae4j.core.Ae4j.VERSION);
            res.put("csv_rows", csvRows);
            res.put("features", input);
            res.put("csv_mb", round(mb));
            res.put("seconds", Math.round(secs * 100) / 100.0);
            res.put("csv_score_rows_per_s", round(csvRows / secs));
            if (json) {
                cli.out.println(Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(res));
            } else {
                cli.out.printf(Locale.ROOT, "%-22s%12s%10s%10s%10s%16s%n", "framework", "csv rows", "features",
                        "MB", "seconds", "score rows/s");
                cli.out.printf(Locale.ROOT, "%-22s%,12d%10d%,10.0f%10.2f%,16.0f%n", res.get("framework"), csvRows,
                        input, mb, secs, csvRows / secs);
                cli.out.println("ae4j score --model <detector> --data <csv> --out <csv>: streamed in batches of "
                        + ScoreCommand.BATCH + " rows, in this JVM");
            }
            return 0;
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** Writes {@code rows} synthetic rows with a header; the first {@code trainRows} also to {@code train}. */
    private void writeCsv(Path csv, int rows, Path train, int trainRows) throws java.io.IOException {
        StringBuilder header = new StringBuilder();
        for (int j = 0; j < input; j++) {
            header.append(j == 0 ? "" : ",").append('f').append(j);
        }
        header.append('\n');
        try (var w = Files.newBufferedWriter(csv); var t = Files.newBufferedWriter(train)) {
            w.write(header.toString());
            t.write(header.toString());
            StringBuilder sb = new StringBuilder(input * 10);
            Random r = new Random(1);
            INDArray basis = basis(input, r);   // one distribution for the whole file
            int chunk = 10_000;
            for (int from = 0; from < rows; from += chunk) {
                int n = Math.min(chunk, rows - from);
                float[][] x = synthetic(n, basis, r).toFloatMatrix();
                for (int i = 0; i < n; i++) {
                    sb.setLength(0);
                    for (int j = 0; j < input; j++) {
                        if (j > 0) {
                            sb.append(',');
                        }
                        sb.append(Math.round(x[i][j] * 1e5f) / 1e5f);
                    }
                    sb.append('\n');
                    w.write(sb.toString());
                    if (from + i < trainRows) {
                        t.write(sb.toString());
                    }
                }
            }
        }
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /**
     * Structured synthetic rows in [0, 1]: smooth low-rank patterns passed through a sigmoid, as in the
     * PyTorch reference script.
     */
    static INDArray synthetic(int rows, int width, long seed) {
        Random r = new Random(seed);
        return synthetic(rows, basis(width, r), r);
    }

    /** The 8 patterns the synthetic rows mix: {@code [8, width]}. */
    private static INDArray basis(int width, Random r) {
        INDArray basis = Nd4j.create(DataType.FLOAT, 8, width);
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < width; j++) {
                basis.putScalar(i, j, r.nextGaussian());
            }
        }
        return basis;
    }

    /** {@code rows} rows mixing the patterns of {@code basis} with random codes. */
    private static INDArray synthetic(int rows, INDArray basis, Random r) {
        INDArray codes = Nd4j.create(DataType.FLOAT, rows, 8);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < 8; j++) {
                codes.putScalar(i, j, r.nextGaussian());
            }
        }
        INDArray z = codes.mmul(basis).divi(3.0);
        codes.close();
        return org.nd4j.linalg.ops.transforms.Transforms.sigmoid(z, false);   // in place: no second copy
    }

    /**
     * Samples heap use and native (off-heap) resident memory every 20 ms, keeping the peaks; no samples while
     * paused (the timed training and scoring phases, sampled at their ends instead).
     */
    private static final class MemorySampler extends Thread {
        volatile boolean running = true;
        volatile boolean paused;
        long peakHeap;
        long peakOffHeap;

        MemorySampler() {
            super("ae4j-bench-memory");
            setDaemon(true);
        }

        @Override
        public void run() {
            while (running) {
                if (!paused) {
                    sample();
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        synchronized void sample() {
            long heap = 0;
            long jvmCommitted = 0;
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                if (p.getType() == MemoryType.HEAP) {
                    heap += p.getUsage().getUsed();
                }
                jvmCommitted += p.getUsage().getCommitted();
            }
            peakHeap = Math.max(peakHeap, heap);
            // ND4J allocates its arrays and workspaces in native code, out of JavaCPP's own count
            // (Pointer.totalBytes() sees a few MB): the off-heap figure is the resident memory beyond
            // what the JVM has committed to its heap and non-heap pools (so it includes the native
            // libraries' resident pages, ~100-200 MB, and thread stacks)
            long rss = Pointer.physicalBytes();
            peakOffHeap = Math.max(peakOffHeap, Math.max(0, rss - jvmCommitted));
        }

        void stopSampling() {
            running = false;
        }

        @Override
        public void interrupt() {
            running = false;
            super.interrupt();
        }
    }
}
