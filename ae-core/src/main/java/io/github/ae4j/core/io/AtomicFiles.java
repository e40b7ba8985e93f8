package io.github.ae4j.core.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Writes files atomically: the content goes to a temporary file in the target's folder, is flushed
 * to disk, and is then moved over the target in one step. A crash or kill at any point leaves
 * either the old file or the new one, never a half-written file under the target's name.
 *
 * <p>No temporary files are left behind: they are named {@code .NAME.ae4j-PID-N.tmp} (the writing
 * process's id in the name); a shutdown hook removes those still being written when the JVM ends on
 * SIGTERM or SIGINT (Ctrl-C); and those of a process killed outright (SIGKILL, power loss) are
 * removed by the next write beside the same output, once their process is gone.
 */
public final class AtomicFiles {

    private static final String PREFIX_SEP = ".ae4j-";
    private static final long PID = ProcessHandle.current().pid();
    private static final java.util.concurrent.atomic.AtomicLong COUNTER = new java.util.concurrent.atomic.AtomicLong();
    private static final java.util.Set<Path> IN_PROGRESS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(AtomicFiles::removeInProgress, "ae4j-temp-cleanup"));
        } catch (IllegalStateException | SecurityException e) {
            // the JVM is already shutting down, or hooks are not allowed: nothing to register
        }
    }

    private AtomicFiles() {
    }

    private static void removeInProgress() {
        for (Path p : IN_PROGRESS) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // best effort while the JVM ends
            }
        }
    }

    /**
     * Removes temporary files of earlier writes to {@code target} whose process no longer runs.
     *
     * @param dir    the target's folder
     * @param name   the target's file name
     */
    static void removeStale(Path dir, String name) {
        String prefix = "." + name + PREFIX_SEP;
        try (java.nio.file.DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> {
            String n = p.getFileName().toString();
            return n.startsWith(prefix) && n.endsWith(".tmp");
        })) {
            for (Path p : ds) {
                String rest = p.getFileName().toString().substring(prefix.length());
                int dash = rest.indexOf('-');
                long pid;
                try {
                    pid = Long.parseLong(dash < 0 ? "" : rest.substring(0, dash));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pid != PID && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;       // another live process is writing it
                }
                if (pid == PID && IN_PROGRESS.contains(p)) {
                    continue;
                }
                Files.deleteIfExists(p);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // cleaning is best effort: the write itself goes on
        }
    }

    /** Writes the content of a file. */
    @FunctionalInterface
    public interface Writer {
        /**
         * Writes content.
         *
         * @param out the stream to write to (buffered; do not close it)
         * @throws IOException on failure
         */
        void write(OutputStream out) throws IOException;
    }

    private static FileChannel create(Path tmp) throws IOException {
        java.util.Set<java.nio.file.OpenOption> opts = java.util.Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
        try {
            return FileChannel.open(tmp, opts, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            return FileChannel.open(tmp, opts);
        }
    }

    /** Temporary files are private (0600); the result gets the old file's permissions, or 0644. */
    private static void setPermissions(Path tmp, Path target) {
        try {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> perms = Files.exists(target)
                    ? Files.getPosixFilePermissions(target)
                    : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");
            Files.setPosixFilePermissions(tmp, perms);
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: keep the defaults
        }
    }

    /**
     * Writes {@code target} atomically.
     *
     * @param target the file to create or replace
     * @param writer writes the content
     * @throws IOException on failure; the temporary file is removed and the target is untouched
     */
    public static void write(Path target, Writer writer) throws IOException {
        Objects.requireNonNull(target, "target");
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        if (dir == null) {
            throw new IOException(target + ": no folder to write into");
        }
        removeStale(dir, abs.getFileName().toString());
        Path tmp = dir.resolve("." + abs.getFileName() + PREFIX_SEP + PID + "-" + COUNTER.incrementAndGet() + ".tmp");
        IN_PROGRESS.add(tmp);
        boolean done = false;
        try {
            try (FileChannel ch = create(tmp);
                 OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16)) {
                writer.write(out);
                out.flush();
                ch.force(true);
            }
            setPermissions(tmp, abs);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
            IN_PROGRESS.remove(tmp);
        }
    }
}
