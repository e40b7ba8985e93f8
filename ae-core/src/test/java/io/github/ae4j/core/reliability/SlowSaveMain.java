package io.github.ae4j.core.reliability;

import io.github.ae4j.core.io.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Child program for {@link KillMidSaveTest}: replaces {@code target} with the bytes of
 * {@code replacement} through {@link AtomicFiles}, like every ae4j save, but slowly: after half the
 * bytes it prints {@code HALF} and waits, so that the parent can kill it mid-save.
 */
public final class SlowSaveMain {

    private SlowSaveMain() {
    }

    /**
     * Runs.
     *
     * @param args target file, replacement file
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        byte[] content = Files.readAllBytes(Path.of(args[1]));
        AtomicFiles.write(Path.of(args[0]), out -> {
            int half = content.length / 2;
            out.write(content, 0, half);
            out.flush();
            System.out.println("HALF");
            System.out.flush();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.write(content, half, content.length - half);
        });
        System.out.println("DONE");
    }
}
