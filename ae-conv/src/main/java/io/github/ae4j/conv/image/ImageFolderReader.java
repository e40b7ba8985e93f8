package io.github.ae4j.conv.image;

import io.github.ae4j.core.data.DataKind;
import io.github.ae4j.core.data.FolderReader;
import io.github.ae4j.core.data.LoadedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /**
     * Reads a folder of images, or a labelled folder: one whose images sit in the subfolders {@value #NORMAL}
     * (label 0) and {@value #ANOMALY} (label 1), either of which may be missing; ids are then
     * {@code normal/NAME} and {@code anomaly/NAME}.
     */
    @Override
    public LoadedData read(Path folder, int[] shape) throws IOException {
        Path normal = folder.resolve(NORMAL);
        Path anomaly = folder.resolve(ANOMALY);
        if (Files.isDirectory(normal) || Files.isDirectory(anomaly)) {
            return labelled(folder, normal, anomaly, shape);
        }
        int[] s = shape;
        if (s == null) {
            ImageShape p = ImageFolder.probe(folder);
            s = new int[] {p.height(), p.width(), p.channels()};
        }
        Images imgs = ImageFolder.read(folder, s[0], s[1], s[2]);
        return new LoadedData(imgs.pixels(), null, imgs.names().toArray(new String[0]), null,
                DataKind.image(s[0], s[1], s[2]), folder);
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
