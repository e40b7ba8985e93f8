package io.github.ae4j.conv.image;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Images as rows: one flattened HWC row of {@code shape.size()} values per image, with a name per
 * row (the file name for a folder, the row number or id for IDX and CSV files).
 *
 * @param pixels rows, shape [count, h*w*c], float, HWC order (values 0..255 for image files)
 * @param names  a name per row, in row order
 * @param shape  the shape of every image
 */
public record Images(INDArray pixels, List<String> names, ImageShape shape) {

    /** Validates the record. */
    public Images {
        Objects.requireNonNull(pixels, "pixels");
        names = List.copyOf(Objects.requireNonNull(names, "names"));
        Objects.requireNonNull(shape, "shape");
        if (pixels.rank() != 2 || pixels.size(0) != names.size() || pixels.size(1) != shape.size()) {
            throw new IllegalArgumentException("expected " + names.size() + " rows of " + shape.size()
                    + " pixels (" + shape + "), got shape " + Arrays.toString(pixels.shape()));
        }
    }

    /** @return the number of images */
    public int count() {
        return names.size();
    }
}
