package io.github.ae4j.core.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.testing.Synthetic;
import io.github.ae4j.core.testing.ChildProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
        Process p = ChildJvm.builder(TrainWithCheckpointMain.class, ckpt.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Autoencoder last;
        try {
            // the signal goes only once a checkpoint holding 3 epochs is on disk and loads (the child writes it
            // atomically after the epoch's listeners ran, so "epoch printed" would be a race)
            last = awaitCheckpoint(ckpt, 3, p, Duration.ofMinutes(3));
            // a JVM started with SIGINT ignored (a job started in the background by a non-interactive shell, or
            // under nohup, and everything it starts) keeps ignoring it by design, as any process would: then the
            // service manager's SIGTERM is the signal that must end it
            String signal = sigintIgnored(p.pid()) ? "TERM" : "INT";
            ProcessBuilder kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid()));
            assertEquals(0, kill.start().waitFor());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the JVM ends on SIG" + signal);
        } finally {
            if (p.isAlive()) {
                ChildProcess.kill(p);
            }
        }
        // what is on disk after the signal still loads, and is at least as far as what was seen before it
        Autoencoder onDisk = Autoencoder.load(ckpt);
        assertTrue(onDisk.info().history().size() >= last.info().history().size());
        last = onDisk;
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

    /** Whether the process ignores SIGINT (its bit in /proc/PID/status's SigIgn mask; false where unreadable). */
    private static boolean sigintIgnored(long pid) throws java.io.IOException {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        if (!Files.isReadable(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << 1)) != 0;
            }
        }
        return false;
    }

    private static Autoencoder awaitCheckpoint(Path ckpt, int epochs, Process p, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        java.nio.file.attribute.FileTime seen = null;
        while (System.nanoTime() < deadline) {
            assertTrue(p.isAlive(), "the training child ended before writing a checkpoint: exit "
                    + (p.isAlive() ? "" : p.exitValue()));
            if (Files.exists(ckpt)) {
                java.nio.file.attribute.FileTime t = Files.getLastModifiedTime(ckpt);
                if (!t.equals(seen)) {
                    seen = t;
                    Autoencoder a = Autoencoder.load(ckpt);
                    if (a.info().history().size() >= epochs) {
                        return a;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no checkpoint with " + epochs + " epochs within " + timeout);
    }
}
