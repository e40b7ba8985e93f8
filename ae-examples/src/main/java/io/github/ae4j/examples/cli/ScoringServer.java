package io.github.ae4j.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.anomaly.Detection;
import io.github.ae4j.core.ModelInfo;
import io.github.ae4j.core.data.TabularSchema;
import io.github.ae4j.core.internal.Json;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A small HTTP scoring server for one detector file, on the JDK's built-in server
 * ({@code com.sun.net.httpserver}, module {@code jdk.httpserver}): {@code POST /score} (JSON or CSV
 * rows in, scores, flags and p-values out), {@code GET /health}, {@code GET /model}. Request bodies
 * and row counts are capped; bad requests get a 4xx JSON error {@code {"error": "..."}}. A replaced
 * model file is loaded in the background and swapped in atomically: requests in flight finish on the
 * detector they started with, none is dropped. No authentication: bind to loopback unless a proxy in
 * front adds it.
 *
 * <p>{@code POST /score} bodies: {@code {"rows": [[v, v, ...], ...]}} with each row's cells in the
 * training CSV's column order (numbers, or strings for categorical columns; label and id columns
 * included when the training file had them), or {@code text/csv} lines of the same cells (a header
 * line is skipped). {@code "explain": K} in the JSON body, or {@code ?explain=K} in the address, adds per row the
 * K columns carrying most of its score. Response: {@code {"threshold": t, "thresholdSpec": SPEC, "rows": [ROW, ...]}}
 * where each ROW has the keys of {@code ae4j score --format json}: {@code row} (0-based within the request),
 * {@code score}, {@code anomaly} (0/1), {@code p_value} and, when asked for, {@code explanation}
 * ({@code [{"part": COLUMN, "share": S}, ...]}, largest first).
 *
 * <p>A window (time-series) model takes each request as one contiguous block of at least its window
 * of rows (time steps in order) and answers one row per step, exactly as {@code ae4j score} answers for
 * a file holding just those rows (window-mean point scores; explanations by channel,
 * {@link SeriesExplain}); nothing is kept between requests. {@code GET /model} shows the window under
 * {@code series}.
 */
public final class ScoringServer implements Closeable {

