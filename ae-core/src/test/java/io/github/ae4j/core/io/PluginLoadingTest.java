package io.github.ae4j.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.ModelFile;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.plugin.Architectures;
import io.github.ae4j.core.testing.ModelFiles;
import io.github.ae4j.core.testing.Models;
import io.github.ae4j.core.testing.Synthetic;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
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
        return ModelFiles.entries(model);
    }

    private Path tamper(Map<String, byte[]> entries, String entry, String from, String to, String name)
            throws IOException {
        return ModelFiles.rewrite(entries, entry, from, to, dir.resolve(name));
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
                + " class path vouches for") && x.getMessage().contains("Architectures.trust(\"org.example.\")"),
                x.getMessage());
        // the loss is found by its name through the registered providers: a class named by the file is never created
        Path lossClass = tamper(e, ModelFile.MODEL, "io.github.ae4j.core.ReconstructionLosses$Mse",
                "org.example.Loss", "loss-class.ae4j");
        assertEquals("mse", Autoencoder.load(lossClass).loss().name());
        Path loss = tamper(e, ModelFile.MODEL, "\"loss\" : \"mse\"", "\"loss\" : \"huber\"", "loss.ae4j");
        ModelFormatException l = assertThrows(ModelFormatException.class, () -> Autoencoder.load(loss));
        assertTrue(l.getMessage().contains("unknown reconstruction loss 'huber': available are bce, mae, mse,"
                + " mse-sigmoid, test-l2"), l.getMessage());
        Path ghost = tamper(e, ModelFile.MODEL, "\"name\" : \"test dense", "\"" + Architectures.SPEC_KEY
                + "\" : \"ghost\", \"name\" : \"test dense", "ghost.ae4j");
        ModelFormatException g = assertThrows(ModelFormatException.class, () -> Autoencoder.load(ghost));
        assertTrue(g.getMessage().contains("built by architecture 'ghost', which is not on the class path"),
                g.getMessage());
        // an application's own classes: trusted explicitly, they pass the allow-list (here DL4J then finds no such class)
        Architectures.trust("org.example.");
        ModelFormatException t = assertThrows(ModelFormatException.class, () -> Autoencoder.load(evil));
        assertTrue(!t.getMessage().contains("vouches for"), t.getMessage());
    }
}
