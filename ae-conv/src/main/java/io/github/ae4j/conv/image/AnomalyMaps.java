package io.github.ae4j.conv.image;

import io.github.ae4j.core.Autoencoder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Per-pixel reconstruction errors of images, as arrays and as PNG heat maps: which part of an image
 * the model could not rebuild.
 *
 * <p>{@link #errorMaps(Autoencoder, INDArray)} gives the model's per-feature errors
 * ({@link Autoencoder#featureErrors}, in the normalised space where the loss is computed) reshaped
 * to {@code [n, h, w, c]}; {@link #pixelErrors(INDArray, int, int, int)} averages them over channels.
 * {@link #write} draws, for each image, the original | the reconstruction | the original in grey
 * with the error overlaid as a heat map (black-red-yellow-white, transparent where the error is 0),
 * side by side, one image per row of the PNG. The heat scale is shared by all rows and runs from 0 to
 * the 99th percentile of the errors shown (larger errors are drawn at full heat), so that a few
 * extreme pixels do not wash out the rest.
 */
public final class AnomalyMaps {

    private static final int GAP = 2;
    private static final int GAP_RGB = 0x808080;

    private AnomalyMaps() {
    }

    /**
     * Per-pixel, per-channel reconstruction errors.
     *
     * @param model a model over images (its {@link Autoencoder#inputShape()} is {@code [h, w, c]})
     * @param x     raw rows, shape [n, h*w*c] (HWC order)
     * @return errors, shape [n, h, w, c]
     * @throws IllegalArgumentException when the model's input is not an image shape
     */
    public static INDArray errorMaps(Autoencoder model, INDArray x) {
        Objects.requireNonNull(model, "model");
        int[] s = model.inputShape();
        if (s.length != 3) {
            throw new IllegalArgumentException("expected a model over images (input shape [h, w, c]), got input shape "
                    + Arrays.toString(s));
        }
        INDArray e = model.featureErrors(x);
        return e.reshape('c', e.size(0), s[0], s[1], s[2]);
    }

    /**
     * Per-pixel errors averaged over channels.
     *
     * @param errors errors, [n, h, w, c] or [n, h*w*c]
     * @param h      height
     * @param w      width
     * @param c      channels
     * @return errors, shape [n, h, w]
     */
    public static INDArray pixelErrors(INDArray errors, int h, int w, int c) {
        Objects.requireNonNull(errors, "errors");
        long n = errors.size(0);
        if (errors.length() != n * h * w * c) {
            throw new IllegalArgumentException("expected " + n + " error maps of " + h + "x" + w + "x" + c
                    + " values, got shape " + Arrays.toString(errors.shape()));
        }
        return errors.reshape('c', n, h, w, c).mean(3);
    }

    /**
     * Writes original | reconstruction | heat-map overlay for each row into one PNG, atomically. The
     * heat map's scale is shared by all rows: 0 to the 99th percentile of the errors shown. Small
     * images are magnified so that each panel is at least 96 pixels high.
     *
     * @param png            the file to write
     * @param original       raw images, shape [n, h*w*c] (HWC order)
     * @param reconstruction their reconstructions, same shape ({@link Autoencoder#reconstruct})
     * @param errorMap       per-pixel errors: [n, h, w, c], [n, h*w*c] or [n, h*w] (averaged over
     *                       channels when there are several)
     * @param h              image height
     * @param w              image width
     * @param c              channels (1 to 4)
     * @param min            pixel value drawn black (e.g. 0)
     * @param max            pixel value drawn white (e.g. 255)
     * @throws IOException on I/O failure
     */
    public static void write(Path png, INDArray original, INDArray reconstruction, INDArray errorMap, int h, int w,
                             int c, double min, double max) throws IOException {
        Png.write(png, render(original, reconstruction, errorMap, h, w, c, min, max, Math.max(1, 96 / Math.max(h, 1))));
    }

    /**
     * Draws original | reconstruction | heat-map overlay, one row per image.
     *
     * @param original       raw images, shape [n, h*w*c]
     * @param reconstruction reconstructions, same shape
     * @param errorMap       per-pixel errors: [n, h, w, c], [n, h*w*c] or [n, h*w]
     * @param h              image height
     * @param w              image width
     * @param c              channels (1 to 4)
     * @param min            pixel value drawn black
     * @param max            pixel value drawn white
     * @param scale          magnification, at least 1
     * @return the image: 3 panels wide, n panels high
     */
    public static BufferedImage render(INDArray original, INDArray reconstruction, INDArray errorMap, int h, int w,
                                       int c, double min, double max, int scale) {
        Png.checkShape(h, w, c);
        Png.checkRange(min, max);
        if (scale < 1) {
            throw new IllegalArgumentException("scale must be >= 1, got " + scale);
        }
        float[][] orig = Png.rows(original, h * w * c, "original");
        float[][] rec = Png.rows(reconstruction, h * w * c, "reconstruction");
        if (rec.length != orig.length) {
            throw new IllegalArgumentException("expected " + orig.length + " reconstructions, got " + rec.length);
        }
        float[][] err = pixelMaps(errorMap, orig.length, h, w, c);
        double errMax = heatScale(err);
        int pw = w * scale;
        int ph = h * scale;
        int n = orig.length;
        BufferedImage img = new BufferedImage(3 * pw + 4 * GAP, n * ph + (n + 1) * GAP, BufferedImage.TYPE_INT_RGB);
        Png.background(img, GAP_RGB);
        for (int i = 0; i < n; i++) {
            int y0 = GAP + i * (ph + GAP);
            Png.draw(img, orig[i], h, w, c, min, max, GAP, y0, scale);
            Png.draw(img, rec[i], h, w, c, min, max, 2 * GAP + pw, y0, scale);
            int x0 = 3 * GAP + 2 * pw;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int base = Png.rgb(orig[i], y, x, w, c, min, max);
                    int grey = (((base >> 16) & 0xFF) * 299 + ((base >> 8) & 0xFF) * 587 + (base & 0xFF) * 114) / 1000;
                    double t = errMax > 0 ? err[i][y * w + x] / errMax : 0;
                    Png.fill(img, x0 + x * scale, y0 + y * scale, scale, overlay(grey, t));
                }
            }
        }
        return img;
    }

    /** The error drawn hottest: the 99th percentile of the errors shown (the maximum if that is 0). */
    static double heatScale(float[][] err) {
        double[] all = Arrays.stream(err).flatMapToDouble(e -> {
            double[] d = new double[e.length];
            for (int i = 0; i < e.length; i++) {
                d[i] = Float.isFinite(e[i]) ? e[i] : 0;
            }
            return Arrays.stream(d);
        }).sorted().toArray();
        if (all.length == 0) {
            return 0;
        }
        double p99 = all[(int) Math.floor(0.99 * (all.length - 1))];
        return p99 > 0 ? p99 : all[all.length - 1];
    }

    private static float[][] pixelMaps(INDArray errorMap, int n, int h, int w, int c) {
        Objects.requireNonNull(errorMap, "errorMap");
        long len = errorMap.length();
        if (len == (long) n * h * w) {
            return Png.rows(errorMap, h * w, "errorMap");
        }
        if (len == (long) n * h * w * c) {
            return Png.rows(pixelErrors(errorMap.reshape('c', n, (long) h * w * c), h, w, c), h * w, "errorMap");
        }
        throw new IllegalArgumentException("expected " + n + " error maps of " + h + "x" + w + " or " + h + "x" + w
                + "x" + c + " values, got shape " + Arrays.toString(errorMap.shape()));
    }

    /**
     * Blends a dimmed grey pixel with the heat colour of t in [0, 1].
     *
     * @param grey the pixel's grey level 0..255
     * @param t    the error, 0 (none) to 1 (largest)
     * @return RGB
     */
    static int overlay(int grey, double t) {
        double a = Math.max(0, Math.min(1, t));
        int[] heat = heat(a);
        double alpha = Math.min(1, 0.15 + 0.85 * Math.sqrt(a));
        if (a == 0) {
            alpha = 0;
        }
        double g = grey * 0.6;
        int r = (int) Math.round((1 - alpha) * g + alpha * heat[0]);
        int gg = (int) Math.round((1 - alpha) * g + alpha * heat[1]);
        int b = (int) Math.round((1 - alpha) * g + alpha * heat[2]);
        return (r << 16) | (gg << 8) | b;
    }

    /**
     * The colour an anomaly map gives a pixel of grey level {@code grey} whose error is the fraction {@code t} of the
     * largest error in the picture: for a colour bar beside the maps.
     *
     * @param grey the pixel's grey level 0..255
     * @param t    the error, 0 (none) to 1 (largest)
     * @return RGB
     */
    public static int overlayColour(int grey, double t) {
        return overlay(grey, t);
    }

    /** The "hot" colour map: black, red, yellow, white. */
    static int[] heat(double t) {
        double r = Math.min(1, 3 * t);
        double g = Math.max(0, Math.min(1, 3 * t - 1));
        double b = Math.max(0, Math.min(1, 3 * t - 2));
        return new int[] {(int) Math.round(255 * r), (int) Math.round(255 * g), (int) Math.round(255 * b)};
    }
}
