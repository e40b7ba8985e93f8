package io.github.ae4j.examples.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A bounded load benchmark of {@link ScoringServer} on loopback: throughput and p50/p99 latency at 1,
 * 8 and 64 concurrent clients, for 1-row and 100-row requests, each cell for a fixed time. Trains a
 * small detector (4 correlated columns, 3,000 rows) unless {@code --model M} is given.
 *
 * <pre>java -cp ae-examples/target/ae-examples-0.1.0-SNAPSHOT.jar io.github.ae4j.examples.cli.ServeBenchmark [--model M] [--seconds S] [--threads N]</pre>
 */
public final class ServeBenchmark {

    private ServeBenchmark() {
    }

    /**
     * Runs the benchmark and prints a table.
     *
     * @param args {@code [--model M] [--seconds S] [--threads N]}
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Path model = null;
        double seconds = 5;
        int threads = 8;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--model" -> model = Path.of(args[i + 1]);
                case "--seconds" -> seconds = Double.parseDouble(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path dir = Files.createTempDirectory("ae4j-serve-bench");
        Random r = new Random(1);
        if (model == null) {
            List<String> t = new ArrayList<>(List.of("a,b,c,d"));
            for (int i = 0; i < 3000; i++) {
                t.add(row(r));
            }
            Path train = dir.resolve("train.csv");
            Files.write(train, t);
            model = dir.resolve("bench.ae4j");
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Ae4jCli.run(System.out, new PrintStream(err, true, StandardCharsets.UTF_8), "train", "--data",
                    train.toString(), "--out", model.toString(), "--epochs", "5", "--quiet");
            if (code != 0) {
                throw new IllegalStateException("training failed: " + err);
            }
        }
        try (ScoringServer s = new ScoringServer(model, "127.0.0.1", 0, threads, ScoringServer.DEFAULT_MAX_BODY,
                ScoringServer.DEFAULT_MAX_ROWS, 0, System.err)) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            URI uri = URI.create("http://127.0.0.1:" + s.port() + "/score");
            System.out.printf("ae4j serve benchmark, loopback, %d server threads, %d processors, %.0f s per cell%n",
                    threads, Runtime.getRuntime().availableProcessors(), seconds);
            System.out.println("| clients | rows/request | requests/s | rows/s | p50 ms | p99 ms | errors |");
            System.out.println("|---|---|---|---|---|---|---|");
            for (int rowsPer : new int[] {1, 100}) {
                StringBuilder sb = new StringBuilder("{\"rows\": [");
                for (int i = 0; i < rowsPer; i++) {
                    sb.append(i == 0 ? "[" : ",[").append(row(r)).append("]");
                }
                String body = sb.append("]}").toString();
                long warm = System.nanoTime() + 2_000_000_000L;   // warm-up: JIT, ND4J workspaces, graph replicas
                while (System.nanoTime() < warm) {
                    post(http, uri, body);
                }
                for (int clients : new int[] {1, 8, 64}) {
                    cell(http, uri, body, clients, rowsPer, seconds);
                }
            }
        }
    }

    private static String row(Random r) {
        double a = r.nextGaussian();
        double b = r.nextGaussian();
        return String.format(Locale.ROOT, "%.5f,%.5f,%.5f,%.5f", a + 0.1 * r.nextGaussian(), 0.7 * a + 0.3 * b,
                b + 0.1 * r.nextGaussian(), a - b);
    }

    private static int post(HttpClient http, URI uri, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void cell(HttpClient http, URI uri, String body, int clients, int rowsPer, double seconds)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        List<Future<long[]>> fs = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            fs.add(pool.submit(() -> {
                long[] lat = new long[1 << 16];
                int n = 0;
                long errors = 0;
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    int code = post(http, uri, body);
                    if (code != 200) {
                        errors++;
                    }
                    if (n == lat.length) {
                        lat = Arrays.copyOf(lat, n * 2);
                    }
                    lat[n++] = System.nanoTime() - t0;
                }
                long[] out = Arrays.copyOf(lat, n + 1);
                out[n] = errors;
                return out;
            }));
        }
        List<Long> all = new ArrayList<>();
        long errors = 0;
        for (Future<long[]> f : fs) {
            long[] v = f.get((long) seconds + 120, TimeUnit.SECONDS);
            for (int i = 0; i < v.length - 1; i++) {
                all.add(v[i]);
            }
            errors += v[v.length - 1];
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdownNow();
        long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
        double rps = sorted.length / elapsed;
        System.out.printf(Locale.ROOT, "| %d | %d | %.0f | %.0f | %.2f | %.2f | %d |%n", clients, rowsPer, rps,
                rps * rowsPer, pct(sorted, 0.50) / 1e6, pct(sorted, 0.99) / 1e6, errors);
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
