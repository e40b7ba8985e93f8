package io.github.ae4j.core.data;

import java.io.Closeable;
import java.io.IOException;
import java.util.Iterator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Training rows that may not fit in memory: a source that can be read from the start as often as
 * needed (once to fit the normaliser, once per epoch), in blocks of raw rows.
 * {@link io.github.ae4j.core.data.CsvRowSource} streams a CSV file.
 */
public interface RowSource {

    /** @return values per row */
    int width();

    /**
     * Opens a pass over all rows, in order.
     *
     * @param blockRows rows per block (the last block may be shorter)
     * @return the blocks, raw rows of shape [rows, width()]; close it
     * @throws IOException on I/O failure
     */
    Blocks open(int blockRows) throws IOException;

    /** One pass over the rows. */
    interface Blocks extends Iterator<INDArray>, Closeable {
    }
}
