package io.github.ae4j.core.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads a folder given as data (e.g. a folder of images): a {@link java.util.ServiceLoader} provider
 * that {@link DataFiles} finds; ae-conv registers the image-folder reader.
 */
public interface FolderReader {

    /**
     * Reads a folder.
     *
     * @param folder the folder
     * @param shape  {@code [height, width, channels]} to read the items as, or null to probe it
     * @return the rows (ids: the item names)
     * @throws IOException on I/O failure
     */
    LoadedData read(Path folder, int[] shape) throws IOException;
}
