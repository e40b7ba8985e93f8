package io.github.ae4j.core.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.testing.Synthetic;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training stopped from outside (Ctrl-C sends SIGINT, a service manager SIGTERM: both end the JVM)
 * leaves the last good checkpoint on disk, and training resumes from it.
 */
class InterruptedTrainingTest {

    @TempDir
    Path dir;

    @Test
    void givenCheckpointing_whenTrainingIsStoppedBySignal_thenLastCheckpointLoadsAndTrainingResumes() throws Exception {
        Path ckpt = dir.resolve("ckpt.ae4j");
        Process p = ChildJvm.builder(TrainWithCheckpointMain.class, ckpt.toString()).start();
        int epochs = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null && epochs < 3) {
                if (line.startsWith("EPOCH ")) {
                    epochs = Integer.parseInt(line.substring(6).trim());
                }
            }
            ProcessBuilder kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid()));
            assertEquals(0, kill.start().waitFor());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the JVM ends on SIGINT");
        }
        assertTrue(epochs >= 3);
        Autoencoder last = Autoencoder.load(ckpt);
        assertTrue(last.info().history().size() >= 3, "checkpoint holds the epochs so far");
        assertEquals("checkpoint", last.info().stopReason());
        double[][] x = Synthetic.manifold(2000, 16, 2, 0.02, 3);
        double before = last.reconstructionError(Nd4j.createFromArray(x).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT))
                .meanNumber().doubleValue();
        Autoencoder resumed = last.continueTraining(
                Nd4j.createFromArray(x).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT),
                TrainingConfig.defaults().withEpochs(3));
        assertEquals(last.info().history().size() + 3, resumed.info().history().size());
        double after = resumed.reconstructionError(Nd4j.createFromArray(x).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT))
                .meanNumber().doubleValue();
        assertTrue(after < before, "resumed training keeps improving: " + before + " -> " + after);
    }
}
