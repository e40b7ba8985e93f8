package io.github.ae4j.examples.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.examples.cli.Ae4jCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both sample projects build from their own poms with the machine's Maven (Debian ships 3.8), and
 * the plugin sample's jar adds an architecture that {@code ae4j train --arch shallow} and
 * {@code ae4j score} use; without the jar the model fails to load naming the architecture.
 */
class SamplesBuildTest {

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Ae4jCli.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void givenTheSamplePoms_whenBuiltWithMaven_thenThePluginJarAddsAnArchitectureToTheCommandLine() throws Exception {
        assumeTrue(SampleProjects.mvn() != null, "no mvn on the PATH");
        Path repo = SampleProjects.localRepository(dir, Autoencoder.class);
        SampleProjects.build("custom-architecture", dir, repo);
        assertTrue(Files.isDirectory(dir.resolve("custom-architecture/target/classes/demo")));
        Path plugin = SampleProjects.build("plugin-architecture", dir, repo);
        Path jar = plugin.resolve("target/plugin-architecture-1.0.jar");
        assertTrue(Files.isRegularFile(jar), "the plugin jar");

        Path csv = dir.resolve("data.csv");
        StringBuilder sb = new StringBuilder("a,b,c,d\n");
        Random r = new Random(3);
        for (int i = 0; i < 300; i++) {
            double x = r.nextGaussian();
            double y = r.nextGaussian();
            sb.append(x).append(',').append(y).append(',').append(x + y).append(',').append(x - y).append('\n');
        }
        Files.writeString(csv, sb.toString());
        Path model = dir.resolve("m.ae4j");
        Path scores = dir.resolve("scores.csv");
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        try (URLClassLoader withPlugin = new URLClassLoader(new URL[] {jar.toUri().toURL()}, before)) {
            t.setContextClassLoader(withPlugin);
            Run list = run("train", "--arch", "list");
            assertEquals(0, list.code(), list.err());
            assertTrue(list.out().contains("shallow: one wide tanh layer") && list.out().contains("dense:")
                    && list.out().contains("    width: units of the hidden layer"), list.out());
            Run train = run("train", "--arch", "shallow", "--arch-option", "width=12", "--data", csv.toString(),
                    "--out", model.toString(), "--epochs", "3", "--quiet");
            assertEquals(0, train.code(), train.err());
            Run score = run("score", "--model", model.toString(), "--data", csv.toString(), "--out", scores.toString(),
                    "--quiet");
            assertEquals(0, score.code(), score.err());
            assertEquals(301, Files.readAllLines(scores).size());
            AnomalyDetector det = AnomalyDetector.load(model);
            assertEquals("shallow", det.model().info().spec().get("architecture"));
            Run badOption = run("train", "--arch", "shallow", "--arch-option", "depth=3", "--data", csv.toString(),
                    "--out", dir.resolve("never.ae4j").toString());
            assertEquals(2, badOption.code());
            assertTrue(badOption.err().contains("has no option [depth]; its options are [width, latent]"),
                    badOption.err());
        } finally {
            t.setContextClassLoader(before);
        }
        // without the plugin: the model names the missing architecture (exit 2), and --arch lists what there is
        Run missing = run("score", "--model", model.toString(), "--data", csv.toString());
        assertEquals(2, missing.code(), missing.err());
        assertTrue(missing.err().contains("built by architecture 'shallow', which is not on the class path"),
                missing.err());
        Run unknown = run("train", "--arch", "shallow", "--data", csv.toString(), "--out", model.toString());
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("unknown architecture 'shallow': available are conv, conv1d, dense, lstm, vae"),
                unknown.err());
    }
}
