package io.github.ae4j.core.io;

import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.internal.Json;
import io.github.ae4j.core.testing.Models;
import io.github.ae4j.core.testing.Synthetic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Writes the golden model files kept in {@code src/test/resources/golden/}: one saved model per
 * file-format version, with the inputs and the reconstruction errors it gave when it was written.
 * {@link GoldenFilesTest} checks that every one of them still loads and gives the same errors. Run
 * once per new format version (never to overwrite an existing version):
 * {@code mvn -pl ae-core exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.github.ae4j.core.io.GoldenFiles -Dexec.args=DIR}
 */
public final class GoldenFiles {

    private GoldenFiles() {
    }

    /**
     * Writes {@code model-v<N>.ae4j} and {@code model-v<N>-expected.json} into the folder given.
     *
     * @param args the output folder
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int v = io.github.ae4j.core.Ae4j.FORMAT_VERSION;
        Path model = dir.resolve("model-v" + v + ".ae4j");
        if (Files.exists(model)) {
            throw new IllegalStateException(model + " exists: golden files are never overwritten");
        }
        double[][] x = Synthetic.lowRank(300, 6, 2, 0.05, 11);
        Autoencoder m = Autoencoder.fit(Models.dense(6, 5, 2), x, TrainingConfig.defaults().withEpochs(3));
        m.save(model);
        double[][] probe = java.util.Arrays.copyOf(x, 10);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("inputs", probe);
        expected.put("reconstructionErrors", m.reconstructionError(probe));
        expected.put("codes", m.encode(Nd4j.createFromArray(probe).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT))
                .toDoubleMatrix());
        Files.write(dir.resolve("model-v" + v + "-expected.json"), Json.MAPPER.writeValueAsBytes(expected));
    }
}
