package io.github.ae4j.core.testing;

import io.github.ae4j.core.ModelFile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** Rewrites an entry of a saved model, fixing the manifest's size and checksum, so only the content is at fault. */
public final class ModelFiles {

    private ModelFiles() {
    }

    /**
     * @param model the saved model
     * @return its entries by name, in order
     * @throws IOException when it cannot be read
     */
    public static Map<String, byte[]> entries(Path model) throws IOException {
        Map<String, byte[]> e = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(model.toFile())) {
            for (ZipEntry x : Collections.list(z.entries())) {
                e.put(x.getName(), z.getInputStream(x).readAllBytes());
            }
        }
        return e;
    }

    /**
     * Writes a copy of a model with one entry's text replaced (the first occurrence must exist).
     *
     * @param entries the model's entries ({@link #entries})
     * @param entry   the entry to change, e.g. {@link ModelFile#MODEL}
     * @param from    text that must occur in it
     * @param to      its replacement
     * @param out     where to write the copy
     * @return out
     * @throws IOException when it cannot be written
     */
    public static Path rewrite(Map<String, byte[]> entries, String entry, String from, String to, Path out)
            throws IOException {
        Map<String, byte[]> t = new LinkedHashMap<>(entries);
        String text = new String(entries.get(entry), StandardCharsets.UTF_8);
        if (!text.contains(from)) {
            throw new IllegalArgumentException(entry + " does not hold " + from);
        }
        byte[] changed = text.replace(from, to).getBytes(StandardCharsets.UTF_8);
        t.put(entry, changed);
        String manifest = new String(entries.get(ModelFile.MANIFEST), StandardCharsets.UTF_8)
                .replace(sha(entries.get(entry)), sha(changed))
                .replaceFirst("(\"" + java.util.regex.Pattern.quote(entry) + "\" : \\{\\s*\"size\" : )\\d+",
                        "$1" + changed.length);
        t.put(ModelFile.MANIFEST, manifest.getBytes(StandardCharsets.UTF_8));
        try (OutputStream os = Files.newOutputStream(out); ZipOutputStream z = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> e : t.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return out;
    }

    private static String sha(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
