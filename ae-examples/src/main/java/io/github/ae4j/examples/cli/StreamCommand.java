package io.github.ae4j.examples.cli;

import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.anomaly.stream.StreamConfig;
import io.github.ae4j.anomaly.stream.StreamState;
import io.github.ae4j.anomaly.stream.StreamingDetector;
import io.github.ae4j.anomaly.threshold.Conformal;
import io.github.ae4j.core.data.CsvReader;
import io.github.ae4j.core.data.DataFormatException;
import io.github.ae4j.core.data.TabularSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import io.github.ae4j.anomaly.threshold.Thresholds;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ae4j stream}: scores CSV rows as they arrive and flags them with SPOT/DSPOT, one flushed
 * output line per row, checkpointing the stream state atomically.
 */
@Command(name = "stream", mixinStandardHelpOptions = true,
        description = {"Score CSV rows as they arrive with a detector and flag them with SPOT (or",
                "DSPOT), whose threshold keeps adapting (Siffer et al. 2017). Writes one line per",
                "row, flushed at once, in ae4j score's row format plus SPOT's threshold: CSV",
                "row,score,anomaly,p_value,threshold or, with --format json, JSON Lines with those",
                "keys (p_value: against the calibration scores). With --state the stream",
                "state is saved atomically every --checkpoint-every rows and at exit (end of",
                "input, SIGTERM, SIGINT); a restart with the same file and state skips the rows",
                "already consumed. Rows must have the columns the detector was trained on (a",
                "header line is skipped). A window model (ae4j train --window N) scores each row",
                "with the window of the N rows ending at it (the first N - 1 rows get no score)."})
final class StreamCommand implements Callable<Integer>, OptionChecks.Checked {

    @ParentCommand
    Ae4jCli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A detector saved by ae4j train (trained on CSV rows).")
    Path model;

    @Option(names = "--data", paramLabel = "FILE", defaultValue = "-",
            description = "CSV file, or - for stdin (default).")
    String data;

