package io.github.ae4j.core.data;

/**
 * Bad input data, with where it is: file, data row (0-based, header excluded), file line (1-based)
 * and column. The message names all that is known, e.g.
 * {@code data.csv: row 17 (line 19), column 'age' (index 3): expected a number, got 'abc'}.
 */
public class DataFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final long row;
    private final long line;
    private final String column;

    /**
     * Creates the exception.
     *
     * @param file    the file name, or null
     * @param row     the 0-based data row, or -1
     * @param line    the 1-based line in the file, or -1
     * @param column  the column (name and/or index), or null
     * @param problem what is wrong
     */
    public DataFormatException(String file, long row, long line, String column, String problem) {
        super(format(file, row, line, column, problem));
        this.file = file;
        this.row = row;
        this.line = line;
        this.column = column;
    }

    private static String format(String file, long row, long line, String column, String problem) {
        StringBuilder sb = new StringBuilder();
        if (file != null) {
            sb.append(file).append(": ");
        }
        if (row >= 0) {
            sb.append("row ").append(row);
            if (line >= 0) {
                sb.append(" (line ").append(line).append(')');
            }
            sb.append(column != null ? ", " : ": ");
        } else if (line >= 0) {
            sb.append("line ").append(line).append(column != null ? ", " : ": ");
        }
        if (column != null) {
            sb.append("column ").append(column).append(": ");
        }
        return sb.append(problem).toString();
    }

    /** @return the file, or null */
    public String file() {
        return file;
    }

    /** @return the 0-based data row, or -1 */
    public long row() {
        return row;
    }

    /** @return the 1-based file line, or -1 */
    public long line() {
        return line;
    }

    /** @return the column description, or null */
    public String column() {
        return column;
    }
}
