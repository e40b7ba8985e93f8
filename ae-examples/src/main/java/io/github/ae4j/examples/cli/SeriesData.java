package io.github.ae4j.examples.cli;

import io.github.ae4j.core.data.CsvOptions;
import io.github.ae4j.core.data.CsvReader;
import io.github.ae4j.core.data.Table;
import io.github.ae4j.core.data.TabularSchema;
import java.io.IOException;
import java.nio.file.Path;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A series read from a CSV file: rows are time steps in order, columns are channels (numbers); the
 * label column (1 = an anomalous point) and the id or time column are never channels.
 *
 * @param points {@code [steps][channels]}
 * @param labels one 0/1 label per step, or null
 * @param ids    one id (time stamp) per step, or null
 * @param schema the columns
 */
record SeriesData(double[][] points, int[] labels, String[] ids, TabularSchema schema) {

    int steps() {
        return points.length;
    }

    /**
     * Reads a series.
     *
     * @param file        the CSV file
     * @param labelColumn the label column, or null
     * @param idColumn    the id (time) column, or null
     * @param model       the schema of the model it is for (columns matched by name), or null when training
     * @return the series
     * @throws IOException on I/O failure
     */
    static SeriesData read(Path file, String labelColumn, String idColumn, TabularSchema model) throws IOException {
        CsvOptions opts = CsvOptions.defaults().withLabelColumn(labelColumn).withIdColumn(idColumn);
        Table t = model == null ? CsvReader.read(file, opts) : CsvReader.read(file, model, opts);
        for (TabularSchema.Column c : t.schema().columns()) {
            if (c.role() == TabularSchema.Role.CATEGORICAL) {
                throw new UsageException(file + ": column '" + c.name() + "' is not numeric: the channels of a series"
                        + " must be numbers (name a time stamp column with --time-column)");
            }
        }
        return new SeriesData(t.features().castTo(DataType.DOUBLE).toDoubleMatrix(), t.labels(), t.ids(), t.schema());
    }
}
