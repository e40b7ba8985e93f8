package io.github.ae4j.core.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the columns of a file map onto the columns a model was trained on. With a header line (in
 * training and in this file) columns are matched <b>by name</b>: a reordered file is read in the
 * model's order, and a column the model needs but the file lacks, or a column the file has but the
 * model does not know, is an error naming them. A file without a header line can only be matched
 * by position, checked by its width (a warning says so). A header in one file and not in the other
 * is an error, unless matching by position is asked for ({@link CsvOptions#positional()}: the
 * columns are then matched by position, checked by their number, whatever the headers say).
 *
 * <p>The binding gives the schema to encode with ({@link #schema()}: the model's feature and ignored
 * columns in the model's order, then this file's label and id columns) and rearranges each row's
 * cells to it ({@link #arrange}). Columns that were the label or id column in training, present in
 * this file but not named as its label or id column, are skipped: they were never features.
 */
public final class ColumnBinding {

    private static final Logger LOG = LoggerFactory.getLogger(ColumnBinding.class);

    private final TabularSchema schema;
    private final int[] source;
    private final int fileWidth;
    private final String file;

    private ColumnBinding(TabularSchema schema, int[] source, int fileWidth, String file) {
        this.schema = schema;
        this.source = source;
        this.fileWidth = fileWidth;
        this.file = file;
    }

    /**
     * Binds a file's columns to a model's schema.
     *
     * @param model  the schema the model was trained on
     * @param header whether this file has a header line
     * @param names  this file's column names (header cells, or {@code c<index>} without a header)
     * @param opts   this file's label and id columns (names or 0-based indices)
     * @param file   the file, for messages
     * @return the binding
     * @throws DataFormatException when the columns do not match, naming the missing and unknown ones
     */
    public static ColumnBinding bind(TabularSchema model, boolean header, List<String> names, CsvOptions opts,
                                     String file) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(names, "names");
        Objects.requireNonNull(opts, "opts");
        int label = opts.labelColumn() == null ? -1 : CsvReader.resolve(opts.labelColumn(), names, "label", file);
        int id = opts.idColumn() == null ? -1 : CsvReader.resolve(opts.idColumn(), names, "id", file);
        if (label >= 0 && label == id) {
            throw new DataFormatException(file, -1, -1, null, "the label and id columns are the same column ("
                    + label + ")");
        }
        List<TabularSchema.Column> modelCols = new ArrayList<>();
        Set<String> trainingOnly = new LinkedHashSet<>();
        for (TabularSchema.Column c : model.columns()) {
            if (c.role() == TabularSchema.Role.LABEL || c.role() == TabularSchema.Role.ID) {
                trainingOnly.add(c.name());
            } else {
                modelCols.add(c);
            }
        }
        if (model.header() != header && !opts.positional()) {
            throw new DataFormatException(file, -1, -1, null, model.header()
                    ? "has no header line, but the model was trained on a file with one (columns "
                    + list(names(modelCols)) + "): columns cannot be matched by name; add the header line, or match"
                    + " them by position (--match-columns position)"
                    : "has a header line, but the model was trained on a file without one: columns cannot be"
                    + " matched by name; remove the header line, or match them by position (--match-columns"
                    + " position)");
        }
        int[] src = new int[modelCols.size() + (label >= 0 ? 1 : 0) + (id >= 0 ? 1 : 0)];
        if (header && model.header() && !opts.positional()) {
            Map<String, Integer> at = new HashMap<>();
            List<String> unknown = new ArrayList<>();
            Set<String> known = new LinkedHashSet<>(names(modelCols));
            for (int i = 0; i < names.size(); i++) {
                if (i == label || i == id) {
                    continue;
                }
                String n = names.get(i);
                if (at.containsKey(n)) {
                    throw new DataFormatException(file, -1, -1, null, "column '" + n + "' appears twice in the"
                            + " header: columns are matched to the model's by name");
                }
                at.put(n, i);
                if (!known.contains(n) && !trainingOnly.contains(n)) {
                    unknown.add(n);
                }
            }
            List<String> missing = new ArrayList<>();
            for (int k = 0; k < modelCols.size(); k++) {
                Integer i = at.get(modelCols.get(k).name());
                if (i == null) {
                    missing.add(modelCols.get(k).name());
                } else {
                    src[k] = i;
                }
            }
            if (!missing.isEmpty() || !unknown.isEmpty()) {
                StringBuilder m = new StringBuilder("columns do not match the model's (matched by name):");
                if (!missing.isEmpty()) {
                    m.append(" missing ").append(list(missing)).append(';');
                }
                if (!unknown.isEmpty()) {
                    m.append(" unknown ").append(list(unknown)).append(';');
                }
                m.append(" the model's columns are ").append(list(names(modelCols)));
                if (!unknown.isEmpty() && label < 0 && id < 0) {
                    m.append(" (a label or id column must be named as such, e.g. --label-column / --id-column)");
                }
                throw new DataFormatException(file, -1, -1, null, m.toString());
            }
        } else {
            int others = names.size() - (label >= 0 ? 1 : 0) - (id >= 0 ? 1 : 0);
            if (others != modelCols.size()) {
                throw new DataFormatException(file, -1, -1, null, "expected " + modelCols.size()
                        + " feature columns (the model takes " + model.featureCount() + " features"
                        + (label < 0 && model.labelIndex() >= 0 ? "; the training file also had a label column" : "")
                        + "), got " + others + " besides the label and id columns (" + (opts.positional()
                        ? "matched by position as asked" : "no header line: columns are matched by position")
                        + ", checked by their number only): check --label-column / --id-column");
            }
            int k = 0;
            for (int i = 0; i < names.size(); i++) {
                if (i != label && i != id) {
                    src[k++] = i;
                }
            }
            if (opts.positional()) {
                LOG.warn("{}: its {} columns are matched to the model's by position, as asked (checked by their"
                        + " number only; names are not compared)", file, names.size());
            } else {
                LOG.warn("{}: no header line: its {} columns are matched to the model's by position only (checked"
                        + " by their number; a header line lets ae4j match them by name)", file, names.size());
            }
        }
        List<TabularSchema.Column> cols = new ArrayList<>(modelCols);
        int k = modelCols.size();
        if (label >= 0) {
            cols.add(new TabularSchema.Column(names.get(label), TabularSchema.Role.LABEL, List.of(), 0));
            src[k++] = label;
        }
        if (id >= 0) {
            cols.add(new TabularSchema.Column(names.get(id), TabularSchema.Role.ID, List.of(), 0));
            src[k] = id;
        }
        return new ColumnBinding(new TabularSchema(cols, header), src, names.size(), file);
    }

    /**
     * @return the schema to encode arranged rows with: the model's columns in its order, then this
     *         file's label and id columns
     */
    public TabularSchema schema() {
        return schema;
    }

    /** @return the number of columns each row of the file must have */
    public int fileWidth() {
        return fileWidth;
    }

    /**
     * Rearranges one row of the file to {@link #schema()}'s columns.
     *
     * @param cells the row's cells, in file order
     * @param row   0-based data row, for messages
     * @param line  1-based line, for messages
     * @return the cells in the schema's order
     * @throws DataFormatException when the row has the wrong number of cells
     */
    public String[] arrange(String[] cells, long row, long line) {
        if (cells.length != fileWidth) {
            throw new DataFormatException(file, row, line, null, "expected " + fileWidth + " columns, got "
                    + cells.length);
        }
        return arrange(cells, source);
    }

    /**
     * Rearranges cells by a {@link #source()} map (for distributed readers that ship the map, not the
     * binding); the row's width must have been checked.
     *
     * @param cells  the row's cells, in file order
     * @param source for each column of the binding's schema, the file column it comes from
     * @return the cells in the schema's order
     */
    public static String[] arrange(String[] cells, int[] source) {
        String[] out = new String[source.length];
        for (int k = 0; k < source.length; k++) {
            out[k] = cells[source[k]];
        }
        return out;
    }

    /** @return for each column of {@link #schema()}, the 0-based file column it is read from */
    public int[] source() {
        return source.clone();
    }

    private static List<String> names(List<TabularSchema.Column> cols) {
        List<String> l = new ArrayList<>(cols.size());
        for (TabularSchema.Column c : cols) {
            l.add(c.name());
        }
        return l;
    }

    private static String list(java.util.Collection<String> names) {
        List<String> l = new ArrayList<>(names);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(l.size(), 20); i++) {
            sb.append(i == 0 ? "" : ", ").append('\'').append(l.get(i)).append('\'');
        }
        if (l.size() > 20) {
            sb.append(", ... (").append(l.size()).append(" in all)");
        }
        return sb.toString();
    }
}
