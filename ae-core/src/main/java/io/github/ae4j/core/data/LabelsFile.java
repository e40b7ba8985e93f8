package io.github.ae4j.core.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A CSV file that labels items by name, such as the {@code labels.csv} of an image folder: a header line with a
 * {@value #NAME_COLUMN} column and a {@value #LABEL_COLUMN} column (any order, names case-insensitive, other columns
 * ignored), then one row per item. Labels read as in a data file ({@link TabularSchema#parseLabel}: {@code 1},
 * {@code true}, {@code yes}, {@code anomaly} = anomaly; {@code 0}, {@code false}, {@code no}, {@code normal} = normal).
 * Read with the same hostile-file limits as data files; every problem is a {@link DataFormatException} naming the
 * file, row, line and column.
 */
public final class LabelsFile {

    /** The column naming the item (e.g. an image's file name). */
    public static final String NAME_COLUMN = "file";
    /** The column holding its label. */
    public static final String LABEL_COLUMN = "label";

    private LabelsFile() {
    }

    /**
     * Reads the labels.
     *
     * @param file    the CSV file (plain or gzipped)
     * @param maxRows most rows accepted (e.g. the number of items that can be labelled): one more is an error, so a
     *                huge file is refused without being held in memory
     * @return label (0 or 1) by name, in the file's order
     * @throws IOException         when the file cannot be read
     * @throws DataFormatException on a missing header column, an empty name, a name given twice, a cell that is not
     *                             a label, or more than {@code maxRows} rows
     */
    public static Map<String, Integer> read(Path file, int maxRows) throws IOException {
        String f = file.toString();
        try (CsvLines lines = new CsvLines(file, ',')) {
            String[] header = lines.next();
            if (header == null) {
                throw new DataFormatException(f, -1, -1, null, "is empty: expected a header line with columns '"
                        + NAME_COLUMN + "' and '" + LABEL_COLUMN + "'");
            }
            int nameAt = column(header, NAME_COLUMN, f);
            int labelAt = column(header, LABEL_COLUMN, f);
            Map<String, Integer> out = new LinkedHashMap<>();
            String[] cells;
            long row = 0;
            while ((cells = lines.next()) != null) {
                long line = lines.line();
                if (row >= maxRows) {
                    throw new DataFormatException(f, row, line, null,
                            "has more rows than the " + maxRows + " items it can label");
                }
                String name = cell(cells, nameAt);
                String value = cell(cells, labelAt);
                if (name.isEmpty()) {
                    throw new DataFormatException(f, row, line, describe(NAME_COLUMN, nameAt), "the name is empty");
                }
                int label = TabularSchema.parseLabel(value);
                if (label < 0) {
                    throw new DataFormatException(f, row, line, describe(LABEL_COLUMN, labelAt),
                            "expected a label (0/1, false/true, normal/anomaly), got '" + value + "'");
                }
                if (out.putIfAbsent(name, label) != null) {
                    throw new DataFormatException(f, row, line, describe(NAME_COLUMN, nameAt),
                            "'" + name + "' is labelled twice");
                }
                row++;
            }
            if (out.isEmpty()) {
                throw new DataFormatException(f, -1, -1, null, "has a header line but no rows");
            }
            return out;
        }
    }

    private static int column(String[] header, String name, String file) {
        for (int i = 0; i < header.length; i++) {
            if (header[i].trim().toLowerCase(Locale.ROOT).equals(name)) {
                return i;
            }
        }
        throw new DataFormatException(file, -1, 1, null, "expected a header line with columns '" + NAME_COLUMN
                + "' and '" + LABEL_COLUMN + "', found " + List.of(header).subList(0, Math.min(8, header.length))
                + (header.length > 8 ? " and " + (header.length - 8) + " more" : "") + " (no '" + name + "')");
    }

    private static String cell(String[] cells, int i) {
        return i < cells.length ? cells[i].trim() : "";
    }

    private static String describe(String name, int i) {
        return "'" + name + "' (index " + i + ")";
    }
}
