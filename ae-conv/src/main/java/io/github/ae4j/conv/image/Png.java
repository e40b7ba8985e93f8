package io.github.ae4j.conv.image;

import io.github.ae4j.core.io.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Shared helpers for the image writers. */
final class Png {

    private Png() {
    }

    static void write(Path png, BufferedImage img) throws IOException {
        Objects.requireNonNull(png, "png");
        AtomicFiles.write(png, out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new IOException("no PNG writer available");
            }
        });
    }

    /** Rows of an array as float[n][perRow], checking the width. */
    static float[][] rows(INDArray a, int perRow, String what) {
        Objects.requireNonNull(a, what);
        if (a.isEmpty() || a.rank() < 1) {
            throw new IllegalArgumentException(what + " is empty: expected rows of " + perRow + " values");
        }
        long n = a.rank() == 1 ? 1 : a.size(0);
        if (a.length() != n * perRow) {
            throw new IllegalArgumentException("expected " + what + " rows of " + perRow + " values, got shape "
                    + Arrays.toString(a.shape()));
        }
        return a.castTo(DataType.FLOAT).reshape('c', n, perRow).toFloatMatrix();
    }

    static void checkShape(int h, int w, int c) {
        new ImageShape(h, w, c);
        if (c > 4) {
            throw new IllegalArgumentException("images of 1 to 4 channels can be drawn, got " + c);
        }
    }

    static void checkRange(double min, double max) {
        if (!(Double.isFinite(min) && Double.isFinite(max) && max > min)) {
            throw new IllegalArgumentException("expected a pixel range min < max, got [" + min + ", " + max + "]");
        }
    }

    static int toByte(double v, double min, double max) {
        double t = (v - min) / (max - min);
        if (!(t > 0)) {
            return 0;
        }
        return t >= 1 ? 255 : (int) Math.round(t * 255);
    }

    /** RGB (0xRRGGBB) of pixel (y, x) of an HWC row: grey for 1-2 channels, the first three otherwise. */
    static int rgb(float[] row, int y, int x, int w, int c, double min, double max) {
        int o = (y * w + x) * c;
        if (c <= 2) {
            int g = toByte(row[o], min, max);
            return (g << 16) | (g << 8) | g;
        }
        return (toByte(row[o], min, max) << 16) | (toByte(row[o + 1], min, max) << 8) | toByte(row[o + 2], min, max);
    }

    /** Draws an HWC row at (x0, y0), each pixel as a scale x scale square. */
    static void draw(BufferedImage img, float[] row, int h, int w, int c, double min, double max, int x0, int y0,
                     int scale) {
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                fill(img, x0 + x * scale, y0 + y * scale, scale, rgb(row, y, x, w, c, min, max));
            }
        }
    }

    static void fill(BufferedImage img, int x0, int y0, int size, int rgb) {
        for (int dy = 0; dy < size; dy++) {
            for (int dx = 0; dx < size; dx++) {
                img.setRGB(x0 + dx, y0 + dy, rgb);
            }
        }
    }

    static void background(BufferedImage img, int rgb) {
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                img.setRGB(x, y, rgb);
            }
        }
    }
}
