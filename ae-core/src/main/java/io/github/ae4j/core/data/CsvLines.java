package io.github.ae4j.core.data;

import io.github.ae4j.core.io.InputFiles;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the records of a CSV or gzip-compressed CSV file (RFC 4180: quoted fields may hold the
 * delimiter, doubled quotes and line breaks), as arrays of cells, keeping track of line numbers and
 * skipping blank lines.
 *
 * <p>Safe on hostile files, in bounded memory: a record longer than {@link #MAX_RECORD_CHARS}
 * characters or with more than {@link #MAX_COLUMNS} cells is refused as soon as the limit is passed
 * (nothing larger is ever buffered); the text must be UTF-8 (a UTF-8 byte-order mark is dropped;
 * UTF-16 text, NUL bytes and invalid UTF-8 are refused with one line saying so and where); truncated or corrupt
 * gzip data is a {@link DataFormatException}. Every problem names the file and line.
 */
final class CsvLines implements Closeable {

    /** Most characters in one record (all its cells and delimiters). */
    static final int MAX_RECORD_CHARS = 8 << 20;
    /** Most cells in one record. */
    static final int MAX_COLUMNS = 100_000;

    private static final char REPLACEMENT = '\uFFFD';

    private final String name;
    private final InputStream in;
    private final Reader reader;
    private final char delimiter;
    private final char[] buf = new char[1 << 16];
    private int pos;
    private int len;
    /** Line where the next record starts (1-based). */
    private long nextLine = 1;
    /** Line where the last returned record started. */
    private long line;

    CsvLines(Path file, char delimiter) throws IOException {
        InputFiles.requireReadableFile(file, "data file");
        this.name = file.toString();
        this.delimiter = delimiter;
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            InputStream data = isGzip(file, raw) ? new BufferedInputStream(gunzip(file, raw), 1 << 16) : raw;
            skipUtf8Bom(data);
            this.in = data;
            CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
            this.reader = new InputStreamReader(data, dec);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    private static InputStream gunzip(Path file, InputStream raw) throws IOException {
        try {
            return new GZIPInputStream(raw, 1 << 16);
        } catch (EOFException | ZipException e) {
            throw new DataFormatException(file.toString(), -1, -1, null, "is not valid gzip data (truncated or corrupt)");
        }
    }

    private static boolean isGzip(Path file, InputStream in) throws IOException {
        in.mark(2);
        int a = in.read();
        int b = in.read();
        in.reset();
        boolean magic = a == 0x1f && b == 0x8b;
        if (file.getFileName().toString().endsWith(".gz") && !magic && a >= 0) {
            throw new DataFormatException(file.toString(), -1, -1, null, "has a .gz name but is not gzip data");
        }
        return magic;
    }

    /** Drops a UTF-8 byte-order mark; refuses UTF-16/32 text (by its mark, or by NUL bytes near the start). */
    private void skipUtf8Bom(InputStream data) throws IOException {
        data.mark(4);
        byte[] head = new byte[4];
        int n;
        try {
            n = data.readNBytes(head, 0, 4);
        } catch (EOFException | ZipException e) {
            throw truncated(e);
        }
        data.reset();
        int b0 = n > 0 ? head[0] & 0xff : -1;
        int b1 = n > 1 ? head[1] & 0xff : -1;
        int b2 = n > 2 ? head[2] & 0xff : -1;
        if (b0 == 0xef && b1 == 0xbb && b2 == 0xbf) {
            data.skipNBytes(3);
            return;
        }
        boolean utf16Mark = (b0 == 0xfe && b1 == 0xff) || (b0 == 0xff && b1 == 0xfe);
        boolean nulNearStart = false;
        for (int i = 0; i < n; i++) {
            nulNearStart |= head[i] == 0;
        }
        if (utf16Mark || nulNearStart) {
            throw new DataFormatException(name, -1, -1, null,
                    "looks like UTF-16 (or binary) data, expected UTF-8 text: save the file as UTF-8 CSV");
        }
    }

    private DataFormatException truncated(IOException e) {
        return new DataFormatException(name, -1, nextLine, null, "the gzip data is truncated or corrupt ("
                + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()) + ")");
    }

    private int read() throws IOException {
        if (pos == len) {
            try {
                len = reader.read(buf, 0, buf.length);
            } catch (EOFException | ZipException e) {
                throw truncated(e);
            }
            pos = 0;
            if (len <= 0) {
                len = 0;
                return -1;
            }
        }
        return buf[pos++];
    }

    private int peek() throws IOException {
        int c = read();
        if (c >= 0) {
            pos--;
        }
        return c;
    }

    /**
     * The next non-blank record.
     *
     * @return its cells, or null at the end of the file
     * @throws IOException         on I/O failure
     * @throws DataFormatException on bad content (see the class description)
     */
    String[] next() throws IOException {
        while (true) {
            long start = nextLine;
            List<String> cells = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            long chars = 0;
            boolean quoted = false;       // the current cell started with a quote
            boolean inQuotes = false;     // inside the quoted part
            boolean any = false;          // anything read for this record
            int c;
            while (true) {
                c = read();
                if (c < 0) {
                    if (inQuotes) {
                        throw new DataFormatException(name, -1, start, null,
                                "a quoted field is not closed (a '\"' is missing before the end of the file)");
                    }
                    break;
                }
                any = true;
                if (++chars > MAX_RECORD_CHARS) {
                    throw new DataFormatException(name, -1, start, null, "the record is longer than "
                            + MAX_RECORD_CHARS + " characters (the limit for one CSV line): is this a CSV file?");
                }
                if (c == 0) {
                    throw new DataFormatException(name, -1, nextLine, null,
                            "holds a NUL byte: binary or UTF-16 data, expected UTF-8 CSV text");
                }
                if (c == REPLACEMENT) {
                    // invalid UTF-8 decodes to U+FFFD: refused where it is, with its line
                    throw new DataFormatException(name, -1, nextLine, null,
                            "is not valid UTF-8 text (or holds U+FFFD): save the file as UTF-8 CSV");
                }
                if (inQuotes) {
                    if (c == '"') {
                        if (peek() == '"') {
                            read();
                            cell.append('"');
                        } else {
                            inQuotes = false;
                        }
                    } else {
                        if (c == '\n' || (c == '\r' && peek() != '\n')) {
                            nextLine++;
                        }
                        cell.append((char) c);
                    }
                    continue;
                }
                if (c == delimiter) {
                    addCell(cells, cell, start);
                    quoted = false;
                    continue;
                }
                if (c == '\r' || c == '\n') {
                    if (c == '\r' && peek() == '\n') {
                        read();
                    }
                    nextLine++;
                    break;
                }
                if (c == '"' && cell.length() == 0 && !quoted) {
                    quoted = true;
                    inQuotes = true;
                    continue;
                }
                if (quoted) {
                    if (c == ' ' || c == '\t') {
                        continue;       // blanks after a closing quote
                    }
                    throw new DataFormatException(name, -1, start, null, "unexpected '" + (char) c
                            + "' after the closing quote of cell " + (cells.size() + 1)
                            + " (a quote inside a quoted field is written \"\")");
                }
                cell.append((char) c);
            }
            if (!any) {
                return null;
            }
            addCell(cells, cell, start);
            if (cells.size() == 1 && !quoted && cells.get(0).trim().isEmpty()) {
                if (c < 0) {
                    return null;
                }
                continue;
            }
            line = start;
            return cells.toArray(new String[0]);
        }
    }

    private void addCell(List<String> cells, StringBuilder cell, long start) {
        if (cells.size() >= MAX_COLUMNS) {
            throw new DataFormatException(name, -1, start, null, "more than " + MAX_COLUMNS
                    + " columns in one record (the limit): is the delimiter right?");
        }
        cells.add(cell.toString());
        cell.setLength(0);
    }

    /** @return the 1-based line number where the last record returned starts */
    long line() {
        return line;
    }

    /** @return the file name */
    String name() {
        return name;
    }

    @Override
    public void close() throws IOException {
        try {
            reader.close();
        } finally {
            in.close();
        }
    }
}
