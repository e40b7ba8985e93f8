package io.github.ae4j.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Wall time and peak resident memory of this process, for the commands' closing lines and the bench. */
final class ResourceUse {

    private ResourceUse() {
    }

    /**
     * The process's peak resident set (Linux {@code VmHWM}): the JVM heap, ND4J's native buffers, the native
     * libraries' pages and thread stacks together, as {@code /usr/bin/time -v} reports it.
     *
     * @return kilobytes, or 0 where {@code /proc/self/status} is not available
     */
    static long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no figure
        }
        return 0;
    }

    /**
     * @param startNanos {@code System.nanoTime()} when the command started
     * @return e.g. {@code "12.3 s, peak resident memory 979 MB"} (without the memory where it is not known)
     */
    static String summary(long startNanos) {
        double secs = (System.nanoTime() - startNanos) / 1e9;
        long kb = peakRssKb();
        return kb > 0 ? String.format(Locale.ROOT, "%.1f s, peak resident memory %,d MB", secs, kb / 1024)
                : String.format(Locale.ROOT, "%.1f s", secs);
    }
}
