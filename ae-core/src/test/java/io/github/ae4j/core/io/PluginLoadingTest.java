package io.github.ae4j.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.plugin.Architectures;
import io.github.ae4j.core.testing.Models;
import io.github.ae4j.core.testing.Synthetic;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading creates graph classes only from DL4J, ND4J, ae-core and registered architecture plugins,
 * and a model built by a plugin that is not on the class path is refused naming it.
 */
class PluginLoadingTest {

    @TempDir
    Path dir;

    private Map<String, byte[]> entries(Path model) throws IOException {
        Map<String, byte[]> e = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(model.toFile())) {
            for (ZipEntry x : java.util.Collections.list(z.entries())) {
                e.put(x.getName(), z.getInputStream(x).readAllBytes());
            }
        }
        return e;
    }

    /** Replaces one entry's text and fixes the manifest's size and checksum, so only the content is at fault. */
    private Path tamper(Map<String, byte[]> entries, String entry, String from, String to, String name)
            throws Exception {
        Map<String, byte[]> t = new LinkedHashMap<>(entries);
        String text = new String(entries.get(entry), StandardCharsets.UTF_8);
        assertTrue(text.contains(from), entry + " holds " + from);
        byte[] changed = text.replace(from, to).getBytes(StandardCharsets.UTF_8);
        t.put(entry, changed);
        String manifest = new String(entries.get(ModelFile.MANIFEST), StandardCharsets.UTF_8)
                .replace(sha(entries.get(entry)), sha(changed))
                .replaceFirst("(\"" + java.util.regex.Pattern.quote(entry) + "\" : \\{\\s*\"size\" : )\\d+",
                        "$1" + changed.length);
        t.put(ModelFile.MANIFEST, manifest.getBytes(StandardCharsets.UTF_8));
        Path p = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(p); ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : t.entrySet()) {
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

    @Test
    void givenGraphNamingAnUnregisteredClass_whenLoading_thenRefusedBeforeAnythingIsCreated() throws Exception {
        Autoencoder m = Autoencoder.fit(Models.dense(6, 5, 2), Synthetic.lowRank(100, 6, 2, 0.05, 3),
                TrainingConfig.defaults().withEpochs(1));
        Path good = dir.resolve("good.ae4j");
        m.save(good);
        Map<String, byte[]> e = entries(good);
        assertEquals(6, Autoencoder.load(good).inputSize());
        Path evil = tamper(e, ModelFile.GRAPH, "org.deeplearning4j.nn.conf.layers.DenseLayer",
                "org.example.Payload", "evil.ae4j");
        ModelFormatException x = assertThrows(ModelFormatException.class, () -> Autoencoder.load(evil));
        assertTrue(x.getMessage().contains("names class org.example.Payload, which no architecture plugin on the"
                + " class path vouches for"), x.getMessage());
        Path loss = tamper(e, ModelFile.MODEL, "io.github.ae4j.core.ReconstructionLosses$Mse",
                "org.example.Loss", "loss.ae4j");
        assertTrue(assertThrows(ModelFormatException.class, () -> Autoencoder.load(loss)).getMessage()
                .contains("names class org.example.Loss"));
        Path ghost = tamper(e, ModelFile.MODEL, "\"name\" : \"test dense", "\"" + Architectures.SPEC_KEY
                + "\" : \"ghost\", \"name\" : \"test dense", "ghost.ae4j");
        ModelFormatException g = assertThrows(ModelFormatException.class, () -> Autoencoder.load(ghost));
        assertTrue(g.getMessage().contains("built by architecture 'ghost', which is not on the class path"),
                g.getMessage());
    }
}
