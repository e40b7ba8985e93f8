package io.github.ae4j.conv.image;

import io.github.ae4j.core.data.DataFormatException;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a folder of image files (PNG, JPEG, BMP, GIF, read with {@code javax.imageio}) into rows
 * of pixels: one row of {@code height * width * channels} values 0..255 per image, in HWC order,
 * files sorted by name. Images of another size are resized (area averaging when shrinking, bilinear
 * interpolation when enlarging, per axis).
 *
 * <p>The channel count of an image is its number of colour components plus one for alpha: 1 for
 * grey, 2 for grey + alpha, 3 for RGB, 4 for RGBA (a palette image is grey when every palette
 * entry is grey, RGB otherwise). It must equal the
 * requested {@code channels}: a colour image in a folder read as grey, or an image with alpha read
 * as RGB, is an error naming the file. 16-bit images are scaled to 0..255.
 *
 * <p>Files whose names do not end in {@code .png}, {@code .jpg}, {@code .jpeg}, {@code .bmp} or
 * {@code .gif} (case-insensitive), hidden files and sub-folders are skipped.
 */
public final class ImageFolder {

    private static final Logger LOG = LoggerFactory.getLogger(ImageFolder.class);

    /** File name extensions read as images. */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    /** Files are read in the order of their names. */
    private static final Comparator<Path> BY_NAME = Comparator.comparing(p -> p.getFileName().toString());

    private ImageFolder() {
    }

    /**
     * Reads every image file of a folder.
     *
     * @param dir      the folder
     * @param height   height to resize to
     * @param width    width to resize to
     * @param channels channels every image must have (1 grey, 3 RGB, ...)
     * @return the pixels and file names
     * @throws IOException          when the folder cannot be listed or a file cannot be read
     * @throws DataFormatException  naming the file, when a file is not a readable image or has another
     *                              channel count; also when the folder holds no image file
     */
    public static Images read(Path dir, int height, int width, int channels) throws IOException {
        return read(dir, new ImageShape(height, width, channels));
    }

    /**
     * Reads every image file of a folder.
     *
     * @param dir   the folder
     * @param shape the shape to resize to; its channels must match every image's
     * @return the pixels and file names
     * @throws IOException on I/O failure
     * @see #read(Path, int, int, int)
     */
    public static Images read(Path dir, ImageShape shape) throws IOException {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(shape, "shape");
        if (!Files.exists(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no such folder");
        }
        if (!Files.isDirectory(dir)) {
            throw new NotDirectoryException(dir.toString());
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(ImageFolder::isImageFile).sorted(BY_NAME).toList();
        }
        if (files.isEmpty()) {
            throw noImageFiles(dir);
        }
        float[] all = new float[Math.multiplyExact(files.size(), shape.size())];
        List<String> names = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            float[] px = readImage(f, shape);
            System.arraycopy(px, 0, all, i * shape.size(), px.length);
            names.add(f.getFileName().toString());
        }
        LOG.debug("read {} images of {} from {}", files.size(), shape, dir);
        return new Images(Nd4j.create(all, new long[] {files.size(), shape.size()}, 'c'), names, shape);
    }