    @Option(names = "--state", paramLabel = "FILE", description = "Stream state: resumed from when it exists, saved to.")
    Path state;

    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "1000",
            description = "Save the state every N rows (default ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--follow", description = "At the end of the file wait for more rows (a growing file), until SIGTERM/SIGINT.")
    boolean follow;

    @Option(names = "--poll-ms", paramLabel = "MS", defaultValue = "200",
            description = "With --follow: how often to look for new rows (default ${DEFAULT-VALUE}).")
    long pollMillis;

    @Option(names = "--risk", paramLabel = "Q", defaultValue = "0.001",
            description = "SPOT's risk: the probability of flagging a normal row (default: Q of the detector's"
                    + " spot:Q or dspot:Q:D threshold, else ${DEFAULT-VALUE}).")
    double risk;

    @Option(names = "--level", paramLabel = "L", defaultValue = "0.98",
            description = "Quantile of the calibration scores used as SPOT's initial threshold (default ${DEFAULT-VALUE}).")
    double level;

    @Option(names = "--depth", paramLabel = "D", defaultValue = "0",
            description = "0 for SPOT; D >= 1 for DSPOT with a window of D recent scores (drifting streams)."
                    + " Default: D of the detector's dspot:Q:D threshold, else 0.")
    int depth;

    @Option(names = "--delimiter", paramLabel = "C", defaultValue = ",", description = "CSV delimiter (default ,).")
    char delimiter;

    @Option(names = "--format", paramLabel = "csv|json", defaultValue = "csv", converter = ScoreCommand.FormatConverter.class,
            description = "csv (default): a header line, then row,score,anomaly,p_value,threshold per row; json: JSON"
                    + " Lines with the keys row, score, anomaly, p_value, threshold (null where a row has no score).")
    RowWriter.Format format;

    private final Object lock = new Object();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private StreamingDetector detector;
    /** The window layout of a window (time-series) model, or null for a model of rows. */
    private WindowModel window;
    /**
     * A window model: the last rows read (at most one window), time-major; guarded by {@code lock}. Its
     * last window - 1 rows are saved with the state, so that a restart from stdin can continue.
     */
    private final java.util.ArrayDeque<float[]> recent = new java.util.ArrayDeque<>();
    /** The window context the state was resumed with (none when started afresh). */
    private double[][] resumedContext = new double[0][];
    /** True while rows an earlier run consumed are skipped (guarded by {@code lock}). */
    private boolean skipping;

    @Override
    public void checkOptions() {
        OptionChecks.atLeast("--checkpoint-every", checkpointEvery, 1);
        OptionChecks.range("--poll-ms", pollMillis, 1, 60_000);
        OptionChecks.open("--risk", risk, 0, 1);
        OptionChecks.open("--level", level, 0, 1);
        OptionChecks.range("--depth", depth, 0, StreamConfig.MAX_BUFFER);
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new UsageException("--delimiter cannot be a quote or a line break");
        }
        if (follow && "-".equals(data)) {
            throw new UsageException("--follow is for a growing file; stdin is read until it ends anyway");
        }
        config();
    }

    /** SPOT's settings from the options (their own checks included). */
    private StreamConfig config() {
        return config(risk, depth);
    }

    /**
     * SPOT's settings for a detector: a {@code spot:Q} / {@code dspot:Q:D} threshold spec gives the
     * risk (and depth) that --risk (and --depth) did not.
     */
    private StreamConfig config(AnomalyDetector det) {
        var p = spec == null ? null : spec.commandLine().getParseResult();
        var s = Thresholds.spotSettings(det.threshold().spec());
        double q = s.isPresent() && (p == null || !p.hasMatchedOption("--risk")) ? s.get().risk() : risk;
        int d = s.isPresent() && (p == null || !p.hasMatchedOption("--depth")) ? s.get().depth() : depth;
        return config(q, d);
    }

    private StreamConfig config(double q, int d) {
        try {
            return new StreamConfig(q, level, d, 1000, 10);
        } catch (IllegalArgumentException e) {
            throw new UsageException("bad SPOT settings: " + e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        boolean stdin = "-".equals(data);
        AnomalyDetector det = Models.anyDetector(model);
        window = WindowModel.of(det.model()).orElse(null);
        if (window != null && window.streamCalibration() == null) {
            throw new UsageException(model + ": this window model has no stream calibration scores: train it again"
                    + " with this ae4j");
        }
        TabularSchema schema = det.model().schema().orElseThrow(() -> new UsageException(model
                + ": stream needs a detector trained on CSV rows (this one has no column schema)"));
        StreamConfig config = config(det);
        if (state != null && Files.exists(state)) {
            StreamState s = StreamingDetector.load(state);
            try {
                detector = window == null ? StreamingDetector.resume(det, s)
                        : StreamingDetector.resume(window.streamCalibration(), s);
            } catch (IllegalArgumentException e) {
                throw new UsageException(state + ": " + e.getMessage());
            }
            if (window != null) {
                resumedContext = StreamingDetector.loadContext(state);
                if (stdin && detector.rows() > 0) {
                    // from stdin the rows before the saved position cannot be read again: the state holds them
                    if (resumedContext.length != window.window() - 1
                            || resumedContext[0].length != window.channelCount()) {
                        throw new UsageException(state + ": the state holds no window context ("
                                + resumedContext.length + " rows, " + (window.window() - 1) + " needed; saved by an"
                                + " older ae4j?): resume with --data FILE, which reads them again");
                    }
                    for (double[] r : resumedContext) {
                        float[] f = new float[r.length];
                        for (int i = 0; i < r.length; i++) {
                            f[i] = (float) r[i];
                        }
                        recent.addLast(f);
                    }
                }
            }
            if (!cli.quiet) {
                cli.err.printf("resuming from %s at row %,d%n", state, nextRow());
            }
        } else {
            detector = window == null ? StreamingDetector.start(det, config)
                    : StreamingDetector.start(window.streamCalibration(), config);
        }
        String name = stdin ? "<stdin>" : data;
        if (!stdin && !Files.isRegularFile(Path.of(data))) {
            throw new NoSuchFileException(data, null, "no such file");
        }
        Thread hook = new Thread(this::onSignal, "ae4j-stream-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        long start = nextRow();
        try (InputStream in = stdin ? System.in : Files.newInputStream(Path.of(data))) {
            // p-values as score's for a model of rows; a window model's stream scores are the scores of the windows
            // ending at each row, compared with those of the calibration points (what started SPOT)
            Conformal conformal = window == null ? det.conformal() : Conformal.of(window.streamCalibration());
            run(new StreamLines(in, name, follow, pollMillis, stopping::get), det, schema, name, stdin, cli.out,
                    conformal);
        } finally {
            synchronized (lock) {
                checkpoint();
                stopping.set(true);
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook does the rest
            }
        }
        if (!cli.quiet) {
            cli.err.printf("streamed rows %,d..%,d: %,d flagged so far; next row %,d%s%n", start, nextRow() - 1,
                    detector.alarms(), nextRow(), resumeHint(stdin));
        }
        return 0;
    }

    private String resumeHint(boolean stdin) {
        if (state == null) {
            return "";
        }
        return stdin ? " (state saved in " + state + "; feed stdin from data row " + nextRow() + " to resume)"
                : " (state saved in " + state + ")";
    }

    /**
     * The data row the stream continues at: the rows SPOT has consumed; for a window model also the
     * window - 1 rows before its first window (which have no score).
     */
    private long nextRow() {
        return window == null || detector.rows() == 0 ? detector.rows() : detector.rows() + window.window() - 1;
    }

    private void run(StreamLines lines, AnomalyDetector det, TabularSchema schema, String name, boolean stdin,
                     PrintStream ps, Conformal conformal) throws IOException {
        // score's row format plus SPOT's threshold; every line flushed at once
        java.io.Writer out = new java.io.OutputStreamWriter(ps, java.nio.charset.StandardCharsets.UTF_8);
        RowWriter rows = new RowWriter(out, format, false, false, 0, java.util.List.of("threshold"));
        TabularSchema.Encoder enc = schema.encoder(name, false);
        float[] f = new float[schema.featureCount()];
        double[] row = new double[f.length];
        // from a file, rows before the state's position were consumed by an earlier run: skip them
        long skip = stdin ? 0 : nextRow();
        long dataRow = stdin ? nextRow() : 0;
        boolean first = true;
        synchronized (lock) {
            rows.header();
            out.flush();
        }
        String line;
        while ((line = lines.next()) != null) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = StreamLines.split(line, delimiter);
            if (cells == null) {
                throw new DataFormatException(name, dataRow, lines.lineNumber(), null, "unterminated quote");
            }
            if (first) {
                first = false;
                if (CsvReader.looksLikeHeader(cells)) {
                    continue;
                }
            }
            if (skip > 0) {
                synchronized (lock) {
                    skipping = true;
                    if (window != null && skip < window.window()) { // the context of the next window
                        enc.encode(cells, dataRow, lines.lineNumber(), f, 0);
                        remember(recent, f);
                    }
                    skip--;
                    dataRow++;
                }
                continue;
            }
            enc.encode(cells, dataRow, lines.lineNumber(), f, 0);
            for (int i = 0; i < f.length; i++) {
                row[i] = f[i];
            }
            synchronized (lock) {
                skipping = false;
                if (stopping.get()) {
                    return;
                }
                if (window != null) {
                    remember(recent, f);
                }
                if (window != null && recent.size() < window.window()) {
                    // no window ends here yet: no score, nothing for SPOT
                    rows.write(dataRow, Double.NaN, 0, Double.NaN, detector.threshold());
                    out.flush();
                    dataRow++;
                    continue;
                }
                StreamingDetector.Step s = window == null ? detector.next(row)
                        : detector.nextScore(det.score(windowRow(recent))[0]);
                rows.write(window == null ? s.row() : dataRow, s.score(), s.anomaly() ? 1 : 0,
                        conformal == null ? Double.NaN : conformal.pValue(s.score()), s.threshold());
                out.flush();
                dataRow++;
                if (state != null && detector.rows() % checkpointEvery == 0) {
                    checkpoint();
                }
            }
        }
        if (skip > 0) {
            throw new UsageException(name + " has fewer data rows (" + dataRow + ") than the state has consumed ("
                    + nextRow() + "): not the file the state was saved with?");
        }
    }

    /**
     * The window - 1 rows before the next row (what its window reaches back to): the last rows read, or
     * the resumed context while skipped rows are read again. Called under {@code lock}.
     */
    private double[][] context() {
        int need = window.window() - 1;
        if (skipping || recent.size() < need) {
            return resumedContext.length == need ? resumedContext : null;
        }
        double[][] c = new double[need][];
        int i = 0;
        int drop = recent.size() - need;
        for (float[] r : recent) {
            if (drop-- > 0) {
                continue;
            }
            c[i] = new double[r.length];
            for (int j = 0; j < r.length; j++) {
                c[i][j] = r[j];
            }
            i++;
        }
        return c;
    }

    /** Keeps a copy of a row among the last {@code window} rows. */
    private void remember(java.util.ArrayDeque<float[]> recent, float[] f) {
        recent.addLast(f.clone());
        if (recent.size() > window.window()) {
            recent.removeFirst();
        }
    }

    /** The window of the last rows as one model row [1, window * channels], time-major. */
    private static org.nd4j.linalg.api.ndarray.INDArray windowRow(java.util.ArrayDeque<float[]> recent) {
        int c = recent.peekFirst().length;
        float[] w = new float[recent.size() * c];
        int o = 0;
        for (float[] r : recent) {
            System.arraycopy(r, 0, w, o, c);
            o += c;
        }
        return org.nd4j.linalg.factory.Nd4j.create(w, new long[] {1, w.length}, 'c');
    }

    private void checkpoint() {
        if (state == null || detector == null) {
            return;
        }
        try {
            detector.save(state, window == null || detector.rows() == 0 ? null : context());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(state + ": cannot save the stream state", e);
        }
    }

    /**
     * The exit checkpoint runs in a shutdown hook, beside any other hook of the JVM (one that removes
     * temporary files still being written could remove this write's): a failed write is tried again.
     */
    private void checkpointOnExit() {
        for (int attempt = 1; ; attempt++) {
            try {
                checkpoint();
                return;
            } catch (RuntimeException e) {
                if (attempt == 3) {
                    throw e;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** SIGTERM/SIGINT: stop after the row in progress and save the state. */
    private void onSignal() {
        synchronized (lock) {
            if (stopping.getAndSet(true)) {
                return;
            }
            cli.out.flush();
            try {
                checkpointOnExit();
                if (!cli.quiet && detector != null) {
                    cli.err.printf("stopped at row %,d (%,d flagged)%s%n", nextRow(), detector.alarms(),
                            resumeHint("-".equals(data)));
                }
            } catch (RuntimeException e) {
                cli.err.println("ae4j: " + e.getMessage());
            }
        }
    }
}
