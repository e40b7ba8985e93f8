package io.github.ae4j.conv.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Draws images given as flattened HWC rows into one PNG grid: row-major, {@code columns} images per
 * grid row, separated by a 2-pixel grey gap. Values are mapped linearly from [min, max] to 0..255
 * and clipped. One and two channels are drawn grey (the second, alpha, ignored), three and four as
 * RGB (alpha ignored).
 */
public final class ImageGrid {

    /** Gap between images, in output pixels. */
    public static final int GAP = 2;
    private static final int GAP_RGB = 0x808080;

    private ImageGrid() {
    }

    /**
     * Writes a grid of images to a PNG file, atomically.
     *
     * @param png     the file to write
     * @param rows    images, shape [n, h*w*c] (HWC order)
     * @param h       image height
     * @param w       image width
     * @param c       channels (1 to 4)
     * @param columns images per grid row, at least 1
     * @param min     value drawn black
     * @param max     value drawn white (greater than min)
     * @throws IOException on I/O failure
     */
    public static void write(Path png, INDArray rows, int h, int w, int c, int columns, double min, double max)
            throws IOException {
        write(png, rows, h, w, c, columns, min, max, 1);
    }

    /**
     * Writes a grid of images to a PNG file, atomically, each pixel drawn as a square of
     * {@code scale} x {@code scale} output pixels.
     *
     * @param png     the file to write
     * @param rows    images, shape [n, h*w*c] (HWC order)
     * @param h       image height
     * @param w       image width
     * @param c       channels (1 to 4)
     * @param columns images per grid row, at least 1
     * @param min     value drawn black
     * @param max     value drawn white (greater than min)
     * @param scale   magnification, at least 1
     * @throws IOException on I/O failure
     */
    public static void write(Path png, INDArray rows, int h, int w, int c, int columns, double min, double max,
                             int scale) throws IOException {
        Png.write(png, render(rows, h, w, c, columns, min, max, scale));
    }

    /**
     * Draws a grid of images.
     *
     * @param rows    images, shape [n, h*w*c] (HWC order)
     * @param h       image height
     * @param w       image width
     * @param c       channels (1 to 4)
     * @param columns images per grid row, at least 1
     * @param min     value drawn black
     * @param max     value drawn white
     * @param scale   magnification, at least 1
     * @return the image
     */
    public static BufferedImage render(INDArray rows, int h, int w, int c, int columns, double min, double max,
                                       int scale) {
        Png.checkShape(h, w, c);
        Png.checkRange(min, max);
        if (columns < 1) {
            throw new IllegalArgumentException("columns must be >= 1, got " + columns);
        }
        if (scale < 1) {
            throw new IllegalArgumentException("scale must be >= 1, got " + scale);
        }
        float[][] r = Png.rows(rows, h * w * c, "image");
        int n = r.length;
        int cols = Math.min(columns, n);
        int gridRows = (n + cols - 1) / cols;
        int cw = w * scale;
        int ch = h * scale;
        BufferedImage img = new BufferedImage(cols * cw + (cols + 1) * GAP, gridRows * ch + (gridRows + 1) * GAP,
                BufferedImage.TYPE_INT_RGB);
        Png.background(img, GAP_RGB);
        for (int i = 0; i < n; i++) {
            int gx = GAP + (i % cols) * (cw + GAP);
            int gy = GAP + (i / cols) * (ch + GAP);
            Png.draw(img, r[i], h, w, c, min, max, gx, gy, scale);
        }
        return img;
    }
}