    /**
     * The shape of a folder's first image (by file name): for reading a folder whose size was not
     * given. Images of other sizes are resized to it by {@link #read(Path, ImageShape)}.
     *
     * @param dir the folder
     * @return the first image's height, width and channels
     * @throws IOException         when the folder cannot be listed or the file read
     * @throws DataFormatException naming the file, when it is not a readable image; or when the
     *                             folder holds no image file
     */
    public static ImageShape probe(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no such folder");
        }
        Path first;
        try (Stream<Path> s = Files.list(dir)) {
            first = s.filter(ImageFolder::isImageFile).min(BY_NAME).orElse(null);
        }
        if (first == null) {
            throw noImageFiles(dir);
        }
        BufferedImage img;
        try (InputStream in = Files.newInputStream(first)) {
            img = ImageIO.read(in);
        } catch (IOException | RuntimeException e) {
            throw new DataFormatException(first.toString(), -1, -1, null, "is not a readable image: " + e.getMessage());
        }
        if (img == null) {
            throw new DataFormatException(first.toString(), -1, -1, null,
                    "is not a readable image (no PNG, JPEG, BMP or GIF content)");
        }
        return new ImageShape(img.getHeight(), img.getWidth(), channels(img.getColorModel()));
    }

    private static DataFormatException noImageFiles(Path dir) {
        return new DataFormatException(dir.toString(), -1, -1, null, "holds no image files (expected "
                + String.join(", ", new java.util.TreeSet<>(EXTENSIONS)) + ")");
    }

    static boolean isImageFile(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return !n.startsWith(".") && dot > 0 && Files.isRegularFile(p)
                && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /**
     * Reads one image file, resized to a shape.
     *
     * @param file  the file
     * @param shape the shape; its channels must match the image's
     * @return {@code shape.size()} values 0..255 in HWC order
     * @throws IOException         on I/O failure
     * @throws DataFormatException naming the file, when it is not a readable image or has another
     *                             channel count
     */
    public static float[] readImage(Path file, ImageShape shape) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(shape, "shape");
        BufferedImage img;
        try (InputStream in = Files.newInputStream(file)) {
            img = ImageIO.read(in);
        } catch (IOException | RuntimeException e) {
            if (e instanceof NoSuchFileException nsf) {
                throw nsf;
            }
            throw new DataFormatException(file.toString(), -1, -1, null, "is not a readable image: " + e.getMessage());
        }
        if (img == null) {
            throw new DataFormatException(file.toString(), -1, -1, null,
                    "is not a readable image (no PNG, JPEG, BMP or GIF content)");
        }
        int c = channels(img.getColorModel());
        if (c != shape.channels()) {
            throw new DataFormatException(file.toString(), -1, -1, null, "has " + c + " channel" + (c == 1 ? "" : "s")
                    + " (" + describe(c) + "), expected " + shape.channels() + " (" + describe(shape.channels()) + ")");
        }
        float[] px = pixels(img, c);
        return Resize.resize(px, img.getHeight(), img.getWidth(), c, shape.height(), shape.width());
    }

    /**
     * The channel count of an image: colour components, plus one for alpha.
     *
     * @param cm the image's colour model
     * @return 1 (grey), 2 (grey + alpha), 3 (RGB) or 4 (RGBA)
     */
    static int channels(ColorModel cm) {
        if (cm instanceof IndexColorModel icm) {
            return (isGreyPalette(icm) ? 1 : 3) + (icm.hasAlpha() ? 1 : 0);
        }
        return cm.getNumColorComponents() + (cm.hasAlpha() ? 1 : 0);
    }

    private static boolean isGreyPalette(IndexColorModel icm) {
        for (int i = 0; i < icm.getMapSize(); i++) {
            if (icm.getRed(i) != icm.getGreen(i) || icm.getRed(i) != icm.getBlue(i)) {
                return false;
            }
        }
        return true;
    }

    private static String describe(int c) {
        return switch (c) {
            case 1 -> "grey";
            case 2 -> "grey + alpha";
            case 3 -> "RGB";
            case 4 -> "RGBA";
            default -> c + " components";
        };
    }

    /** Pixel values 0..255 in HWC order, at the image's own size. */
    private static float[] pixels(BufferedImage img, int c) {
        int h = img.getHeight();
        int w = img.getWidth();
        float[] out = new float[h * w * c];
        ColorModel cm = img.getColorModel();
        if (cm instanceof IndexColorModel) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int argb = img.getRGB(x, y);
                    int o = (y * w + x) * c;
                    out[o] = (argb >> 16) & 0xFF;
                    if (c >= 3) {
                        out[o + 1] = (argb >> 8) & 0xFF;
                        out[o + 2] = argb & 0xFF;
                    }
                    if (c == 2 || c == 4) {
                        out[o + c - 1] = (argb >>> 24) & 0xFF;
                    }
                }
            }
            return out;
        }
        Raster r = img.getRaster();
        int bands = r.getNumBands();
        if (bands != c) {
            // packed or unusual layouts: go through the colour model
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    Object data = r.getDataElements(x, y, null);
                    int o = (y * w + x) * c;
                    if (c <= 2) {
                        out[o] = cm.getRed(data);
                    } else {
                        out[o] = cm.getRed(data);
                        out[o + 1] = cm.getGreen(data);
                        out[o + 2] = cm.getBlue(data);
                    }
                    if (c == 2 || c == 4) {
                        out[o + c - 1] = cm.getAlpha(data);
                    }
                }
            }
            return out;
        }
        int[] sizes = r.getSampleModel().getSampleSize();
        float[] scale = new float[bands];
        for (int b = 0; b < bands; b++) {
            int bits = sizes[b];
            scale[b] = bits == 8 ? 1f : 255f / ((1L << bits) - 1);
        }
        int[] row = new int[w * bands];
        for (int y = 0; y < h; y++) {
            r.getPixels(0, y, w, 1, row);
            int o = y * w * c;
            for (int i = 0; i < row.length; i++) {
                out[o + i] = row[i] * scale[i % bands];
            }
        }
        return out;
    }
}
