package io.github.ae4j.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Checks that an input path names a readable regular file before anything opens it, with a message
 * that says what it really is: missing, a directory, a FIFO / socket / device, or unreadable.
 */
public final class InputFiles {

    private InputFiles() {
    }

    /**
     * Requires a readable regular file (links followed).
     *
     * @param file the path
     * @param what what the file is for, e.g. "data file" or "model file"
     * @throws NoSuchFileException when nothing is there
     * @throws IOException         when it is not a regular file or not readable (the message says which)
     */
    public static void requireReadableFile(Path file, String what) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            boolean danglingLink = Files.isSymbolicLink(file);
            throw new NoSuchFileException(file.toString(), null,
                    danglingLink ? "no such " + what + " (a link to a missing file)" : "no such " + what);
        }
        if (a.isDirectory()) {
            throw new IOException(file + ": is a directory, expected a " + what);
        }
        if (!a.isRegularFile()) {
            BasicFileAttributes own = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            String kind = own.isOther() || a.isOther() ? "a FIFO, socket or device" : "not a regular file";
            throw new IOException(file + ": is " + kind + ", expected a " + what + " (a regular file)");
        }
        if (!Files.isReadable(file)) {
            throw new IOException(file + ": permission denied (the " + what + " is not readable)");
        }
    }
}
