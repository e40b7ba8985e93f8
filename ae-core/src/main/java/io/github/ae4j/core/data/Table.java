package io.github.ae4j.core.data;

import java.util.Objects;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A table read into memory: encoded features, and the label and id columns when present.
 *
 * @param features encoded rows, shape [rows, schema.featureCount()], float
 * @param labels   0/1 labels per row, or null without a label column
 * @param ids      ids per row, or null without an id column
 * @param schema   how the file's columns were encoded
 * @param source   where the rows came from (file name)
 */
public record Table(INDArray features, int[] labels, String[] ids, TabularSchema schema, String source) {

    /** Validates the record. */
    public Table {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(schema, "schema");
        long n = features.size(0);
        if (labels != null && labels.length != n || ids != null && ids.length != n) {
            throw new IllegalArgumentException("labels/ids do not match the number of rows " + n);
        }
    }

    /** @return the number of rows */
    public int rows() {
        return (int) features.size(0);
    }

    /** @return the labels, if the table has a label column */
    public Optional<int[]> labelsIfPresent() {
        return Optional.ofNullable(labels);
    }
}
