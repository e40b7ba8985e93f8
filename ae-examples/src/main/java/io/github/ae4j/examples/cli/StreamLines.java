package io.github.ae4j.examples.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Complete lines of a stream that may still be growing (a file another process appends to, or
 * stdin). A line is returned only once its newline has arrived, so a row being written is never
 * read half; at the end of a file that is not followed, a last line without a newline is returned
 * too. Lines are capped in length. Not thread-safe.
 */
final class StreamLines {

    /** Longest line accepted, in bytes. */
    static final int MAX_LINE = 1 << 20;

    private final InputStream in;
    private final String name;
    private final boolean follow;
    private final long pollMillis;
    private final BooleanSupplier stop;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int len;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private long lines;

    /**
     * @param in         the bytes
     * @param name       the source's name, for messages
     * @param follow     at the end, wait for more (a growing file) instead of ending
     * @param pollMillis how long to wait between looks at a followed file
     * @param stop       ends the stream when true (checked while waiting)
     */
    StreamLines(InputStream in, String name, boolean follow, long pollMillis, BooleanSupplier stop) {
        this.in = in;
        this.name = name;
        this.follow = follow;
        this.pollMillis = pollMillis;
        this.stop = stop;
    }

    /** @return lines returned so far (1-based number of the last one) */
    long lineNumber() {
        return lines;
    }

    /**
     * @return the next complete line without its line end, or null at the end (or when stopped)
     * @throws IOException on read failure or a line longer than {@link #MAX_LINE}
     */
    String next() throws IOException {
        while (true) {
            while (pos < len) {
                byte b = buf[pos++];
                if (b == '\n') {
                    return take();
                }
                line.write(b);
                if (line.size() > MAX_LINE) {
                    throw new UsageException(name + ": line " + (lines + 1) + " is longer than " + MAX_LINE
                            + " bytes: expected CSV rows");
                }
            }
            if (stop.getAsBoolean()) {
                return null;
            }
            int n = in.read(buf, 0, buf.length);
            if (n > 0) {
                pos = 0;
                len = n;
            } else if (n < 0 && !follow) {
                return line.size() > 0 ? take() : null;
            } else {
                try {
                    Thread.sleep(pollMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
    }

    private String take() {
        lines++;
        String s = line.toString(StandardCharsets.UTF_8);
        line.reset();
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /**
     * Splits one CSV line (RFC 4180 quotes within the line; a quoted field cannot span lines).
     *
     * @param s     the line
     * @param delim the delimiter
     * @return the cells, or null when a quote is not closed
     */
    static String[] split(String s, char delim) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < s.length() && s.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == delim) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        if (quoted) {
            return null;
        }
        cells.add(cell.toString());
        return cells.toArray(new String[0]);
    }
}
