package io.github.ae4j.core.data;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.datavec.api.records.reader.impl.csv.CSVRecordReader;
import org.datavec.api.split.InputStreamInputSplit;
import org.datavec.api.writable.Writable;

/**
 * Reads the records of a CSV or gzip-compressed CSV file with DataVec's {@link CSVRecordReader},
 * as arrays of cells, keeping track of line numbers and skipping blank lines. Parse errors
 * (unterminated quotes) become {@link DataFormatException}s naming the line.
 */
final class CsvLines implements Closeable {

    private final String name;
    private final InputStream in;
    private final CSVRecordReader reader;
    private long line;

    CsvLines(Path file, char delimiter) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        this.name = file.toString();
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            this.in = isGzip(file, raw) ? new BufferedInputStream(gunzip(file, raw), 1 << 16) : raw;
            this.reader = new CSVRecordReader(0, delimiter);
            reader.initialize(new InputStreamInputSplit(in));
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        } catch (InterruptedException e) {
            raw.close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static InputStream gunzip(Path file, InputStream raw) throws IOException {
        try {
            return new GZIPInputStream(raw, 1 << 16);
        } catch (java.io.EOFException | java.util.zip.ZipException e) {
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

    /**
     * The next non-blank record.
     *
     * @return its cells, or null at the end of the file
     * @throws IOException on I/O failure (including truncated gzip data)
     */
    String[] next() throws IOException {
        while (true) {
            boolean has;
            try {
                has = reader.hasNext();
            } catch (RuntimeException e) {
                throw io(e);
            }
            if (!has) {
                return null;
            }
            List<Writable> rec;
            line++;
            try {
                rec = reader.next();
            } catch (RuntimeException e) {
                if (e.getCause() instanceof IOException io && !(e.getCause().getMessage() != null
                        && e.getCause().getMessage().contains("quote"))) {
                    throw io(e);
                }
                throw new DataFormatException(name, -1, line, null, "cannot parse the line: "
                        + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
            }
            if (rec.size() == 1 && rec.get(0).toString().trim().isEmpty()) {
                continue;
            }
            String[] cells = new String[rec.size()];
            for (int i = 0; i < cells.length; i++) {
                cells[i] = rec.get(i).toString();
            }
            return cells;
        }
    }

    private IOException io(RuntimeException e) {
        Throwable c = e;
        while (c.getCause() != null && !(c instanceof IOException)) {
            c = c.getCause();
        }
        String what = c instanceof java.io.EOFException ? "unexpected end of data (truncated file?)"
                : c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName();
        return new IOException(name + ": " + what, c);
    }

    /** @return the 1-based line number of the last record returned */
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
