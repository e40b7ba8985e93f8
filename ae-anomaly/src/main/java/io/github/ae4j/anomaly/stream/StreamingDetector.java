package io.github.ae4j.anomaly.stream;

import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.anomaly.threshold.DSpot;
import io.github.ae4j.anomaly.threshold.Spot;
import io.github.ae4j.core.internal.Json;
import io.github.ae4j.core.ModelFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Online anomaly detection on a stream of rows: a trained {@link AnomalyDetector} scores each row,
 * and SPOT or DSPOT (Siffer et al., <i>Anomaly Detection in Streams with Extreme Value Theory</i>,
 * KDD 2017) flags it against a threshold that keeps adapting to the stream's tail. SPOT starts from
 * the detector's calibration scores (held-out normal data), so the first row is already judged.
 *
 * <p>Everything that changes as rows go by (SPOT's peaks, GPD fit and counters, DSPOT's window, the
 * rows consumed) is one {@link StreamState}: {@link #save(Path)} writes it atomically, and
 * {@link #resume(AnomalyDetector, StreamState)} continues from it so that the flags after a restart
 * are exactly those one uninterrupted run would have given. Rows are scored one at a time (a batch of
 * one), so a score never depends on how the stream was cut.
 *
 * <p>Not thread-safe: one instance per stream.
 *
 * <pre>{@code
 * StreamingDetector s = StreamingDetector.start(AnomalyDetector.load(model), StreamConfig.defaults());
 * for (double[] row : rows) {
 *     StreamingDetector.Step r = s.next(row);     // r.anomaly(), r.score(), r.threshold()
 * }
 * s.save(statePath);                               // later: StreamingDetector.resume(det, StreamingDetector.load(statePath))
 * }</pre>
 */
public final class StreamingDetector {

    /** Largest version-1 (plain JSON) state file read (a state holds at most maxPeaks + depth numbers). */
    static final long MAX_STATE_BYTES = 64L << 20;

    /**
     * The result for one row.
     *
     * @param row       the row's 0-based position in the stream
     * @param score     its anomaly score
     * @param anomaly   true when {@code score >= threshold}
     * @param threshold the threshold it was judged against (before it updated SPOT)
     */
    public record Step(long row, double score, boolean anomaly, double threshold) {
    }

    private final AnomalyDetector detector;
    private final String fingerprint;
    private final StreamConfig config;
    private final Spot spot;
    private final DSpot dspot;
    private long rows;
    private long alarms;

    private StreamingDetector(AnomalyDetector detector, String fingerprint, StreamConfig config, Spot spot,
                              DSpot dspot, long rows, long alarms) {
        this.detector = detector;
        this.fingerprint = fingerprint;
        this.config = config;
        this.spot = spot;
        this.dspot = dspot;
        this.rows = rows;
        this.alarms = alarms;
    }

    /**
     * Starts a stream: SPOT (or DSPOT) is fitted on the detector's calibration scores.
     *
     * @param detector a trained detector
     * @param config   the settings
     * @return the streaming detector, at row 0
     * @throws IllegalArgumentException when the calibration scores are too few for the level (SPOT
     *                                  needs 10 above it: 500 at level 0.98)
     */
    public static StreamingDetector start(AnomalyDetector detector, StreamConfig config) {
        Objects.requireNonNull(detector, "detector");
        Objects.requireNonNull(config, "config");
        double[] cal = detector.calibrationScores();
        try {
            if (config.depth() == 0) {
                return new StreamingDetector(detector, fingerprint(detector), config, Spot.fit(cal, config.spot()),
                        null, 0, 0);
            }
            return new StreamingDetector(detector, fingerprint(detector), config, null,
                    DSpot.fit(cal, config.depth(), config.spot()), 0, 0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot start SPOT on the detector's " + cal.length
                    + " calibration scores: " + e.getMessage(), e);
        }
    }

    /**
     * Starts a stream of scores computed elsewhere (e.g. per-point scores of a window model over a
     * series, {@code io.github.ae4j.conv.series}): SPOT (or DSPOT) is fitted on held-out normal
     * scores of the same scorer, and each score is then judged with {@link #nextScore(double)}
     * ({@link #next(double[])} needs a detector and is refused).
     *
     * @param calibrationScores held-out normal scores, in stream order for DSPOT
     * @param config            the settings
     * @return the streaming detector, at row 0
     * @throws IllegalArgumentException when the scores are too few for the level
     */
    public static StreamingDetector start(double[] calibrationScores, StreamConfig config) {
        Objects.requireNonNull(calibrationScores, "calibrationScores");
        Objects.requireNonNull(config, "config");
        double[] cal = calibrationScores.clone();
        try {
            return new StreamingDetector(null, fingerprint(0, Double.NaN, cal), config,
                    config.depth() == 0 ? Spot.fit(cal, config.spot()) : null,
                    config.depth() == 0 ? null : DSpot.fit(cal, config.depth(), config.spot()), 0, 0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot start SPOT on " + cal.length + " calibration scores: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Continues a stream of scores (started by {@link #start(double[], StreamConfig)}) from a saved
     * state.
     *
     * @param calibrationScores the calibration scores the stream was started with
     * @param state             the state
     * @return the streaming detector, at row {@code state.rows()}
     * @throws IllegalArgumentException when the state belongs to other scores or is inconsistent
     */
    public static StreamingDetector resume(double[] calibrationScores, StreamState state) {
        Objects.requireNonNull(calibrationScores, "calibrationScores");
        return resume(null, fingerprint(0, Double.NaN, calibrationScores), state);
    }

    /**
     * Continues a stream from a saved state.
     *
     * @param detector the detector the state was saved with
     * @param state    the state
     * @return the streaming detector, at row {@code state.rows()}
     * @throws IllegalArgumentException when the state belongs to another detector or is inconsistent
     */
    public static StreamingDetector resume(AnomalyDetector detector, StreamState state) {
        Objects.requireNonNull(detector, "detector");
        return resume(detector, fingerprint(detector), state);
    }

    private static StreamingDetector resume(AnomalyDetector detector, String fp, StreamState state) {
        Objects.requireNonNull(state, "state");
        if (!StreamState.FORMAT.equals(state.format()) || state.formatVersion() != StreamState.VERSION) {
            throw new IllegalArgumentException("not an ae4j stream state of version " + StreamState.VERSION
                    + " (format '" + state.format() + "', version " + state.formatVersion() + ")");
        }
        if (!fp.equals(state.detector())) {
            throw new IllegalArgumentException("the stream state was saved with another detector or other"
                    + " calibration scores (fingerprint "
                    + state.detector() + ", this one " + fp + ")");
        }
        if (state.config() == null || state.rows() < 0 || state.alarms() < 0 || state.alarms() > state.rows()) {
            throw new IllegalArgumentException("inconsistent stream state (settings missing or counts out of range)");
        }
        boolean isSpot = state.config().depth() == 0;
        if (isSpot ? state.spot() == null : state.dspot() == null || state.dspot().spot() == null) {
            throw new IllegalArgumentException("inconsistent stream state: no " + (isSpot ? "SPOT" : "DSPOT")
                    + " state for depth " + state.config().depth());
        }
        io.github.ae4j.anomaly.threshold.Spot.State sp = isSpot ? state.spot() : state.dspot().spot();
        if (sp.maxPeaks() != state.config().maxPeaks()
                || !isSpot && (state.dspot().window() == null || state.dspot().window().length != state.config().depth())) {
            throw new IllegalArgumentException("inconsistent stream state: SPOT/DSPOT buffers do not match the settings");
        }
        return new StreamingDetector(detector, fp, state.config(), isSpot ? Spot.restore(state.spot()) : null,
                isSpot ? null : DSpot.restore(state.dspot()), state.rows(), state.alarms());
    }

    /**
     * Scores and judges the next row.
     *
     * @param rawRow the row's {@code detector.model().inputSize()} raw feature values
     * @return the result
     * @throws IllegalArgumentException on the wrong width or non-finite values (the state is unchanged)
     */
    public Step next(double[] rawRow) {
        Objects.requireNonNull(rawRow, "rawRow");
        if (detector == null) {
            throw new IllegalStateException("this stream judges scores computed elsewhere: use nextScore");
        }
        INDArray x = Nd4j.create(rawRow, new long[] {1, rawRow.length}, org.nd4j.linalg.api.buffer.DataType.FLOAT);
        return nextScore(detector.score(x)[0]);
    }

    /**
     * Judges the next row by a score computed elsewhere (e.g. by the same detector on a batch).
     *
     * @param score the row's score (not NaN)
     * @return the result
     */
    public Step nextScore(double score) {
        if (Double.isNaN(score)) {
            throw new IllegalArgumentException("score of row " + rows + " is NaN");
        }
        double threshold = threshold();
        boolean alarm = spot != null ? spot.step(score) : dspot.step(score);
        Step s = new Step(rows++, score, alarm, threshold);
        if (alarm) {
            alarms++;
        }
        return s;
    }

    /** @return the current threshold: the next row is an anomaly when its score is at or above it */
    public double threshold() {
        return spot != null ? spot.threshold() : dspot.threshold();
    }

    /** @return rows consumed (the 0-based position of the next row) */
    public long rows() {
        return rows;
    }

    /** @return rows flagged so far */
    public long alarms() {
        return alarms;
    }

    /** @return the detector, if this stream scores rows itself */
    public java.util.Optional<AnomalyDetector> detector() {
        return java.util.Optional.ofNullable(detector);
    }

    /** @return the settings */
    public StreamConfig config() {
        return config;
    }

    /** @return a snapshot of the state */
    public StreamState state() {
        return new StreamState(StreamState.FORMAT, StreamState.VERSION, fingerprint, rows, alarms, config,
                spot == null ? null : spot.state(), dspot == null ? null : dspot.state());
    }

    /**
     * Writes the state atomically (temporary file, flushed to disk, moved into place): a kill at any
     * moment leaves the previous state or the new one. The file is an ae4j container like a model file
     * (a zip with a checksummed manifest of format {@value StreamState#FORMAT}, version
     * {@value StreamState#FILE_VERSION}) holding one entry, {@value io.github.ae4j.core.ModelFile#STREAM_STATE},
     * registered in the model file's list of allowed entries with its size cap.
     *
     * @param path the state file
     * @throws IOException on failure (the previous file is intact)
     */
    public void save(Path path) throws IOException {
        save(path, null);
    }

    /**
     * Writes the state atomically with the rows the caller needs to continue the stream (e.g. a window
     * model's last window - 1 rows, which the first window after a restart reaches back to), as the
     * entry {@value io.github.ae4j.core.ModelFile#STREAM_CONTEXT} of the same file.
     *
     * @param path    the state file
     * @param context the rows, oldest first, at most {@value #MAX_CONTEXT_ROWS}; null or empty for none
     * @throws IOException on failure (the previous file is intact)
     */
    public void save(Path path, double[][] context) throws IOException {
        java.util.Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        entries.put(ModelFile.STREAM_STATE, Json.MAPPER.writeValueAsBytes(state()));
        if (context != null && context.length > 0) {
            if (context.length > MAX_CONTEXT_ROWS) {
                throw new IllegalArgumentException("at most " + MAX_CONTEXT_ROWS + " context rows, got "
                        + context.length);
            }
            entries.put(ModelFile.STREAM_CONTEXT, Json.MAPPER.writeValueAsBytes(java.util.Map.of("rows", context)));
        }
        ModelFile.writeContainer(path, StreamState.FORMAT, StreamState.FILE_VERSION, entries);
    }

    /** The JSON of the context entry. */
    private record Context(double[][] rows) {
    }

    /** Most context rows a state file holds. */
    public static final int MAX_CONTEXT_ROWS = 100_000;

    /**
     * The context rows saved with a state ({@link #save(Path, double[][])}).
     *
     * @param path the state file
     * @return the rows, oldest first; empty when none were saved (or the file is of version 1)
     * @throws IOException when the file is not a valid state file or the rows are malformed
     */
    public static double[][] loadContext(Path path) throws IOException {
        if (!isContainer(path)) {
            return new double[0][];
        }
        byte[] b = ModelFile.readContainer(path, StreamState.FORMAT, StreamState.FILE_VERSION,
                java.util.Set.of(ModelFile.STREAM_STATE, ModelFile.STREAM_CONTEXT), "stream state file")
                .get(ModelFile.STREAM_CONTEXT);
        if (b == null) {
            return new double[0][];
        }
        Context c;
        try {
            c = Json.MAPPER.readValue(b, Context.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(path + ": unreadable stream context (" + e.getOriginalMessage() + ")", e);
        }
        if (c == null || c.rows() == null || c.rows().length > MAX_CONTEXT_ROWS) {
            throw new IOException(path + ": invalid stream context");
        }
        for (double[] r : c.rows()) {
            if (r == null || r.length != c.rows()[0].length) {
                throw new IOException(path + ": stream context rows of different widths");
            }
        }
        return c.rows();
    }

    private static boolean isContainer(Path path) throws IOException {
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(path)) {
            n = in.readNBytes(head, 0, 4);
        }
        return n == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    }

    /**
     * Reads a state file written by {@link #save(Path)}, read as safely as a model file (allowed entry
     * names, caps, checksums). A state file of version 1 (plain JSON, written by ae4j before the
     * container) is read too; the next save writes the container.
     *
     * @param path the file
     * @return the state
     * @throws IOException when it is missing, too large, or not a stream state (a
     *                     {@link io.github.ae4j.core.io.ModelFormatException} naming the file for a bad container)
     */
    public static StreamState load(Path path) throws IOException {
        byte[] json;
        if (isContainer(path)) {
            json = ModelFile.readContainer(path, StreamState.FORMAT, StreamState.FILE_VERSION,
                    java.util.Set.of(ModelFile.STREAM_STATE, ModelFile.STREAM_CONTEXT), "stream state file")
                    .get(ModelFile.STREAM_STATE);
            if (json == null) {
                throw new io.github.ae4j.core.io.ModelFormatException(path, "missing entry '"
                        + ModelFile.STREAM_STATE + "'");
            }
        } else {
            long size = Files.size(path);   // version 1: the JSON alone
            if (size > MAX_STATE_BYTES) {
                throw new IOException(path + ": stream state of " + size + " bytes is larger than the "
                        + MAX_STATE_BYTES + " allowed");
            }
            json = Files.readAllBytes(path);
        }
        StreamState s;
        try {
            s = Json.MAPPER.readValue(json, StreamState.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(path + ": not a readable stream state (" + e.getOriginalMessage() + ")", e);
        }
        if (s == null || !StreamState.FORMAT.equals(s.format())) {
            throw new IOException(path + ": not an ae4j stream state");
        }
        if (s.formatVersion() > StreamState.VERSION) {
            throw new IOException(path + ": stream state format " + s.formatVersion()
                    + " is newer than this ae4j reads (" + StreamState.VERSION + ")");
        }
        return s;
    }

    /**
     * The fingerprint of a detector as stored in a state: SHA-256 of its input width, threshold
     * value and calibration scores.
     *
     * @param detector the detector
     * @return 64 hex digits
     */
    public static String fingerprint(AnomalyDetector detector) {
        return fingerprint(detector.model().inputSize(), detector.threshold().value(), detector.calibrationScores());
    }

    private static String fingerprint(long width, double threshold, double[] cal) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            ByteBuffer b = ByteBuffer.allocate(16 + 8 * cal.length);
            b.putLong(width);
            b.putDouble(threshold);
            for (double v : cal) {
                b.putDouble(v);
            }
            return HexFormat.of().formatHex(md.digest(b.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
