package io.github.ae4j.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * {@code --data -}: the data of a command is read from standard input. Every command reads its data
 * file by name (training and calibration read it more than once: a schema pass, then the rows), so
 * stdin is first copied to a private temporary file ({@code ae4j-stdin-*.csv}, mode 0600, deleted when
 * the command ends), which the command then reads as it would any CSV file (gzip is recognised by its
 * magic bytes, as for files). Messages name it {@value #NAME}. Image folders and IDX files cannot come
 * from stdin. {@code ae4j stream} reads stdin itself, row by row as it arrives, and is left alone here.
 */
final class StdinData implements AutoCloseable {

    /** How messages name the data read from stdin. */
    static final String NAME = "<stdin>";

    /** The copies of stdin in use now (one per command running in this JVM). */
    private static final java.util.Set<Path> COPIES = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Path copy;

    private StdinData(Path copy) {
        this.copy = copy;
        COPIES.add(copy);
    }

    /**
     * How output names a data file: {@value #NAME} for the copy of stdin, else its file name.
     *
     * @param data the data file
     * @return the name to show
     */
    static String displayName(Path data) {
        return COPIES.contains(data) ? NAME : String.valueOf(data.getFileName());
    }

    /**
     * Copies stdin to a temporary file when the parsed command's {@code --data} option (of type
     * {@link Path}) is {@code -}, and points the option at the copy.
     *
     * @param parsed the parse result of the whole command line
     * @param in     standard input
     * @return the copy, or null when no {@code --data -} was given
     * @throws IOException when stdin cannot be read or the copy written
     */
    static StdinData spool(CommandLine.ParseResult parsed, InputStream in) throws IOException {
        CommandLine.ParseResult p = parsed;
        while (true) {
            if (p.isUsageHelpRequested() || p.isVersionHelpRequested()) {
                return null;    // --help / --version print and exit: stdin is not read
            }
            if (!p.hasSubcommand()) {
                break;
            }
            p = p.subcommand();
        }
        CommandLine.Model.OptionSpec data = p.commandSpec().findOption("--data");
        if (data == null || data.type() != Path.class || !(data.getValue() instanceof Path v) || !v.toString().equals("-")) {
            return null;
        }
        Path copy = Files.createTempFile("ae4j-stdin-", ".csv");   // 0600 on POSIX file systems
        copy.toFile().deleteOnExit();
        boolean done = false;
        try {
            try (OutputStream out = Files.newOutputStream(copy)) {
                in.transferTo(out);
            }
            data.setValue(copy);
            done = true;
            return new StdinData(copy);
        } finally {
            if (!done) {
                Files.deleteIfExists(copy);
            }
        }
    }

    /**
     * A message with the copy's name replaced by {@value #NAME}.
     *
     * @param message the message, or null
     * @return the message naming stdin
     */
    String rename(String message) {
        if (message == null) {
            return null;
        }
        return message.replace(copy.toAbsolutePath().toString(), NAME).replace(copy.toString(), NAME)
                .replace(copy.getFileName().toString(), NAME);
    }

    @Override
    public void close() {
        COPIES.remove(copy);
        try {
            Files.deleteIfExists(copy);
        } catch (IOException e) {
            // deleteOnExit is the fallback
        }
    }
}
