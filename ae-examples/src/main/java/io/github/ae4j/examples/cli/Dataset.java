package io.github.ae4j.examples.cli;

import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.data.DataFiles;
import io.github.ae4j.core.data.LoadedData;
import io.github.ae4j.core.data.TabularSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Data given with {@code --data}: a CSV (or .csv.gz) table, a folder of images, or an IDX file,
 * loaded as rows of features with optional labels and ids.
 *
 * @param x           feature rows [n, features]
 * @param labels      0/1 labels, or null
 * @param ids         ids per row (CSV id column or image file names), or null
 * @param schema      the CSV schema, or null for images
 * @param imageShape  {h, w, c} for images, or null for tables
 * @param source      the file
 */
record Dataset(INDArray x, int[] labels, String[] ids, TabularSchema schema, int[] imageShape, Path source) {

    int rows() {
        return (int) x.size(0);
    }

    boolean isImage() {
        return imageShape != null;
    }

    /** @return the kind of data, as recorded in the model */
    io.github.ae4j.core.data.DataKind kind() {
        return isImage() ? io.github.ae4j.core.data.DataKind.image(imageShape[0], imageShape[1], imageShape[2])
                : schema != null ? io.github.ae4j.core.data.DataKind.table() : io.github.ae4j.core.data.DataKind.rows();
    }

    List<String> featureNames() {
        if (schema != null) {
            return schema.featureNames();
        }
        List<String> n = new ArrayList<>();
        for (int i = 0; i < x.size(1); i++) {
            n.add("f" + i);
        }
        return n;
    }

    /**
     * Loads data.
     *
     * @param file        the file or folder
     * @param labelColumn label column (CSV only), or null
     * @param idColumn    id column (CSV only), or null
     * @param image       "HxWxC" for CSV rows that are images, or for the size to resize a folder's images to; or null
     * @param modelSchema the schema of the model the data is for (CSV), or null when training
     * @param modelImage  the image shape of the model the data is for, or null
     * @return the data
     * @throws IOException on I/O failure
     */
    static Dataset load(Path file, String labelColumn, String idColumn, String image, TabularSchema modelSchema,
                        int[] modelImage) throws IOException {
        int[] shape = image != null ? parseImage(image) : modelImage;
        LoadedData d = DataFiles.read(file, new DataFiles.Request(labelColumn, idColumn, shape, modelSchema));
        return new Dataset(d.x(), d.labels(), d.ids(), d.schema(), d.kind().imageShape(), file);
    }

    /**
     * Loads data for an existing model: read with the model's CSV schema and image shape.
     *
     * @param file        the file or folder
     * @param labelColumn label column (CSV only), or null
     * @param idColumn    id column (CSV only), or null
     * @param model       the model the data is for
     * @return the data
     * @throws IOException on I/O failure
     */
    static Dataset forModel(Path file, String labelColumn, String idColumn, Autoencoder model)
            throws IOException {
        return forModel(file, labelColumn, idColumn, model, false);
    }

    /**
     * As {@link #forModel(Path, String, String, Autoencoder)}, matching CSV columns by position when asked
     * ({@code --match-columns position}).
     *
     * @param file        the file or folder
     * @param labelColumn label column (CSV only), or null
     * @param idColumn    id column (CSV only), or null
     * @param model       the model the data is for
     * @param positional  match CSV columns to the model's by position
     * @return the data
     * @throws IOException on I/O failure
     */
    static Dataset forModel(Path file, String labelColumn, String idColumn, Autoencoder model, boolean positional)
            throws IOException {
        int[] shape = Models.imageShape(model);
        LoadedData d = DataFiles.read(file, new DataFiles.Request(labelColumn, idColumn, shape,
                model.schema().orElse(null), positional));
        return new Dataset(d.x(), d.labels(), d.ids(), d.schema(), d.kind().imageShape(), file);
    }

    /**
     * Parses {@code HxWxC}.
     *
     * @param s the text
     * @return {h, w, c}
     */
    static int[] parseImage(String s) {
        String[] p = s.trim().toLowerCase(java.util.Locale.ROOT).split("x");
        try {
            if (p.length == 2 || p.length == 3) {
                int[] r = {Integer.parseInt(p[0]), Integer.parseInt(p[1]), p.length == 3 ? Integer.parseInt(p[2]) : 1};
                if (r[0] > 0 && r[1] > 0 && (r[2] == 1 || r[2] == 3)) {
                    return r;
                }
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new UsageException("--image expects HxWxC with C = 1 or 3, e.g. 28x28x1; got '" + s + "'");
    }
}
