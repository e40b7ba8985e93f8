package io.github.ae4j.core.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A CSV file as a {@link RowSource}: streamed in blocks with a fixed schema, so that training (or
 * any other pass) runs in memory bounded by the block size, whatever the file's size.
 */
public final class CsvRowSource implements RowSource {

    private final Path file;
    private final TabularSchema schema;
    private final CsvOptions options;

    /**
     * Creates the source.
     *
     * @param file    the CSV file
     * @param schema  the schema (e.g. from {@link CsvReader#inferSchema} on the first rows)
     * @param options the label/id columns and strictness
     */
    public CsvRowSource(Path file, TabularSchema schema, CsvOptions options) {
        this.file = Objects.requireNonNull(file, "file");
        this.schema = Objects.requireNonNull(schema, "schema");
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public int width() {
        return schema.featureCount();
    }

    @Override
    public Blocks open(int blockRows) throws IOException {
        CsvReader.BatchStream s = CsvReader.stream(file, schema, options, blockRows);
        return new Blocks() {
            @Override
            public boolean hasNext() {
                return s.hasNext();
            }

            @Override
            public INDArray next() {
                return s.next().features();
            }

            @Override
            public void close() throws IOException {
                s.close();
            }
        };
    }
}
