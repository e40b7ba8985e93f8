package io.github.ae4j.conv.image;

import io.github.ae4j.core.data.DataKind;
import io.github.ae4j.core.data.FolderReader;
import io.github.ae4j.core.data.LoadedData;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Folders of PNG/JPEG images as data for {@link io.github.ae4j.core.data.DataFiles} (registered with
 * {@link java.util.ServiceLoader}): read with {@link ImageFolder}, at a given shape or the probed one.
 */
public final class ImageFolderReader implements FolderReader {

    /** Creates the reader (for {@link java.util.ServiceLoader}). */
    public ImageFolderReader() {
    }

    @Override
    public LoadedData read(Path folder, int[] shape) throws IOException {
        int[] s = shape;
        if (s == null) {
            ImageShape p = ImageFolder.probe(folder);
            s = new int[] {p.height(), p.width(), p.channels()};
        }
        Images imgs = ImageFolder.read(folder, s[0], s[1], s[2]);
        return new LoadedData(imgs.pixels(), null, imgs.names().toArray(new String[0]), null,
                DataKind.image(s[0], s[1], s[2]), folder);
    }
}
