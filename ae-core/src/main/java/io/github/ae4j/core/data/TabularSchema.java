package io.github.ae4j.core.data;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The columns of a table as a model saw them in training: which are numeric features, which are
 * categorical (one-hot encoded with the stored vocabulary), which are the label and id, which are
 * ignored; and the value that fills a missing cell (the training median for numeric columns).
 * Stored in the model so that scoring data is encoded exactly as training data was.
 *
 * <p>Cell rules: an empty cell or one of {@code NA, N/A, NaN, null, ?} (any case) is missing;
 * missing cells are imputed unless strict mode is on. An infinite value is an error. A category
 * not seen in training encodes as all zeros in its one-hot block (and is counted, see
 * {@link Encoder#unseenCategories()}).
 *
 * @param columns the columns, in file order
 * @param header  whether the file had a header line
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TabularSchema(List<Column> columns, boolean header) {

    /** What a column is. */
    public enum Role {
        /** A numeric feature. */
        NUMERIC,
        /** A categorical feature, one-hot encoded. */
        CATEGORICAL,
        /** The 0/1 anomaly label. */
        LABEL,
        /** A row identifier, copied to outputs. */
        ID,
        /** Dropped. */
        IGNORED
    }

    /**
     * One column.
     *
     * @param name       the header name (or {@code c<index>} without a header)
     * @param role       its role
     * @param categories the vocabulary of a categorical column (empty otherwise)
     * @param fill       the value imputed for a missing numeric cell
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Column(String name, Role role, List<String> categories, double fill) {
        /** Validates the record. */
        public Column {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(role, "role");
            categories = categories == null ? List.of() : List.copyOf(categories);
        }
    }

    private static final Set<String> MISSING = Set.of("", "na", "n/a", "nan", "null", "?", "none");

    /** Validates the record. */
    public TabularSchema {
        columns = List.copyOf(Objects.requireNonNull(columns, "columns"));
        if (columns.stream().noneMatch(c -> c.role() == Role.NUMERIC || c.role() == Role.CATEGORICAL)) {
            throw new IllegalArgumentException("the table has no feature columns");
        }
        if (columns.stream().filter(c -> c.role() == Role.LABEL).count() > 1
                || columns.stream().filter(c -> c.role() == Role.ID).count() > 1) {
            throw new IllegalArgumentException("at most one label and one id column");
        }
    }

    /** @return the number of values per encoded row (one-hot blocks expanded) */
    @JsonIgnore
    public int featureCount() {
        int n = 0;
        for (Column c : columns) {
            n += c.role() == Role.NUMERIC ? 1 : c.role() == Role.CATEGORICAL ? c.categories().size() : 0;
        }
        return n;
    }

    /** @return names of the encoded features: the column name, or {@code column=category} */
    @JsonIgnore
    public List<String> featureNames() {
        List<String> names = new ArrayList<>();
        for (Column c : columns) {
            if (c.role() == Role.NUMERIC) {
                names.add(c.name());
            } else if (c.role() == Role.CATEGORICAL) {
                for (String cat : c.categories()) {
                    names.add(c.name() + "=" + cat);
                }
            }
        }
        return names;
    }

    /** @return the label column's index in the file, or -1 */
    @JsonIgnore
    public int labelIndex() {
        return indexOf(Role.LABEL);
    }

    /** @return the id column's index in the file, or -1 */
    @JsonIgnore
    public int idIndex() {
        return indexOf(Role.ID);
    }

    private int indexOf(Role r) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).role() == r) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether a cell counts as missing.
     *
     * @param cell the trimmed cell
     * @return true for empty, NA, N/A, NaN, null, ?, none
     */
    public static boolean isMissing(String cell) {
        return cell.isEmpty() || (cell.length() <= 4 && MISSING.contains(cell.toLowerCase(Locale.ROOT)));
    }

    /**
     * Parses a 0/1 label.
     *
     * @param cell the trimmed cell
     * @return 1 for anomaly ({@code 1, true, yes, anomaly}), 0 for normal ({@code 0, false, no, normal}),
     *         -1 when the cell is not a label
     */
    public static int parseLabel(String cell) {
        switch (cell.toLowerCase(Locale.ROOT)) {
            case "1": case "1.0": case "true": case "yes": case "anomaly":
                return 1;
            case "0": case "0.0": case "false": case "no": case "normal":
                return 0;
            default:
                return -1;
        }
    }

    /**
     * A column description for messages: {@code 'name' (index i)}.
     *
     * @param i the column index
     * @return the description
     */
    public String describeColumn(int i) {
        return header ? "'" + columns.get(i).name() + "' (index " + i + ")" : String.valueOf(i);
    }

    /** Encodes raw rows into feature vectors; counts unseen categories. Not thread-safe. */
    public final class Encoder {
        private final String file;
        private final boolean strict;
        private final int[] offsets;
        private final List<Map<String, Integer>> vocab;
        private long unseen;

        Encoder(String file, boolean strict) {
            this.file = file;
            this.strict = strict;
            this.offsets = new int[columns.size()];
            this.vocab = new ArrayList<>();
            int off = 0;
            for (int i = 0; i < columns.size(); i++) {
                Column c = columns.get(i);
                offsets[i] = off;
                Map<String, Integer> m = new HashMap<>();
                for (int k = 0; k < c.categories().size(); k++) {
                    m.put(c.categories().get(k), k);
                }
                vocab.add(m);
                off += c.role() == Role.NUMERIC ? 1 : c.role() == Role.CATEGORICAL ? c.categories().size() : 0;
            }
        }

        /**
         * Encodes one row into {@code out[at .. at + featureCount())}.
         *
         * @param cells the row's cells (untrimmed)
         * @param row   0-based data row, for messages
         * @param line  1-based file line, for messages
         * @param out   destination
         * @param at    offset in {@code out}
         * @throws DataFormatException naming file, row and column
         */
        public void encode(String[] cells, long row, long line, float[] out, int at) {
            if (cells.length != columns.size()) {
                throw new DataFormatException(file, row, line, null, "expected " + columns.size()
                        + " columns, got " + cells.length);
            }
            for (int i = 0; i < cells.length; i++) {
                Column c = columns.get(i);
                switch (c.role()) {
                    case NUMERIC -> out[at + offsets[i]] = (float) number(cells[i].trim(), c, i, row, line);
                    case CATEGORICAL -> {
                        int base = at + offsets[i];
                        int n = c.categories().size();
                        for (int k = 0; k < n; k++) {
                            out[base + k] = 0f;
                        }
                        String v = cells[i].trim();
                        if (isMissing(v)) {
                            if (strict) {
                                throw new DataFormatException(file, row, line, describeColumn(i),
                                        "missing value (strict mode)");
                            }
                        } else {
                            Integer k = vocab.get(i).get(v);
                            if (k == null) {
                                unseen++;
                            } else {
                                out[base + k] = 1f;
                            }
                        }
                    }
                    default -> { }
                }
            }
        }

        private double number(String v, Column c, int i, long row, long line) {
            if (isMissing(v)) {
                if (strict) {
                    throw new DataFormatException(file, row, line, describeColumn(i), "missing value (strict mode)");
                }
                return c.fill();
            }
            double d;
            try {
                d = CsvNumbers.parse(v);
            } catch (NumberFormatException e) {
                throw new DataFormatException(file, row, line, describeColumn(i),
                        "expected a number, got '" + abbreviate(v) + "'");
            }
            if (Double.isInfinite(d) || Math.abs(d) > Float.MAX_VALUE) {
                throw new DataFormatException(file, row, line, describeColumn(i),
                        "value '" + abbreviate(v) + "' is infinite or out of float range");
            }
            return d;
        }

        /**
         * Parses the label cell of a row.
         *
         * @param cells the row's cells
         * @param row   0-based data row
         * @param line  1-based line
         * @return 0 or 1
         * @throws DataFormatException when the cell is not a 0/1 label
         */
        public int label(String[] cells, long row, long line) {
            int li = labelIndex();
            String v = cells[li].trim();
            int l = parseLabel(v);
            if (l < 0) {
                throw new DataFormatException(file, row, line, describeColumn(li),
                        "expected a label: 1, 1.0, true, yes or anomaly for an anomaly; 0, 0.0, false, no or"
                                + " normal for a normal row (any letter case), got '" + abbreviate(v) + "'");
            }
            return l;
        }

        /** @return how many categorical cells held a category not seen in training */
        public long unseenCategories() {
            return unseen;
        }
    }

    /**
     * An encoder for rows of a file.
     *
     * @param file   the file name, for messages
     * @param strict true to refuse missing cells
     * @return a new encoder
     */
    public Encoder encoder(String file, boolean strict) {
        return new Encoder(file, strict);
    }

    /**
     * Trims long cell text for messages.
     *
     * @param s the text
     * @return at most 40 characters
     */
    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
