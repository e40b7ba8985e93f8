package io.github.ae4j.core.data;

import java.util.Objects;
import java.util.Set;

/**
 * How to read a CSV file.
 *
 * @param labelColumn   the label column (header name or 0-based index), or null; labels are 1/true
 *                      = anomaly, 0/false = normal, and never features
 * @param idColumn      the id column (name or index), or null; never a feature
 * @param header        whether the first line is a header: null to detect it (a first line with no
 *                      numeric cell is a header)
 * @param delimiter     the cell delimiter
 * @param strict        true: a missing cell is an error; false: it is imputed with the training median
 *                      (numeric) or left all-zero (categorical)
 * @param categorical   columns (names or indices) to one-hot encode even if their values look numeric
 * @param ignore        columns (names or indices) to drop
 * @param maxCategories the most distinct values a categorical column may have
 * @param positional    when reading for a model: match this file's columns to the model's by position
 *                      (checked by their number only) even when one file has a header line and the other
 *                      not, or both have one; false (the default): by name where both have a header line,
 *                      and a header in one file but not the other is an error ({@link ColumnBinding})
 */
public record CsvOptions(String labelColumn, String idColumn, Boolean header, char delimiter, boolean strict,
                         Set<String> categorical, Set<String> ignore, int maxCategories, boolean positional) {

    /** Validates the record. */
    public CsvOptions {
        categorical = Set.copyOf(Objects.requireNonNull(categorical, "categorical"));
        ignore = Set.copyOf(Objects.requireNonNull(ignore, "ignore"));
        if (maxCategories < 2) {
            throw new IllegalArgumentException("maxCategories must be >= 2, got " + maxCategories);
        }
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("invalid delimiter '" + delimiter + "'");
        }
    }

    /** @return comma-separated, header detected, no label or id column, lenient, up to 100 categories */
    public static CsvOptions defaults() {
        return new CsvOptions(null, null, null, ',', false, Set.of(), Set.of(), 100, false);
    }

    /** @param c the label column @return a copy */
    public CsvOptions withLabelColumn(String c) {
        return new CsvOptions(c, idColumn, header, delimiter, strict, categorical, ignore, maxCategories, positional);
    }

    /** @param c the id column @return a copy */
    public CsvOptions withIdColumn(String c) {
        return new CsvOptions(labelColumn, c, header, delimiter, strict, categorical, ignore, maxCategories, positional);
    }

    /** @param h true/false, or null to detect @return a copy */
    public CsvOptions withHeader(Boolean h) {
        return new CsvOptions(labelColumn, idColumn, h, delimiter, strict, categorical, ignore, maxCategories, positional);
    }

    /** @param d the delimiter @return a copy */
    public CsvOptions withDelimiter(char d) {
        return new CsvOptions(labelColumn, idColumn, header, d, strict, categorical, ignore, maxCategories, positional);
    }

    /** @param s strict mode @return a copy */
    public CsvOptions withStrict(boolean s) {
        return new CsvOptions(labelColumn, idColumn, header, delimiter, s, categorical, ignore, maxCategories, positional);
    }

    /** @param c categorical columns @return a copy */
    public CsvOptions withCategorical(Set<String> c) {
        return new CsvOptions(labelColumn, idColumn, header, delimiter, strict, c, ignore, maxCategories, positional);
    }

    /** @param c ignored columns @return a copy */
    public CsvOptions withIgnore(Set<String> c) {
        return new CsvOptions(labelColumn, idColumn, header, delimiter, strict, categorical, c, maxCategories, positional);
    }

    /** @param p match columns by position ({@link #positional()}) @return a copy */
    public CsvOptions withPositional(boolean p) {
        return new CsvOptions(labelColumn, idColumn, header, delimiter, strict, categorical, ignore, maxCategories, p);
    }
}
