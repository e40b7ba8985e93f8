package io.github.ae4j.core.reliability;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a test main in a child JVM with the test class path and the ND4J settings of the tests. */
final class ChildJvm {

    private ChildJvm() {
    }

    static ProcessBuilder builder(Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
        if (cache != null) {
            cmd.add("-Dorg.bytedeco.javacpp.cachedir=" + cache);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        return pb;
    }

    static String path(File f) {
        return f.getAbsolutePath();
    }
}
