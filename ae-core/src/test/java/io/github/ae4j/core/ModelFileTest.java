package io.github.ae4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.ModelFile;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.io.AtomicFiles;
import io.github.ae4j.core.internal.Json;
import io.github.ae4j.core.io.ModelFormatException;
import io.github.ae4j.core.testing.Models;
import io.github.ae4j.core.testing.Synthetic;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {

    @TempDir
    static Path dir;
    static Path good;
    static Map<String, byte[]> entries;

    @BeforeAll
    static void saveOne() throws IOException {
        Autoencoder m = Autoencoder.fit(Models.dense(6, 5, 2), Synthetic.lowRank(200, 6, 2, 0.05, 3),
                TrainingConfig.defaults().withEpochs(1));
        good = dir.resolve("good.ae4j");
        m.save(good);
        entries = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(good.toFile())) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                entries.put(e.getName(), z.getInputStream(e).readAllBytes());
            }
        }
    }

    private static Path zip(String name, Map<String, byte[]> content) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(p); ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : content.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return p;
    }

    private static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static String message(Path p) {
        return assertThrows(IOException.class, () -> Autoencoder.load(p)).getMessage();
    }

    @Test
    void givenMissingFile_whenLoading_thenNoSuchFile() {
        assertThrows(NoSuchFileException.class, () -> Autoencoder.load(dir.resolve("absent.ae4j")));
    }

    @Test
    void givenTruncatedFile_whenLoading_thenClearError() throws IOException {
        byte[] all = Files.readAllBytes(good);
        for (int cut : new int[] {10, all.length / 2, all.length - 30}) {
            Path p = dir.resolve("cut" + cut + ".ae4j");
            Files.write(p, java.util.Arrays.copyOf(all, cut));
            String m = message(p);
            assertTrue(m.contains("truncated") || m.contains("corrupt") || m.contains("not an ae4j"), m);
        }
    }

    @Test
    void givenDamagedEndOfArchiveRecord_whenLoading_thenFormatErrorNotABareEof() throws IOException {
        // a non-zero comment length in the end-of-central-directory record (the file's last two
        // bytes) makes the JDK's ZipFile read past the end: a bare EOFException before the fix (found
        // by FuzzTest's byte mutants)
        byte[] m = Files.readAllBytes(good);
        m[m.length - 1] = 0x7f;
        Path p = dir.resolve("end-record.ae4j");
        Files.write(p, m);
        IOException e = assertThrows(IOException.class, () -> Autoencoder.load(p));
        assertTrue(e instanceof ModelFormatException, e.toString());
        assertTrue(e.getMessage().contains("not an ae4j model file, or truncated"), e.getMessage());
    }

    @Test
    void givenNotAModel_whenLoading_thenClearError() throws IOException {
        Path p = dir.resolve("notes.ae4j");
        Files.writeString(p, "this is not a model");
        assertTrue(message(p).contains("not an ae4j model file"));
        Path other = zip("other.zip", Map.of("hello.txt", "hi".getBytes(StandardCharsets.UTF_8)));
        assertTrue(message(other).contains("not an ae4j model file"));
    }

    @Test
    void givenPlantedSerializedObject_whenLoading_thenRefusedWithoutDeserializing() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ObjectOutputStream oos = new ObjectOutputStream(bos)) {
            oos.writeObject(new java.util.HashMap<>(Map.of("x", 1)));
        }
        Map<String, byte[]> evil = new LinkedHashMap<>(entries);
        evil.put("preprocessor.bin", bos.toByteArray());
        String m = message(zip("evil.ae4j", evil));
        assertTrue(m.contains("refusing entry 'preprocessor.bin': a model file holds only manifest.json, model.json"), m);
    }

    @Test
    void givenPathTraversalEntry_whenLoading_thenRefused() throws IOException {
        Map<String, byte[]> evil = new LinkedHashMap<>(entries);
        evil.put("../../etc/evil", new byte[] {1});
        assertTrue(message(zip("traversal.ae4j", evil)).contains("refusing entry '../../etc/evil'"));
        Map<String, byte[]> abs = new LinkedHashMap<>(entries);
        abs.put("/tmp/evil", new byte[] {1});
        assertTrue(message(zip("absolute.ae4j", abs)).contains("refusing entry '/tmp/evil'"));
    }

    @Test
    void givenZipBomb_whenLoading_thenInflationIsCapped() throws Exception {
        // params.bin replaced by 200 MB of zeros (compresses to ~200 KB) while the manifest says 409 bytes
        Map<String, byte[]> bomb = new LinkedHashMap<>(entries);
        bomb.put(ModelFile.PARAMS, new byte[200 << 20]);
        String m = message(zip("bomb.ae4j", bomb));
        assertTrue(m.contains("inflates to more than"), m);
        // and a manifest that declares a gigantic entry is refused before inflating anything
        String manifest = new String(entries.get(ModelFile.MANIFEST), StandardCharsets.UTF_8)
                .replaceFirst("\"size\" : \\d+", "\"size\" : 99999999999");
        Map<String, byte[]> huge = new LinkedHashMap<>(entries);
        huge.put(ModelFile.MANIFEST, manifest.getBytes(StandardCharsets.UTF_8));
        String h = message(zip("huge.ae4j", huge));
        assertTrue(h.contains("more than its limit"), h);
    }

    /** Replaces entries and rewrites the manifest's sizes and checksums, as a careful attacker would. */
    private static Path consistent(String name, Map<String, byte[]> replaced) throws Exception {
        Map<String, byte[]> t = new LinkedHashMap<>(entries);
        t.putAll(replaced);
        com.fasterxml.jackson.databind.node.ObjectNode manifest =
                (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(entries.get(ModelFile.MANIFEST));
        com.fasterxml.jackson.databind.node.ObjectNode listed =
                (com.fasterxml.jackson.databind.node.ObjectNode) manifest.get("entries");
        for (Map.Entry<String, byte[]> e : replaced.entrySet()) {
            listed.putObject(e.getKey()).put("size", e.getValue().length).put("sha256", sha(e.getValue()));
        }
        t.put(ModelFile.MANIFEST, Json.MAPPER.writeValueAsBytes(manifest));
        return zip(name, t);
    }

    @Test
    void givenRechecksummedBomb_whenLoading_thenRefusedBeforeInflatingByTheCapDerivedFromTheGraph() throws Exception {
        // 64 MB of zeros for params.bin (64 KB compressed), the manifest's size and checksum made to match
        String m = message(consistent("rebomb.ae4j", Map.of(ModelFile.PARAMS, new byte[64 << 20])));
        // the cap: the graph's 98 parameters (6-5-2-5-6 dense: 35 + 12 + 15 + 36) as doubles, plus the header
        assertTrue(m.endsWith("more than its limit of " + (ModelFile.ARRAY_HEADER + 98 * 8) + " bytes"), m);
        assertTrue(m.contains("entry 'params.bin' declares " + (64 << 20) + " bytes, more than its limit of"), m);
        // an unknown entry, even listed in the manifest with its checksum, is refused by name
        String u = message(consistent("extra.ae4j", Map.of("extra.bin", new byte[1 << 20])));
        assertTrue(u.contains("refusing entry 'extra.bin': a model file holds only"), u);
    }

    @Test
    void givenGraphWithChangedLayerSizesButTheSameParameterCount_whenLoading_thenRefusedAtLoad() throws Exception {
        // enc1 6 -> 5 (35 parameters) becomes 4 -> 7 (also 35): params.bin still has the right length
        com.fasterxml.jackson.databind.node.ObjectNode g =
                (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(entries.get(ModelFile.GRAPH));
        com.fasterxml.jackson.databind.node.ObjectNode layer = null;
        for (var it = g.get("vertices").fields(); it.hasNext(); ) {
            var v = it.next().getValue();
            var l = v.path("layerConf").path("layer");
            if (l.path("nin").asLong() == 6 && l.path("nout").asLong() == 5) {
                layer = (com.fasterxml.jackson.databind.node.ObjectNode) l;
            }
        }
        assertTrue(layer != null, "the 6 -> 5 layer");
        layer.put("nin", 4).put("nout", 7);
        String m = message(consistent("resized.ae4j", Map.of(ModelFile.GRAPH, Json.MAPPER.writeValueAsBytes(g))));
        assertTrue(m.matches(".*inconsistent graph: layer '\\w+' takes 5 inputs but layer '\\w+' gives 7"), m);
        // the first layer reading 5 of the 6 inputs, with weights of the right count for that: the zero-row
        // forward pass at load refuses it
        layer.put("nin", 5).put("nout", 5);
        byte[] params = ModelFile.encode(org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 93));
        byte[] updater = ModelFile.encode(org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT,
                1, 2 * 93));
        String f = message(consistent("narrow.ae4j", Map.of(ModelFile.GRAPH, Json.MAPPER.writeValueAsBytes(g),
                ModelFile.PARAMS, params, ModelFile.UPDATER, updater)));
        assertTrue(f.contains("the graph does not compute on a row of 6 inputs"), f);
    }

    @Test
    void givenNaNOrInfiniteWeights_whenLoading_thenRefusedNamingTheFile() throws Exception {
        byte[] p = entries.get(ModelFile.PARAMS).clone();
        java.nio.ByteBuffer.wrap(p).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(ModelFile.ARRAY_HEADER + 4 * 3, Float.NaN);
        Path nan = consistent("nan.ae4j", Map.of(ModelFile.PARAMS, p));
        String m = message(nan);
        assertTrue(m.startsWith(nan.toString() + ": entry 'params.bin' holds a non-finite number (NaN at index 3)"), m);
        java.nio.ByteBuffer.wrap(p).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putFloat(ModelFile.ARRAY_HEADER + 4 * 3, Float.POSITIVE_INFINITY);
        assertTrue(message(consistent("inf.ae4j", Map.of(ModelFile.PARAMS, p))).contains("Infinity at index 3"));
    }

    @Test
    void givenAnEntryNotInTheList_whenWriting_thenRefused() throws IOException {
        Autoencoder m = Autoencoder.load(good);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelFile.write(dir.resolve("x.ae4j"), m, Map.of("mine.json", new byte[2])));
        assertTrue(e.getMessage().contains("not in the list of what a model file may hold"), e.getMessage());
        assertTrue(ModelFile.entryRules().containsKey(ModelFile.DETECTOR));
    }

    @Test
    void givenTamperedEntry_whenLoading_thenChecksumMismatch() throws Exception {
        Map<String, byte[]> t = new LinkedHashMap<>(entries);
        byte[] p = t.get(ModelFile.PARAMS).clone();
        p[p.length - 1] ^= 0x55;
        t.put(ModelFile.PARAMS, p);
        assertTrue(message(zip("tampered.ae4j", t)).contains("corrupt (size or checksum mismatch)"));
    }

    @Test
    void givenNewerFormatVersion_whenLoading_thenAsksToUpgrade() throws Exception {
        String manifest = new String(entries.get(ModelFile.MANIFEST), StandardCharsets.UTF_8)
                .replace("\"formatVersion\" : " + ModelFile.FORMAT_VERSION,
                        "\"formatVersion\" : " + (ModelFile.FORMAT_VERSION + 1));
        Map<String, byte[]> t = new LinkedHashMap<>(entries);
        t.put(ModelFile.MANIFEST, manifest.getBytes(StandardCharsets.UTF_8));
        String m = message(zip("newer.ae4j", t));
        assertTrue(m.contains("model format version " + (ModelFile.FORMAT_VERSION + 1)) && m.contains("upgrade ae4j"), m);
    }

    @Test
    void givenWeightsOfTheWrongSize_whenLoading_thenRefused() throws Exception {
        // a consistent manifest, but params.bin holds fewer numbers than the graph needs
        byte[] params = ModelFile.encode(org.nd4j.linalg.factory.Nd4j.zeros(1, 5));
        Map<String, byte[]> t = new LinkedHashMap<>(entries);
        t.put(ModelFile.PARAMS, params);
        String manifest = new String(entries.get(ModelFile.MANIFEST), StandardCharsets.UTF_8);
        String old = sha(entries.get(ModelFile.PARAMS));
        manifest = manifest.replace(old, sha(params))
                .replaceFirst("(\"params.bin\" : \\{\\s*\"size\" : )\\d+", "$1" + params.length);
        t.put(ModelFile.MANIFEST, manifest.getBytes(StandardCharsets.UTF_8));
        String m = message(zip("short.ae4j", t));
        assertTrue(m.contains("holds 5 numbers, the graph configuration needs"), m);
    }

    @Test
    void givenExtraEntries_whenRoundTripped_thenAvailableToModules() throws IOException {
        Autoencoder m = Autoencoder.load(good);
        Path p = dir.resolve("extra.ae4j");
        ModelFile.write(p, m, Map.of("detector.json", "{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
        ModelFile.Contents c = ModelFile.read(p);
        assertArrayEquals("{\"a\":1}".getBytes(StandardCharsets.UTF_8), c.entry("detector.json").orElseThrow());
        assertTrue(c.entry("nothing.json").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> ModelFile.write(p, m, Map.of("../x", new byte[0])));
        assertThrows(IllegalArgumentException.class, () -> ModelFile.write(p, m, Map.of("graph.json", new byte[0])));
    }

    @Test
    void givenExistingFile_whenAWriteFails_thenPreviousFileIsIntact() throws IOException {
        Path target = dir.resolve("keep.txt");
        Files.writeString(target, "previous");
        assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write("half of the new content".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        }));
        assertEquals("previous", Files.readString(target));
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith(".keep.txt")), "temp file removed");
        }
    }
}
