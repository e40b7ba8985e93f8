package io.github.ae4j.core.data;

import java.nio.file.Path;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Rows read from a data file or folder by {@link DataFiles#read}: features, optional labels and ids,
 * and what the data is.
 *
 * @param x      feature rows [rows, features]
 * @param labels 0/1 labels, or null
 * @param ids    ids per row (a CSV id column, or image file names), or null
 * @param schema the CSV schema, or null for images
 * @param kind   the kind of data (a table, images of a shape, rows)
 * @param source the file or folder
 */
public record LoadedData(INDArray x, int[] labels, String[] ids, TabularSchema schema, DataKind kind, Path source) {

    /** Validates the record. */
    public LoadedData {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(kind, "kind");
    }

    /** @return the number of rows */
    public int rows() {
        return (int) x.size(0);
    }
}