    static {
        // TCP_NODELAY on accepted connections: without it a small response waits for the client's delayed
        // ACK (Nagle), ~40 ms per one-row request (measured: p50 57 ms vs 1.4 ms for 100 rows). Read once,
        // when the JDK's server configuration class loads, so it is set before the first server starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** Default cap on a request body, bytes. */
    public static final int DEFAULT_MAX_BODY = 1 << 20;
    /** Default cap on rows per request. */
    public static final int DEFAULT_MAX_ROWS = 10_000;

    private final Path modelPath;
    private final int maxBody;
    private final int maxRows;
    private final PrintStream log;
    private final AtomicReference<Loaded> current = new AtomicReference<>();
    private final HttpServer server;
    private final ExecutorService workers;
    private final ScheduledExecutorService watcher;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong reloads = new AtomicLong();

    /** A loaded detector; {@code window} is its window layout for a window (time-series) model, else null. */
    private record Loaded(AnomalyDetector detector, WindowModel window, FileTime modified, long size,
                          Instant loadedAt) {
    }

    /**
     * Loads the detector and starts serving.
     *
     * @param modelPath   the detector file (watched for replacement)
     * @param host        the address to bind (e.g. 127.0.0.1)
     * @param port        the port, 0 for an ephemeral one
     * @param threads     request threads
     * @param maxBody     largest request body, bytes
     * @param maxRows     most rows per request
     * @param reloadEvery how often to look at the model file, ms (0: never reload)
     * @param log         where reload messages go
     * @throws IOException when the model cannot be read or the port bound
     */
    public ScoringServer(Path modelPath, String host, int port, int threads, int maxBody, int maxRows,
                         long reloadEvery, PrintStream log) throws IOException {
        this.modelPath = Objects.requireNonNull(modelPath, "modelPath");
        this.maxBody = maxBody;
        this.maxRows = maxRows;
        this.log = log;
        current.set(load());
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 64);
        workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "ae4j-serve");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(workers);
        server.createContext("/", this::handle);
        server.start();
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ae4j-serve-reload");
            t.setDaemon(true);
            return t;
        });
        if (reloadEvery > 0) {
            watcher.scheduleWithFixedDelay(this::reloadIfChanged, reloadEvery, reloadEvery, TimeUnit.MILLISECONDS);
        }
    }

    /** @return the bound port */
    public int port() {
        return server.getAddress().getPort();
    }

    /** @return the bound address */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** @return how many times a replaced model file was loaded */
    public long reloads() {
        return reloads.get();
    }

    /** @return the detector in use now */
    public AnomalyDetector detector() {
        return current.get().detector();
    }

    private Loaded load() throws IOException {
        FileTime m = Files.getLastModifiedTime(modelPath);
        long size = Files.size(modelPath);
        AnomalyDetector d = AnomalyDetector.load(modelPath);
        WindowModel wm;
        try {
            wm = WindowModel.of(d.model()).orElse(null);
        } catch (IllegalArgumentException e) {
            throw new UsageException(modelPath + ": " + e.getMessage());
        }
        if (d.model().schema().isEmpty()) {
            throw new UsageException(modelPath + ": serve needs a detector trained on CSV rows (no column schema)");
        }
        return new Loaded(d, wm, m, size, Instant.now());
    }

    /** Loads the model file again when its time or size changed; keeps the old detector on failure. */
    void reloadIfChanged() {
        try {
            Loaded old = current.get();
            FileTime m = Files.getLastModifiedTime(modelPath);
            long size = Files.size(modelPath);
            if (m.equals(old.modified()) && size == old.size()) {
                return;
            }
            current.set(load());
            reloads.incrementAndGet();
            log.println("ae4j serve: reloaded " + modelPath);
        } catch (IOException | RuntimeException e) {
            log.println("ae4j serve: keeping the current model; cannot load " + modelPath + ": " + e.getMessage());
        }
    }

    /**
     * Stops accepting connections, waits up to {@code graceSeconds} for requests in flight, then
     * stops.
     *
     * @param graceSeconds the longest wait
     */
    public void stop(int graceSeconds) {
        watcher.shutdownNow();
        server.stop(graceSeconds);
        workers.shutdown();
        try {
            workers.awaitTermination(graceSeconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(5);
    }

    // ------------------------------------------------------------------ requests

    /** A request refused with a 4xx status. */
    static final class HttpError extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        HttpError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        try (ex) {
            try {
                String path = ex.getRequestURI().getPath();
                String method = ex.getRequestMethod();
                switch (path) {
                    case "/health" -> {
                        requireMethod(method, "GET");
                        Loaded l = current.get();
                        Map<String, Object> o = new LinkedHashMap<>();
                        o.put("status", "ok");
                        o.put("model", modelPath.toString());
                        o.put("loadedAt", l.loadedAt().toString());
                        o.put("reloads", reloads.get());
                        send(ex, 200, o);
                    }
                    case "/model" -> {
                        requireMethod(method, "GET");
                        send(ex, 200, describe(current.get()));
                    }
                    case "/score" -> {
                        requireMethod(method, "POST");
                        send(ex, 200, score(ex));
                    }
                    default -> throw new HttpError(404, "no such endpoint " + path
                            + ": expected POST /score, GET /health or GET /model");
                }
            } catch (HttpError e) {
                send(ex, e.status, Map.of("error", e.getMessage()));
            } catch (IllegalArgumentException e) {   // DataFormatException included: a bad cell
                send(ex, 400, Map.of("error", e.getMessage()));
            } catch (RuntimeException e) {
                send(ex, 500, Map.of("error", "internal error: " + e));
            }
        }
    }

    private static void requireMethod(String method, String expected) throws HttpError {
        if (!expected.equals(method)) {
            throw new HttpError(405, "method " + method + " not allowed here: expected " + expected);
        }
    }

    private Map<String, Object> describe(Loaded l) {
        AnomalyDetector d = l.detector();
        ModelInfo i = d.model().info();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("file", modelPath.toString());
        o.put("loadedAt", l.loadedAt().toString());
        o.put("kind", i.kind());
        o.put("architecture", i.spec());
        o.put("inputSize", i.inputSize());
        o.put("features", d.featureNames());
        o.put("columns", d.model().schema().map(s -> s.columns().stream().map(TabularSchema.Column::name).toList())
                .orElse(List.of()));
        o.put("scorer", d.scorer().id());
        o.put("threshold", d.threshold().value());
        o.put("thresholdSpec", d.threshold().spec());
        o.put("calibrationRows", d.calibrationScores().length);
        o.put("ae4jVersion", i.ae4jVersion());
        o.put("formatVersion", i.formatVersion());
        if (l.window() != null) {
            // ae4j info's "series", with the count of stream calibration scores instead of the scores
            Map<String, Object> series = new LinkedHashMap<>(l.window().toMap());
            series.remove("streamCalibration");
            series.put("streamCalibrationScores", l.window().streamCalibration() == null ? 0
                    : l.window().streamCalibration().length);
            o.put("series", series);
        }
        return o;
    }

    private byte[] body(HttpExchange ex) throws IOException, HttpError {
        String len = ex.getRequestHeaders().getFirst("Content-Length");
        if (len != null) {
            try {
                if (Long.parseLong(len.trim()) > maxBody) {
                    throw new HttpError(413, "request body of " + len.trim() + " bytes is larger than the " + maxBody
                            + " allowed");
                }
            } catch (NumberFormatException e) {
                throw new HttpError(400, "bad Content-Length '" + len + "'");
            }
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try (InputStream in = ex.getRequestBody()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                b.write(buf, 0, n);
                if (b.size() > maxBody) {
                    throw new HttpError(413, "request body is larger than the " + maxBody + " bytes allowed");
                }
            }
        }
        return b.toByteArray();
    }

    private Map<String, Object> score(HttpExchange ex) throws IOException, HttpError {
        byte[] body = body(ex);
        Loaded l = current.get();   // the whole request runs on one detector, even if another is swapped in
        AnomalyDetector d = l.detector();
        TabularSchema schema = d.model().schema().orElseThrow();
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        boolean csv = type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("text/csv");
        JsonNode root = csv ? null : jsonRoot(body);
        List<String[]> rows = csv ? csvRows(body) : jsonRows(root);
        int explain = explain(ex.getRequestURI().getRawQuery(), root);
        if (rows.isEmpty()) {
            throw new HttpError(400, "no rows: expected {\"rows\": [[...], ...]} with at least one row");
        }
        if (rows.size() > maxRows) {
            throw new HttpError(413, rows.size() + " rows in one request, more than the " + maxRows + " allowed");
        }
        TabularSchema.Encoder enc = schema.encoder("request", false);
        int w = schema.featureCount();
        float[] x = new float[Math.multiplyExact(rows.size(), w)];
        for (int r = 0; r < rows.size(); r++) {
            enc.encode(rows.get(r), r, r + 1, x, r * w);
        }
        // the rows of ae4j score --format json: one format for every command that scores
        RowWriter rw = new RowWriter(null, RowWriter.Format.JSON, false, false, explain);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("threshold", d.threshold().value());
        o.put("thresholdSpec", d.threshold().spec());
        o.put("rows", l.window() != null ? windowRows(rw, d, l.window(), x, rows.size(), w, explain)
                : rw.json(d, Nd4j.create(x, new long[] {rows.size(), w}, 'c').castTo(DataType.FLOAT)));
        return o;
    }

    /**
     * A window model's request: the rows are one contiguous block of a series (time steps in order, at
     * least one window), scored as {@code ae4j score} scores a series file holding just these rows:
     * every window of the block (sliding by one step) scored, each step given the mean score of the
     * windows covering it. Requests are independent: no rows are kept between them.
     */
    private static List<Map<String, Object>> windowRows(RowWriter rw, AnomalyDetector d, WindowModel wm, float[] x,
                                                        int n, int width, int explain) throws HttpError {
        if (n < wm.window()) {
            throw new HttpError(400, "a window model (window " + wm.window() + ") scores a block of at least "
                    + wm.window() + " consecutive rows of a series, got " + n);
        }
        double[][] series = new double[n][width];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < width; c++) {
                series[r][c] = x[r * width + c];
            }
        }
        Detection r = SeriesTraining.detect(d, wm, series, "request");
        List<List<RowWriter.Part>> parts = explain > 0 ? SeriesExplain.topChannels(d, wm, series, explain) : null;
        List<Map<String, Object>> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(rw.json(i, r.scores()[i], r.flags()[i], r.pValues()[i], null, null, null,
                    parts == null ? null : parts.get(i)));
        }
        return out;
    }

    /** Most parts per row a request may ask for. */
    static final int MAX_EXPLAIN = 1000;

    /** The parts per row asked for: {@code explain=K} in the query, or {@code "explain": K} in a JSON body. */
    private static int explain(String query, JsonNode root) throws HttpError {
        String v = null;
        if (query != null) {
            for (String kv : query.split("&")) {
                if (kv.startsWith("explain=")) {
                    v = java.net.URLDecoder.decode(kv.substring("explain=".length()), StandardCharsets.UTF_8);
                }
            }
        }
        if (v == null && root != null && root.has("explain")) {
            JsonNode e = root.get("explain");
            if (!e.canConvertToInt() || !e.isIntegralNumber()) {
                throw new HttpError(400, "\"explain\" must be a whole number in [0, " + MAX_EXPLAIN + "]");
            }
            v = Integer.toString(e.intValue());
        }
        if (v == null) {
            return 0;
        }
        try {
            int k = Integer.parseInt(v.trim());
            if (k >= 0 && k <= MAX_EXPLAIN) {
                return k;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new HttpError(400, "explain must be a whole number in [0, " + MAX_EXPLAIN + "], got '" + v + "'");
    }

    private static JsonNode jsonRoot(byte[] body) throws HttpError {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new HttpError(400, "malformed JSON: " + oneLine(e.getMessage()));
        }
    }

    private List<String[]> jsonRows(JsonNode root) throws HttpError {
        if (root == null || !root.isObject() || !root.path("rows").isArray()) {
            throw new HttpError(400, "expected a JSON object {\"rows\": [[cell, ...], ...]}");
        }
        ArrayNode a = (ArrayNode) root.get("rows");
        if (a.size() > maxRows) {
            throw new HttpError(413, a.size() + " rows in one request, more than the " + maxRows + " allowed");
        }
        List<String[]> rows = new ArrayList<>(a.size());
        for (int r = 0; r < a.size(); r++) {
            JsonNode row = a.get(r);
            if (!row.isArray()) {
                throw new HttpError(400, "row " + r + " is not an array of cells");
            }
            String[] cells = new String[row.size()];
            for (int c = 0; c < row.size(); c++) {
                JsonNode v = row.get(c);
                if (v.isNumber()) {
                    cells[c] = v.numberValue().toString();
                } else if (v.isTextual()) {
                    cells[c] = v.textValue();
                } else if (v.isNull()) {
                    cells[c] = "";
                } else {
                    throw new HttpError(400, "row " + r + ", cell " + c + ": expected a number, a string or null");
                }
            }
            rows.add(cells);
        }
        return rows;
    }

    private List<String[]> csvRows(byte[] body) throws HttpError {
        List<String[]> rows = new ArrayList<>();
        String[] lines = new String(body, StandardCharsets.UTF_8).split("\r?\n");
        boolean first = true;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = StreamLines.split(line, ',');
            if (cells == null) {
                throw new HttpError(400, "CSV line " + (rows.size() + 1) + ": unterminated quote");
            }
            if (first && io.github.ae4j.core.data.CsvReader.looksLikeHeader(cells)) {
                first = false;
                continue;
            }
            first = false;
            rows.add(cells);
        }
        return rows;
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static void send(HttpExchange ex, int status, Object body) throws IOException {
        byte[] b = Json.MAPPER.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }
}
