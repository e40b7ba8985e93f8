package io.github.ae4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "custom architecture" code lives in {@code samples/custom-architecture} as a separate
 * Maven project that depends on ae-core only. This test compiles that very source file against
 * ae-core and runs it in a child JVM, so the README cannot drift from the API.
 */
class CustomArchitectureSampleTest {

    @TempDir
    Path tmp;

    @Test
    void givenTheReadmeSample_whenCompiledAgainstAeCoreAndRun_thenItTrainsEncodesAndSaves() throws Exception {
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        Path source = root.resolve("samples/custom-architecture/src/main/java/demo/Main.java");
        assertTrue(Files.isRegularFile(source), "sample source at " + source);
        String cp = System.getProperty("java.class.path");
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-proc:none", "-cp", cp, "-d", classes.toString(), source.toString());
        assertEquals(0, rc, "the sample compiles against ae-core");
        // the sample's own source must stay short: the README promises about 20 lines of architecture
        long lines = Files.readAllLines(source).stream().filter(l -> !l.isBlank()).count();
        assertTrue(lines <= 40, "sample has " + lines + " lines");

        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classes + File.pathSeparator + cp, "demo.Main").directory(tmp.toFile()).redirectErrorStream(true);
        String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
        if (cache != null) {
            pb.command().add(1, "-Dorg.bytedeco.javacpp.cachedir=" + cache);
        }
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        io.github.ae4j.core.testing.ChildProcess.Result res =
                io.github.ae4j.core.testing.ChildProcess.run(pb, java.time.Duration.ofMinutes(3));
        String out = res.output();
        assertEquals(0, res.exitCode(), out);
        assertTrue(out.contains("code of row 0: ["), out);
        Autoencoder saved = Autoencoder.load(tmp.resolve("model.ae4j"));
        assertEquals(2, saved.latentSize());
    }
}
