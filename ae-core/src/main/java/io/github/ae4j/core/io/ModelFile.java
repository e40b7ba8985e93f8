package io.github.ae4j.core.io;

import com.fasterxml.jackson.core.type.TypeReference;
import io.github.ae4j.core.Ae4j;
import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.ModelInfo;
import io.github.ae4j.core.Normalizer;
import io.github.ae4j.core.data.DataKind;
import io.github.ae4j.core.data.TabularSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
 *   <li>further entries added by modules (e.g. {@code detector.json}).</li>
 * </ul>
 *
 * <p>Reading is safe on untrusted files, unlike DL4J's {@code ModelSerializer}: no Java
 * deserialisation of any kind; only entries listed in the manifest are accepted, and a file with any
 * other entry (such as DL4J's {@code preprocessor.bin}), an absolute path or {@code ..} in a name is
 * refused; every entry is inflated with a size cap (the size the manifest states, itself capped),
 * and its checksum is verified; the weights are read as exactly as many numbers as the graph
 * configuration needs. Writing is atomic ({@link AtomicFiles}).
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

    /** Largest manifest accepted. */
    static final long MAX_MANIFEST = 1L << 20;
    /** Largest JSON entry accepted. */
    static final long MAX_JSON = 256L << 20;
    /** Largest binary entry accepted. */
    static final long MAX_BINARY = Integer.MAX_VALUE - 64;
    /** Most entries accepted. */
    static final int MAX_ENTRIES = 64;

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
            entries.put(e.getKey(), e.getValue());
        }
        Map<String, ManifestEntry> listed = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            listed.put(e.getKey(), new ManifestEntry(e.getValue().length, sha256(e.getValue())));
        }
        byte[] manifest = Json.MAPPER.writeValueAsBytes(
                new Manifest(FORMAT, Ae4j.FORMAT_VERSION, Ae4j.VERSION, listed));
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
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toString(), null, "no such model file");
        }
        try (ZipFile zip = open(path)) {
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
                throw new ModelFormatException(path, "not an ae4j model file (no " + MANIFEST + ")");
            }
            Manifest manifest;
            try {
                manifest = Json.MAPPER.readValue(inflate(zip, me, MAX_MANIFEST, path), Manifest.class);
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                throw new ModelFormatException(path, "unreadable " + MANIFEST + ": " + e.getOriginalMessage(), e);
            }
            if (manifest == null || !FORMAT.equals(manifest.format()) || manifest.entries() == null) {
                throw new ModelFormatException(path, "not an ae4j model file (manifest format '"
                        + (manifest == null ? null : manifest.format()) + "')");
            }
            if (manifest.formatVersion() > Ae4j.FORMAT_VERSION) {
                throw new ModelFormatException(path, "model format version " + manifest.formatVersion()
                        + " was written by ae4j " + manifest.ae4jVersion() + " and is newer than this ae4j ("
                        + Ae4j.VERSION + ") supports (" + Ae4j.FORMAT_VERSION + "): upgrade ae4j");
            }
            if (manifest.formatVersion() < 1) {
                throw new ModelFormatException(path, "invalid format version " + manifest.formatVersion());
            }
            for (String n : byName.keySet()) {
                if (!n.equals(MANIFEST) && !manifest.entries().containsKey(n)) {
                    throw new ModelFormatException(path, "refusing unlisted entry '" + n + "'");
                }
            }
            Map<String, byte[]> data = new LinkedHashMap<>();
            for (Map.Entry<String, ManifestEntry> e : manifest.entries().entrySet()) {
                String n = e.getKey();
                ManifestEntry m = e.getValue();
                ZipEntry ze = byName.get(n);
                if (ze == null || m == null) {
                    throw new ModelFormatException(path, "entry '" + n + "' listed in the manifest is missing");
                }
                long cap = n.endsWith(".json") ? MAX_JSON : MAX_BINARY;
                if (m.size() < 0 || m.size() > cap) {
                    throw new ModelFormatException(path, "entry '" + n + "' declares " + m.size()
                            + " bytes, more than the limit of " + cap);
                }
                byte[] b = inflate(zip, ze, m.size(), path);
                if (b.length != m.size() || !sha256(b).equals(m.sha256())) {
                    throw new ModelFormatException(path, "entry '" + n + "' is corrupt (size or checksum mismatch)");
                }
                data.put(n, b);
            }
            return decode(path, data);
        }
    }

    private static ZipFile open(Path path) throws IOException {
        try {
            return new ZipFile(path.toFile());
        } catch (ZipException | java.io.EOFException e) {
            // a damaged end-of-archive record can make the JDK read past the end of the file (EOFException)
            throw new ModelFormatException(path, "not an ae4j model file, or truncated ("
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

    private static Contents decode(Path path, Map<String, byte[]> data) throws IOException {
        for (String required : new String[] {MODEL, GRAPH, PARAMS}) {
            if (!data.containsKey(required)) {
                throw new ModelFormatException(path, "missing entry '" + required + "'");
            }
        }
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
        String graphJson = new String(data.remove(GRAPH), StandardCharsets.UTF_8);
        java.util.Optional<String> refused = io.github.ae4j.core.plugin.Architectures.checkLoadable(
                mj.info().spec(), graphJson, mj.info().lossClass());
        if (refused.isPresent()) {
            throw new ModelFormatException(path, refused.get());
        }
        ComputationGraphConfiguration conf;
        try {
            conf = ComputationGraphConfiguration.fromJson(graphJson);
        } catch (RuntimeException e) {
            throw new ModelFormatException(path, "invalid graph configuration (" + rootMessage(e)
                    + "); a model with custom layers needs their module (e.g. ae-variational) on the class path", e);
        }
        if (conf == null || conf.getVertices() == null || conf.getNetworkInputs() == null || conf.getVertices().isEmpty()) {
            throw new ModelFormatException(path, "invalid graph configuration: no vertices");
        }
        ComputationGraph graph;
        try {
            graph = new ComputationGraph(conf);
            long expected = conf.getVertices().values().stream().mapToLong(v -> v.numParams(true)).sum();
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
        return new Contents(model, data);
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
            a = Nd4j.createFromArray(d);
        } else {
            float[] f = new float[(int) n];
            bb.asFloatBuffer().get(f);
            a = Nd4j.createFromArray(f);
        }
        a = a.reshape(1, n);
        return a.dataType() == want ? a : a.castTo(want);
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
