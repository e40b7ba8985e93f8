package io.github.ae4j.core;

import com.fasterxml.jackson.core.type.TypeReference;
import io.github.ae4j.core.Ae4j;
import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.ModelInfo;
import io.github.ae4j.core.ModelLoadCheck;
import io.github.ae4j.core.Normalizer;
import io.github.ae4j.core.data.DataKind;
import io.github.ae4j.core.data.TabularSchema;
import io.github.ae4j.core.io.AtomicFiles;
import io.github.ae4j.core.io.InputFiles;
import io.github.ae4j.core.internal.Json;
import io.github.ae4j.core.io.ModelFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ae4j model file: one zip holding
 * <ul>
 *   <li>{@code manifest.json}: format name and version, and the size and SHA-256 of every other entry;</li>
 *   <li>{@code model.json}: {@link ModelInfo} and the {@link Normalizer};</li>
 *   <li>{@code graph.json}: DL4J's graph configuration (the durable form of the architecture);</li>
 *   <li>{@code params.bin} and {@code updater.bin}: weights and optimiser state, raw little-endian
 *       numbers behind a small header;</li>
 *   <li>{@code schema.json} (optional): the tabular schema;</li>
 *   <li>further entries written by modules, each in the list below (e.g. {@code detector.json}).</li>
 * </ul>
 *
 * <h2>What a model file may hold: one list</h2>
 * {@link #entryRules()} is the one list of the entry names a model file may hold, each with its size
 * cap ({@link SizeCap}); {@link #FORMAT_VERSION} is the format version, in the same place. A file
 * with any other entry name is refused before anything is inflated. The caps:
 * <ul>
 *   <li>JSON entries: {@link #MAX_JSON} bytes each (the manifest {@link #MAX_MANIFEST});</li>
 *   <li>{@code params.bin}: derived from the graph: its parameter count (computed from
 *       {@code graph.json} without allocating anything) times the width of its number type, plus the
 *       header; the parameter count itself is at most {@link #MAX_PARAMETERS} and must fit the memory
 *       this JVM and ND4J may use;</li>
 *   <li>{@code updater.bin}: {@value #UPDATER_STATE_PER_PARAMETER} numbers per parameter at most;</li>
 *   <li>all entries together: the sum of those caps, and never more than {@link #MAX_TOTAL}.</li>
 * </ul>
 * A cap is checked before an entry is inflated (against the size the manifest declares) and again
 * while it is inflated (bytes are counted and inflating stops at the cap: the declared size is not
 * trusted).
 *
 * <p><b>Other ae4j files in the same container.</b> A stream state (ae-anomaly) is written with
 * {@link #writeContainer} and read with {@link #readContainer}: the same zip, manifest, checksums,
 * caps, allowed names (its entries are in the same list) and atomic write, under its own format name
 * and version, so a state file is never taken for a model file or the reverse.
 *
 * <p><b>Adding an entry</b> (for the helpers and issues that extend the format): add one line to the
 * list in this class ({@code RULES.put("name.json", SizeCap.json())}, or your own {@link SizeCap}),
 * bump {@link #FORMAT_VERSION}, and write the entry with {@link #write(Path, Autoencoder, Map)}'s
 * {@code extras}. The list is compiled in, not registered at run time by the module that writes the
 * entry, so that any build of ae4j reads every file it or an older build wrote, whatever modules are
 * loaded. Writing an entry that is not in the list fails ({@link IllegalArgumentException}).
 *
 * <h2>Reading is safe on untrusted files</h2>
 * Unlike DL4J's {@code ModelSerializer}: no Java deserialisation of any kind; only listed entries
 * (an absolute path or {@code ..} in a name is refused); sizes capped as above; checksums verified; the
 * weights read as exactly as many numbers as the graph configuration needs, every one finite; and
 * the assembled model must pass a forward pass on one row of zeros giving finite reconstructions of
 * the right width (so a graph whose layer sizes do not fit together is refused at load, naming the
 * file, not at the first scoring). Writing is atomic ({@link AtomicFiles}).
 */
public final class ModelFile {

    /** Format name in the manifest. */
    public static final String FORMAT = "ae4j-model";
    /** Manifest entry. */
    public static final String MANIFEST = "manifest.json";
    /** Metadata entry. */
    public static final String MODEL = "model.json";
    /** Graph configuration entry. */
    public static final String GRAPH = "graph.json";
    /** Weights entry. */
    public static final String PARAMS = "params.bin";
    /** Optimiser state entry. */
    public static final String UPDATER = "updater.bin";
    /** Tabular schema entry. */
    public static final String SCHEMA = "schema.json";

    /** The model-file format version this build writes (and the newest it reads). */
    public static final int FORMAT_VERSION = 2;
    /** Most ensemble members a detector file may hold (ae-anomaly, format 2). */
    public static final int MAX_DETECTOR_MEMBERS = 16;
    /** Cap of one detector reference-codes entry (format 2): 64 MiB. */
    public static final long MAX_DETECTOR_CODES = 64L << 20;
    /** Detector settings entry (ae-anomaly). */
    public static final String DETECTOR = "detector.json";
    /**
     * A streaming detector's state (ae-anomaly {@code StreamingDetector}): SPOT's peaks and GPD fit,
     * DSPOT's window, counters, rows consumed. Held by stream state files (format
     * {@code ae4j-stream-state}, written with {@link #writeContainer}); no build writes it into a model
     * file, so the model format version did not change for it.
     */
    public static final String STREAM_STATE = "stream-state.json";
    /**
     * The rows a stream needs to continue besides its state (e.g. the last window - 1 rows of a window
     * model), in stream state files: JSON, capped at {@link #MAX_JSON}.
     */
    public static final String STREAM_CONTEXT = "stream-context.json";
    /** Cap of the stream state entry: 64 MiB (SPOT's peaks and DSPOT's window, at most 10^6 numbers each). */
    public static final long MAX_STREAM_STATE = 64L << 20;

    /** Largest manifest accepted. */
    public static final long MAX_MANIFEST = 1L << 20;
    /** Largest JSON entry accepted. */
    public static final long MAX_JSON = 16L << 20;
    /** Most parameters a model file may declare (1 GiB of floats). */
    public static final long MAX_PARAMETERS = 1L << 28;
    /** Most optimiser-state numbers per parameter (Adam keeps 2, AMSGrad 3). */
    public static final int UPDATER_STATE_PER_PARAMETER = 4;
    /** Most bytes all entries may inflate to together. */
    public static final long MAX_TOTAL = 6L << 30;
    /** Most entries accepted. */
    static final int MAX_ENTRIES = 64;
    /** Bytes before the numbers of an array entry: magic, type code, count. */
    static final int ARRAY_HEADER = 8 + 1 + 8;

    /**
     * The size cap of one entry, from what the graph configuration says the model is.
     */
    @FunctionalInterface
    public interface SizeCap {
        /**
         * The cap.
         *
         * @param parameters  the graph's parameter count
         * @param numberWidth bytes per number of the graph's data type (4 or 8)
         * @return the most bytes the entry may inflate to
         */
        long maxBytes(long parameters, int numberWidth);

        /** @return the cap of a JSON entry, {@link #MAX_JSON} */
        static SizeCap json() {
            return (p, w) -> MAX_JSON;
        }
    }

    private static final Map<String, SizeCap> RULES;

    static {
        Map<String, SizeCap> r = new LinkedHashMap<>();
        // The one list of what a model file may hold. Adding an entry: one line here, and bump FORMAT_VERSION.
        r.put(MANIFEST, (p, w) -> MAX_MANIFEST);
        r.put(MODEL, SizeCap.json());
        r.put(GRAPH, SizeCap.json());
        r.put(SCHEMA, SizeCap.json());
        r.put(PARAMS, (p, w) -> ARRAY_HEADER + p * 8);      // doubles allowed for any graph type: cast on load
        r.put(UPDATER, (p, w) -> ARRAY_HEADER + p * 8 * UPDATER_STATE_PER_PARAMETER);
        r.put(DETECTOR, SizeCap.json());
        // format 2 (issue 14): a detector's further ensemble members (float32 weights of the main graph's
        // architecture: a 16-byte header + 4 bytes a parameter) and each member's reference codes
        for (int m = 0; m < MAX_DETECTOR_MEMBERS; m++) {
            if (m > 0) {
                r.put("detector-member-" + m + ".bin", (p, w) -> 16 + p * 4);
            }
            r.put("detector-codes-" + m + ".bin", (p, w) -> MAX_DETECTOR_CODES);
        }
        // stream state files (issue 17): the same container, a manifest of format ae4j-stream-state and these entries
        r.put(STREAM_STATE, (p, w) -> MAX_STREAM_STATE);
        r.put(STREAM_CONTEXT, SizeCap.json());
        RULES = Collections.unmodifiableMap(r);
    }

    /**
     * The one list of entry names a model file may hold, each with its size cap (see the class
     * description).
     *
     * @return the names and caps, in file order
     */
    public static Map<String, SizeCap> entryRules() {
        return RULES;
    }

    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final byte[] PARAM_MAGIC = "AE4JARR1".getBytes(StandardCharsets.US_ASCII);

    private ModelFile() {
    }

    /** What a model file holds: the model, and any further entries modules stored with it. */
    public static final class Contents {
        private final Autoencoder model;
        private final Map<String, byte[]> extras;

        Contents(Autoencoder model, Map<String, byte[]> extras) {
            this.model = model;
            this.extras = extras;
        }

        /** @return the model */
        public Autoencoder model() {
            return model;
        }

        /**
         * A further entry.
         *
         * @param name the entry name
         * @return its bytes, if present
         */
        public Optional<byte[]> entry(String name) {
            byte[] b = extras.get(name);
            return b == null ? Optional.empty() : Optional.of(b.clone());
        }
    }

    private record ManifestEntry(long size, String sha256) {
    }

    private record Manifest(String format, int formatVersion, String ae4jVersion, Map<String, ManifestEntry> entries) {
    }

    /** {@code data} (the kind of data, since 0.2) is absent from older files: it is then inferred. */
    private record ModelJson(ModelInfo info, Normalizer normalizer, DataKind data) {
    }

    /**
     * Writes a model file atomically.
     *
     * @param path   the file
     * @param model  the model
     * @param extras further entries (names: letters, digits, dot, dash, underscore)
     * @throws IOException on failure (the previous file is untouched)
     */
    public static void write(Path path, Autoencoder model, Map<String, byte[]> extras) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(model, "model");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(MODEL, Json.MAPPER.writeValueAsBytes(new ModelJson(model.info(), model.normalizer(), model.data())));
        ComputationGraph g = model.sharedGraph();
        synchronized (g) {
            entries.put(GRAPH, g.getConfiguration().toJson().getBytes(StandardCharsets.UTF_8));
            entries.put(PARAMS, encode(g.params()));
            INDArray state = g.getUpdater() == null ? null : g.getUpdater().getStateViewArray();
            if (state != null && state.length() > 0) {
                entries.put(UPDATER, encode(state));
            }
        }
        if (model.schema().isPresent()) {
            entries.put(SCHEMA, Json.MAPPER.writeValueAsBytes(model.schema().get()));
        }
        for (Map.Entry<String, byte[]> e : extras.entrySet()) {
            if (!SAFE_NAME.matcher(e.getKey()).matches() || entries.containsKey(e.getKey())
                    || e.getKey().equals(MANIFEST)) {
                throw new IllegalArgumentException("invalid or reserved entry name '" + e.getKey() + "'");
            }
            if (!RULES.containsKey(e.getKey())) {
                throw new IllegalArgumentException("entry '" + e.getKey() + "' is not in the list of what a model"
                        + " file may hold (ModelFile.entryRules): add it there and bump the format version");
            }
            entries.put(e.getKey(), e.getValue());
        }
        writeZip(path, FORMAT, FORMAT_VERSION, entries);
    }

    /** Writes a manifest (sizes and checksums of the entries) and the entries, atomically. */
    private static void writeZip(Path path, String format, int formatVersion, Map<String, byte[]> entries)
            throws IOException {
        Map<String, ManifestEntry> listed = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            listed.put(e.getKey(), new ManifestEntry(e.getValue().length, sha256(e.getValue())));
        }
        byte[] manifest = Json.MAPPER.writeValueAsBytes(new Manifest(format, formatVersion, Ae4j.VERSION, listed));
        AtomicFiles.write(path, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            put(zip, MANIFEST, manifest);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                put(zip, e.getKey(), e.getValue());
            }
            zip.finish();
        });
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTime(0L);
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    /**
     * Reads a model file, safely (see the class description).
     *
     * @param path the file
     * @return the model and further entries
     * @throws ModelFormatException when the file is not a valid ae4j model file
     * @throws IOException          on I/O failure
     */
    public static Contents read(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        InputFiles.requireReadableFile(path, "model file");
        try (ZipFile zip = open(path)) {
            Checked checked = checkEntries(zip, path, FORMAT, FORMAT_VERSION, RULES.keySet(), "model file");
            Map<String, ZipEntry> byName = checked.byName();
            Manifest manifest = checked.manifest();
            // graph.json first: it says how large the weights may be
            Map<String, byte[]> data = new LinkedHashMap<>();
            long[] total = {0};
            ManifestEntry gm = manifest.entries().get(GRAPH);
            if (gm == null) {
                throw new ModelFormatException(path, "missing entry '" + GRAPH + "'");
            }
            data.put(GRAPH, entry(zip, byName.get(GRAPH), gm, MAX_JSON, total, path));
            ComputationGraphConfiguration conf = parseGraph(path, data.get(GRAPH));
            checkLayerSizes(path, conf);
            long parameters = parameterCount(path, conf);
            int width = conf.getDataType() == DataType.DOUBLE ? 8 : 4;
            for (Map.Entry<String, ManifestEntry> e : manifest.entries().entrySet()) {
                String n = e.getKey();
                if (!n.equals(GRAPH)) {
                    long cap = RULES.get(n).maxBytes(parameters, width);
                    data.put(n, entry(zip, byName.get(n), e.getValue(), cap, total, path));
                }
            }
            return decode(path, data, conf, parameters);
        }
    }

    /** The entries of a checked container, by name, and its manifest. */
    private record Checked(Map<String, ZipEntry> byName, Manifest manifest) {
    }

    /**
     * The checks every ae4j container gets before an entry other than the manifest is inflated:
     * plain, unique entry names, at most {@link #MAX_ENTRIES}, each in {@code allowed}; a manifest of
     * the expected format name and a version this build reads, listing exactly the entries present.
     */
    private static Checked checkEntries(ZipFile zip, Path path, String format, int maxVersion,
                                        java.util.Set<String> allowed, String what) throws IOException {
        Map<String, ZipEntry> byName = new LinkedHashMap<>();
        Enumeration<? extends ZipEntry> en = zip.entries();
        for (ZipEntry e : Collections.list(en)) {
            String n = e.getName();
            if (!SAFE_NAME.matcher(n).matches() || n.contains("..")) {
                throw new ModelFormatException(path, "refusing entry '" + n
                        + "': entry names must be plain file names (no folders, absolute paths or '..')");
            }
            if (byName.put(n, e) != null) {
                throw new ModelFormatException(path, "duplicate entry '" + n + "'");
            }
            if (byName.size() > MAX_ENTRIES) {
                throw new ModelFormatException(path, "more than " + MAX_ENTRIES + " entries");
            }
        }
        ZipEntry me = byName.get(MANIFEST);
        if (me == null) {
            throw new ModelFormatException(path, "not an ae4j " + what + " (no " + MANIFEST + ")");
        }
        for (String n : byName.keySet()) {
            if (!allowed.contains(n) || !RULES.containsKey(n)) {
                // another kind of ae4j container (a model file given as a state, or the reverse) is named as such
                Manifest other = null;
                try {
                    other = Json.MAPPER.readValue(inflate(zip, me, MAX_MANIFEST, path), Manifest.class);
                } catch (IOException | RuntimeException e) {
                    // unreadable: the entry is refused below
                }
                if (other != null && other.format() != null && !format.equals(other.format())) {
                    throw new ModelFormatException(path, "not an ae4j " + what + ": its manifest says '"
                            + other.format() + "'");
                }
                throw new ModelFormatException(path, "refusing entry '" + n + "': a " + what + " holds only "
                        + String.join(", ", allowed));
            }
        }
        Manifest manifest;
        try {
            manifest = Json.MAPPER.readValue(inflate(zip, me, MAX_MANIFEST, path), Manifest.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new ModelFormatException(path, "unreadable " + MANIFEST + ": " + e.getOriginalMessage(), e);
        }
        if (manifest == null || !format.equals(manifest.format()) || manifest.entries() == null) {
            throw new ModelFormatException(path, "not an ae4j " + what + " (manifest format '"
                    + (manifest == null ? null : manifest.format()) + "')");
        }
        if (manifest.formatVersion() > maxVersion) {
            throw new ModelFormatException(path, what.replace(" file", "") + " format version "
                    + manifest.formatVersion() + " was written by ae4j " + manifest.ae4jVersion()
                    + " and is newer than this ae4j (" + Ae4j.VERSION + ") supports (" + maxVersion + "): upgrade ae4j");
        }
        if (manifest.formatVersion() < 1) {
            throw new ModelFormatException(path, "invalid format version " + manifest.formatVersion());
        }
        for (String n : byName.keySet()) {
            if (!n.equals(MANIFEST) && !manifest.entries().containsKey(n)) {
                throw new ModelFormatException(path, "refusing unlisted entry '" + n + "'");
            }
        }
        for (Map.Entry<String, ManifestEntry> e : manifest.entries().entrySet()) {
            if (e.getValue() == null || byName.get(e.getKey()) == null) {
                throw new ModelFormatException(path, "entry '" + e.getKey() + "' listed in the manifest is missing");
            }
        }
        return new Checked(byName, manifest);
    }

    /**
     * Writes an ae4j container that is not a model file (e.g. a stream state): the same zip as a model
     * file, with a manifest naming {@code format} and {@code formatVersion} and the size and SHA-256 of
     * every entry, written atomically ({@link AtomicFiles}). Every entry name must be in
     * {@link #entryRules()}.
     *
     * @param path          the file
     * @param format        the container's format name (not {@link #FORMAT})
     * @param formatVersion its version, at least 1
     * @param entries       the entries, by name
     * @throws IOException on failure (the previous file is untouched)
     * @throws IllegalArgumentException when a name is not in the list or an entry is over its cap
     */
    public static void writeContainer(Path path, String format, int formatVersion, Map<String, byte[]> entries)
            throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(entries, "entries");
        if (FORMAT.equals(format) || formatVersion < 1) {
            throw new IllegalArgumentException("a container other than a model file needs its own format name and a"
                    + " version >= 1, got '" + format + "' " + formatVersion);
        }
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            String n = e.getKey();
            if (n.equals(MANIFEST) || !RULES.containsKey(n)) {
                throw new IllegalArgumentException("entry '" + n + "' is not in the list of what an ae4j file may hold"
                        + " (ModelFile.entryRules)");
            }
            if (e.getValue().length > RULES.get(n).maxBytes(0, 4)) {
                throw new IllegalArgumentException("entry '" + n + "' of " + e.getValue().length
                        + " bytes is over its cap of " + RULES.get(n).maxBytes(0, 4));
            }
        }
        writeZip(path, format, formatVersion, entries);
    }

    /**
     * Reads an ae4j container written by {@link #writeContainer}, as safely as a model file: only the
     * names in {@code allowed} (each also in {@link #entryRules()}), each inflated within its cap,
     * sizes and checksums verified against the manifest, the format name and version checked.
     *
     * @param path       the file
     * @param format     the expected format name
     * @param maxVersion the newest version the caller reads
     * @param allowed    the entry names this kind of container may hold (the manifest is implied)
     * @param what       what the file is, for messages (e.g. "stream state file")
     * @return the entries, by name (the manifest left out)
     * @throws ModelFormatException when the file is not a valid container of that format
     * @throws IOException          on I/O failure
     */
    public static Map<String, byte[]> readContainer(Path path, String format, int maxVersion,
                                                    java.util.Set<String> allowed, String what) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(format, "format");
        java.util.Set<String> names = new java.util.LinkedHashSet<>(allowed);
        names.add(MANIFEST);
        InputFiles.requireReadableFile(path, what);
        try (ZipFile zip = open(path, what)) {
            Checked checked = checkEntries(zip, path, format, maxVersion, names, what);
            Map<String, byte[]> data = new LinkedHashMap<>();
            long[] total = {0};
            for (Map.Entry<String, ManifestEntry> e : checked.manifest().entries().entrySet()) {
                String n = e.getKey();
                data.put(n, entry(zip, checked.byName().get(n), e.getValue(), RULES.get(n).maxBytes(0, 4), total, path));
            }
            return data;
        }
    }

    /** Inflates one entry within its cap (checked on the declared size first, then while inflating). */
    private static byte[] entry(ZipFile zip, ZipEntry ze, ManifestEntry m, long cap, long[] total, Path path)
            throws IOException {
        String n = ze.getName();
        if (m.size() < 0 || m.size() > cap) {
            throw new ModelFormatException(path, "entry '" + n + "' declares " + m.size()
                    + " bytes, more than its limit of " + cap + " bytes");
        }
        if (total[0] + m.size() > MAX_TOTAL) {
            throw new ModelFormatException(path, "the entries declare more than " + MAX_TOTAL + " bytes in all");
        }
        byte[] b = inflate(zip, ze, m.size(), path);
        total[0] += b.length;
        if (b.length != m.size() || m.sha256() == null || !sha256(b).equals(m.sha256())) {
            throw new ModelFormatException(path, "entry '" + n + "' is corrupt (size or checksum mismatch)");
        }
        return b;
    }

    /**
     * The registered {@link ModelLoadCheck}s (ae-core registers the plugin registry's); with none registered,
     * loading is refused: it never goes on unchecked.
     */
    private static java.util.List<ModelLoadCheck> loadChecks(Path path) throws ModelFormatException {
        java.util.List<ModelLoadCheck> checks = new java.util.ArrayList<>();
        java.util.ServiceLoader.load(ModelLoadCheck.class, ModelFile.class.getClassLoader()).forEach(checks::add);
        if (checks.isEmpty()) {
            throw new ModelFormatException(path, "no model load check is registered (ae-core's"
                    + " META-INF/services/io.github.ae4j.core.ModelLoadCheck is missing from the class path):"
                    + " refusing to load");
        }
        return checks;
    }

    private static ComputationGraphConfiguration parseGraph(Path path, byte[] json) throws ModelFormatException {
        String text = new String(json, StandardCharsets.UTF_8);
        // no class named by the file is created unless DL4J, ND4J, ae-core or a registered plugin vouches for it
        for (ModelLoadCheck check : loadChecks(path)) {
            java.util.Optional<String> refused = check.checkGraph(text);
            if (refused.isPresent()) {
                throw new ModelFormatException(path, refused.get());
            }
        }
        ComputationGraphConfiguration conf;
        try {
            conf = ComputationGraphConfiguration.fromJson(text);
        } catch (RuntimeException e) {
            throw new ModelFormatException(path, "invalid graph configuration (" + rootMessage(e)
                    + "); a model with custom layers needs their module (e.g. ae-variational) on the class path", e);
        }
        if (conf == null || conf.getVertices() == null || conf.getNetworkInputs() == null || conf.getVertices().isEmpty()) {
            throw new ModelFormatException(path, "invalid graph configuration: no vertices");
        }
        return conf;
    }

    /**
     * Every dense-to-dense connection agrees on its size: a layer's nIn is the nOut of the layer it
     * reads (other vertex kinds are held to the forward pass at the end of loading).
     */
    private static void checkLayerSizes(Path path, ComputationGraphConfiguration conf) throws ModelFormatException {
        Map<String, java.util.List<String>> inputs = conf.getVertexInputs();
        for (Map.Entry<String, org.deeplearning4j.nn.conf.graph.GraphVertex> e : conf.getVertices().entrySet()) {
            FeedForwardLayer f = feedForward(e.getValue());
            java.util.List<String> in = inputs == null ? null : inputs.get(e.getKey());
            if (f == null || in == null || in.size() != 1
                    || ((org.deeplearning4j.nn.conf.graph.LayerVertex) e.getValue()).getPreProcessor() != null) {
                continue;
            }
            FeedForwardLayer g = feedForward(conf.getVertices().get(in.get(0)));
            if (g != null && g.getNOut() > 0 && f.getNIn() > 0 && f.getNIn() != g.getNOut()) {
                throw new ModelFormatException(path, "inconsistent graph: layer '" + e.getKey() + "' takes " + f.getNIn()
                        + " inputs but layer '" + in.get(0) + "' gives " + g.getNOut());
            }
        }
    }

    private static FeedForwardLayer feedForward(org.deeplearning4j.nn.conf.graph.GraphVertex v) {
        if (v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv && lv.getLayerConf() != null
                && lv.getLayerConf().getLayer() instanceof FeedForwardLayer f
                && (f.getClass().getName().startsWith("org.deeplearning4j.nn.conf.layers.")
                    || f.getClass() == io.github.ae4j.core.layers.NativeDense.class)) {   // DL4J's dense sizes
            return f;
        }
        return null;
    }

    /**
     * The graph's parameter count, computed from its configuration without allocating anything, and
     * checked against {@link #MAX_PARAMETERS} and the memory this JVM and ND4J may use.
     */
    private static long parameterCount(Path path, ComputationGraphConfiguration conf) throws ModelFormatException {
        long n = 0;
        try {
            for (Map.Entry<String, org.deeplearning4j.nn.conf.graph.GraphVertex> v : conf.getVertices().entrySet()) {
                long k = v.getValue().numParams(true);
                if (k < 0 || k > MAX_PARAMETERS) {
                    throw new ModelFormatException(path, "layer '" + v.getKey() + "' declares " + k
                            + " parameters, more than the limit of " + MAX_PARAMETERS);
                }
                n += k;
            }
        } catch (ModelFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ModelFormatException(path, "invalid graph configuration: " + rootMessage(e), e);
        }
        if (n > MAX_PARAMETERS) {
            throw new ModelFormatException(path, "the graph declares " + n + " parameters, more than the limit of "
                    + MAX_PARAMETERS);
        }
        // loading holds the weights about twice on the heap (bytes, numbers) and ND4J holds weights,
        // gradients and optimiser state off-heap
        long heapNeed = n * 8 * 2;
        long offHeapNeed = n * 8 * (2 + UPDATER_STATE_PER_PARAMETER);
        long heap = Runtime.getRuntime().maxMemory();
        long offHeap = org.bytedeco.javacpp.Pointer.maxBytes();
        if (heapNeed > heap || (offHeap > 0 && offHeapNeed > offHeap)) {
            throw new ModelFormatException(path, "the graph declares " + n + " parameters, more than fit in this "
                    + "JVM's memory (heap " + (heap >> 20) + " MiB, ND4J off-heap " + (offHeap >> 20)
                    + " MiB): give Java more memory (-Xmx, -Dorg.bytedeco.javacpp.maxbytes) if the file is genuine");
        }
        return n;
    }

    private static ZipFile open(Path path) throws IOException {
        return open(path, "model file");
    }

    private static ZipFile open(Path path, String what) throws IOException {
        try {
            return new ZipFile(path.toFile());
        } catch (ZipException | java.io.EOFException e) {
            // a damaged end-of-archive record can make the JDK read past the end of the file (EOFException)
            throw new ModelFormatException(path, "not an ae4j " + what + ", or truncated ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")", e);
        }
    }

    private static byte[] inflate(ZipFile zip, ZipEntry e, long cap, Path path) throws IOException {
        try (InputStream in = zip.getInputStream(e)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(cap, 1 << 20));
            byte[] buf = new byte[1 << 16];
            long total = 0;
            int r;
            while ((r = in.read(buf)) > 0) {
                total += r;
                if (total > cap) {
                    throw new ModelFormatException(path, "entry '" + e.getName()
                            + "' inflates to more than its declared or allowed size (" + cap + " bytes)");
                }
                out.write(buf, 0, r);
            }
            return out.toByteArray();
        } catch (ZipException | java.io.EOFException ex) {
            throw new ModelFormatException(path, "entry '" + e.getName() + "' is corrupt or truncated"
                    + (ex.getMessage() != null ? ": " + ex.getMessage() : ""), ex);
        }
    }

    private static Contents decode(Path path, Map<String, byte[]> data, ComputationGraphConfiguration conf,
                                   long expected) throws IOException {
        for (String required : new String[] {MODEL, GRAPH, PARAMS}) {
            if (!data.containsKey(required)) {
                throw new ModelFormatException(path, "missing entry '" + required + "'");
            }
        }
        data.remove(GRAPH);
        ModelJson mj;
        TabularSchema schema = null;
        try {
            mj = Json.MAPPER.readValue(data.remove(MODEL), ModelJson.class);
            byte[] s = data.remove(SCHEMA);
            if (s != null) {
                schema = Json.MAPPER.readValue(s, TabularSchema.class);
            }
        } catch (com.fasterxml.jackson.core.JacksonException | IllegalArgumentException e) {
            throw new ModelFormatException(path, "invalid model metadata: " + e.getMessage(), e);
        }
        if (mj == null || mj.info() == null || mj.normalizer() == null) {
            throw new ModelFormatException(path, "invalid model metadata: missing info or normalizer");
        }
        for (ModelLoadCheck check : loadChecks(path)) {
            java.util.Optional<String> refused = check.checkModel(mj.info().spec(), mj.info().loss());
            if (refused.isPresent()) {
                throw new ModelFormatException(path, refused.get());
            }
        }
        ComputationGraph graph;
        try {
            graph = new ComputationGraph(conf);
            INDArray params = decodeArray(path, PARAMS, data.remove(PARAMS), expected, conf.getDataType());
            graph.init(params, false);
            byte[] up = data.remove(UPDATER);
            if (up != null) {
                INDArray state = graph.getUpdater().getStateViewArray();
                long n = state == null ? 0 : state.length();
                INDArray loaded = decodeArray(path, UPDATER, up, n, state == null ? conf.getDataType() : state.dataType());
                if (state != null) {
                    state.assign(loaded.reshape(state.shape()));
                }
            }
        } catch (ModelFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ModelFormatException(path, "cannot build the graph: " + rootMessage(e), e);
        }
        Autoencoder model;
        try {
            model = Autoencoder.restore(graph, mj.normalizer(), mj.info(), schema, mj.data());
        } catch (RuntimeException e) {
            throw new ModelFormatException(path, "inconsistent model: " + rootMessage(e), e);
        }
        checkForwardPass(path, model);
        return new Contents(model, data);
    }

    /**
     * One row of zeros through the whole model: a graph whose layer sizes do not fit together, or do
     * not give back as many values as it takes, is refused here rather than at the first scoring.
     */
    private static void checkForwardPass(Path path, Autoencoder model) throws ModelFormatException {
        int n = model.inputSize();
        if (n < 1) {
            throw new ModelFormatException(path, "inconsistent model: input size " + n);
        }
        INDArray err;
        try {
            err = model.reconstructionError(Nd4j.zeros(DataType.FLOAT, 1, n));
        } catch (RuntimeException e) {
            throw new ModelFormatException(path, "the graph does not compute on a row of " + n
                    + " inputs (its layer sizes do not fit together): " + rootMessage(e), e);
        }
        if (err.length() != 1 || !Double.isFinite(err.getDouble(0))) {
            throw new ModelFormatException(path, "the model gives a non-finite reconstruction error on a row of zeros"
                    + " (NaN or infinite values in its normalizer or weights)");
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c.getMessage();
        if (m != null && m.length() > 300) {
            m = m.substring(0, 300) + "...";
        }
        return c.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /**
     * Encodes an array as raw little-endian numbers: magic, type code, count, values.
     *
     * @param a the array
     * @return the bytes
     */
    static byte[] encode(INDArray a) {
        INDArray c = a.dup('c');
        DataType t = c.dataType();
        int width = t == DataType.DOUBLE ? 8 : 4;
        if (t != DataType.DOUBLE && t != DataType.FLOAT) {
            c = c.castTo(DataType.FLOAT);
            t = DataType.FLOAT;
        }
        long n = c.length();
        ByteBuffer bb = ByteBuffer.allocate(Math.toIntExact(PARAM_MAGIC.length + 1 + 8 + n * width))
                .order(ByteOrder.LITTLE_ENDIAN);
        bb.put(PARAM_MAGIC).put((byte) (t == DataType.DOUBLE ? 2 : 1)).putLong(n);
        if (t == DataType.DOUBLE) {
            bb.asDoubleBuffer().put(c.data().asDouble());
        } else {
            bb.asFloatBuffer().put(c.data().asFloat());
        }
        return bb.array();
    }

    private static INDArray decodeArray(Path path, String name, byte[] b, long expected, DataType want)
            throws ModelFormatException {
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        if (b.length < PARAM_MAGIC.length + 9) {
            throw new ModelFormatException(path, "entry '" + name + "' is truncated");
        }
        byte[] magic = new byte[PARAM_MAGIC.length];
        bb.get(magic);
        if (!java.util.Arrays.equals(magic, PARAM_MAGIC)) {
            throw new ModelFormatException(path, "entry '" + name + "' is not an ae4j array");
        }
        int type = bb.get();
        long n = bb.getLong();
        int width = type == 2 ? 8 : type == 1 ? 4 : -1;
        if (width < 0) {
            throw new ModelFormatException(path, "entry '" + name + "' has unknown number type " + type);
        }
        if (n != expected) {
            throw new ModelFormatException(path, "entry '" + name + "' holds " + n
                    + " numbers, the graph configuration needs " + expected);
        }
        if (bb.remaining() != n * width) {
            throw new ModelFormatException(path, "entry '" + name + "' is truncated or padded");
        }
        INDArray a;
        if (type == 2) {
            double[] d = new double[(int) n];
            bb.asDoubleBuffer().get(d);
            for (int i = 0; i < d.length; i++) {
                if (!Double.isFinite(d[i])) {
                    throw nonFinite(path, name, i, d[i]);
                }
            }
            a = Nd4j.createFromArray(d);
        } else {
            float[] f = new float[(int) n];
            bb.asFloatBuffer().get(f);
            for (int i = 0; i < f.length; i++) {
                if (!Float.isFinite(f[i])) {
                    throw nonFinite(path, name, i, f[i]);
                }
            }
            a = Nd4j.createFromArray(f);
        }
        a = a.reshape(1, n);
        return a.dataType() == want ? a : a.castTo(want);
    }

    private static ModelFormatException nonFinite(Path path, String name, int i, double v) {
        return new ModelFormatException(path, "entry '" + name + "' holds a non-finite number (" + v + " at index "
                + i + "): the model was saved from a diverged training and cannot be used");
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads JSON bytes stored as a further entry.
     *
     * @param bytes the entry
     * @param type  the type to read
     * @param <T>   the type
     * @return the value
     * @throws IOException when the JSON is invalid
     */
    public static <T> T readJson(byte[] bytes, Class<T> type) throws IOException {
        return Json.MAPPER.readValue(bytes, type);
    }

    /**
     * Reads a JSON map.
     *
     * @param bytes the entry
     * @return the map
     * @throws IOException when the JSON is invalid
     */
    public static Map<String, Object> readJsonMap(byte[] bytes) throws IOException {
        return Json.MAPPER.readValue(bytes, new TypeReference<Map<String, Object>>() { });
    }
}
