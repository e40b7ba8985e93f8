package io.github.ae4j.conv.image;

import io.github.ae4j.core.data.DataFormatException;
import io.github.ae4j.core.data.DataKind;
import io.github.ae4j.core.data.FolderReader;
import io.github.ae4j.core.data.LabelsFile;
import io.github.ae4j.core.data.LoadedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Folders of PNG/JPEG images as data for {@link io.github.ae4j.core.data.DataFiles} (registered with
 * {@link java.util.ServiceLoader}): read with {@link ImageFolder}, at a given shape or the probed one.
 */
public final class ImageFolderReader implements FolderReader {

    /** Creates the reader (for {@link java.util.ServiceLoader}). */
    public ImageFolderReader() {
    }

    /** Subfolder of normal images in a labelled folder. */
    public static final String NORMAL = "normal";
    /** Subfolder of anomalous images in a labelled folder. */
    public static final String ANOMALY = "anomaly";
    /** A file in an image folder labelling its images by file name (see {@link LabelsFile}). */
    public static final String LABELS = "labels.csv";

    /**
     * Reads a folder of images, or a labelled folder: one whose images sit in the subfolders {@value #NORMAL}
     * (label 0) and {@value #ANOMALY} (label 1), either of which may be missing (ids are then
     * {@code normal/NAME} and {@code anomaly/NAME}), or one holding a {@value #LABELS} file with columns
     * {@code file,label} and one row for each of its images (ids are the file names). A folder with both
     * conventions is refused, as is a labels file that misses an image or names one the folder lacks.
     */
    @Override
    public LoadedData read(Path folder, int[] shape) throws IOException {
        Path normal = folder.resolve(NORMAL);
        Path anomaly = folder.resolve(ANOMALY);
        Path labels = folder.resolve(LABELS);
        if (Files.isDirectory(normal) || Files.isDirectory(anomaly)) {
            if (Files.exists(labels)) {
                throw new DataFormatException(folder.toString(), -1, -1, null, "is labelled twice: it has "
                        + LABELS + " and " + NORMAL + "/ or " + ANOMALY + "/ subfolders; keep one convention");
            }
            return labelled(folder, normal, anomaly, shape);
        }
        int[] s = shape;
        if (s == null) {
            ImageShape p = ImageFolder.probe(folder);
            s = new int[] {p.height(), p.width(), p.channels()};
        }
        Images imgs = ImageFolder.read(folder, s[0], s[1], s[2]);
        String[] ids = imgs.names().toArray(new String[0]);
        int[] y = Files.exists(labels) ? labelsByName(labels, ids) : null;
        return new LoadedData(imgs.pixels(), y, ids, null, DataKind.image(s[0], s[1], s[2]), folder);
    }

    private static int[] labelsByName(Path file, String[] names) throws IOException {
        // more rows than images is an error either way; the slack lets a few stray rows be named as such
        Map<String, Integer> byName = LabelsFile.read(file, 2 * names.length + 16);
        int[] y = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            Integer l = byName.remove(names[i]);
            if (l == null) {
                throw new DataFormatException(file.toString(), -1, -1, null,
                        "has no row for the image '" + names[i] + "': every image of the folder needs a label");
            }
            y[i] = l;
        }
        if (!byName.isEmpty()) {
            throw new DataFormatException(file.toString(), -1, -1, null, "labels " + byName.size()
                    + " file(s) the folder has no image for, e.g. '" + byName.keySet().iterator().next() + "'");
        }
        return y;
    }

    private static LoadedData labelled(Path folder, Path normal, Path anomaly, int[] shape) throws IOException {
        boolean hasNormal = Files.isDirectory(normal);
        boolean hasAnomaly = Files.isDirectory(anomaly);
        int[] s = shape;
        if (s == null) {
            ImageShape p = ImageFolder.probe(hasNormal ? normal : anomaly);
            s = new int[] {p.height(), p.width(), p.channels()};
        }
        Images n = hasNormal ? ImageFolder.read(normal, s[0], s[1], s[2]) : null;
        Images a = hasAnomaly ? ImageFolder.read(anomaly, s[0], s[1], s[2]) : null;
        int nn = n == null ? 0 : n.pixels().rows();
        int na = a == null ? 0 : a.pixels().rows();
        INDArray x = n == null ? a.pixels() : a == null ? n.pixels() : Nd4j.concat(0, n.pixels(), a.pixels());
        int[] labels = new int[nn + na];
        java.util.Arrays.fill(labels, nn, nn + na, 1);
        String[] ids = new String[nn + na];
        for (int i = 0; i < nn; i++) {
            ids[i] = NORMAL + "/" + n.names().get(i);
        }
        for (int i = 0; i < na; i++) {
            ids[nn + i] = ANOMALY + "/" + a.names().get(i);
        }
        return new LoadedData(x, labels, ids, null, DataKind.image(s[0], s[1], s[2]), folder);
    }
}
