package io.github.ae4j.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a child process so that a hung child cannot hang the build: its standard output and error go
 * to a file (nothing blocks on a pipe), the wait is bounded, and a child still running at the
 * deadline is killed with its descendants before the test fails.
 */
public final class ChildProcess {

    private ChildProcess() {
    }

    /**
     * What a finished child did.
     *
     * @param exitCode its exit status
     * @param output   its standard output and error, interleaved
     * @param stderr   its standard error alone (empty when merged into output)
     */
    public record Result(int exitCode, String output, String stderr) {
    }

    /**
     * The command line for a Java main in a child JVM with the test class path and ND4J cache.
     *
     * @param heap     the -Xmx value, e.g. "256m"
     * @param jvmFlags further JVM flags
     * @param main     the main class
     * @param args     its arguments
     * @return the command
     */
    public static List<String> java(String heap, List<String> jvmFlags, String main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + heap);
        String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
        if (cache != null) {
            cmd.add("-Dorg.bytedeco.javacpp.cachedir=" + cache);
        }
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main);
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Runs a process to its end or the deadline, output merged.
     *
     * @param pb      the process (its redirections are replaced)
     * @param timeout the deadline
     * @return what it did
     * @throws IOException          when it cannot start
     * @throws InterruptedException when interrupted
     * @throws AssertionError       when it ran past the deadline (it is killed first)
     */
    public static Result run(ProcessBuilder pb, Duration timeout) throws IOException, InterruptedException {
        return run(pb, timeout, false);
    }

    /**
     * Runs a process to its end or the deadline.
     *
     * @param pb             the process (its redirections are replaced)
     * @param timeout        the deadline
     * @param separateStderr keep standard error apart (in {@link Result#stderr()})
     * @return what it did
     * @throws IOException          when it cannot start
     * @throws InterruptedException when interrupted
     * @throws AssertionError       when it ran past the deadline (it is killed first)
     */
    public static Result run(ProcessBuilder pb, Duration timeout, boolean separateStderr)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("ae4j-child-out", ".log");
        Path err = Files.createTempFile("ae4j-child-err", ".log");
        try {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.redirectOutput(out.toFile());
            if (separateStderr) {
                pb.redirectErrorStream(false);
                pb.redirectError(err.toFile());
            } else {
                pb.redirectErrorStream(true);
            }
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(p);
                throw new AssertionError("child process ran past " + timeout + " and was killed; its output:\n"
                        + tail(out));
            }
            return new Result(p.exitValue(), text(out),
                    separateStderr ? text(err) : "");
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * Kills a process and its descendants, waiting briefly for them to end.
     *
     * @param p the process
     * @throws InterruptedException when interrupted
     */
    public static void kill(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    private static String text(Path f) throws IOException {
        return new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
    }

    private static String tail(Path f) throws IOException {
        String s = text(f);
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }
}
