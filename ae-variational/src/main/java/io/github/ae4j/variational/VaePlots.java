package io.github.ae4j.variational;

import io.github.ae4j.core.io.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * PNG pictures for generative models, drawn with plain Java2D (no display needed) and written
 * atomically through {@link AtomicFiles}: grids of images given as flattened rows, and labelled
 * scatter plots.
 */
public final class VaePlots {

    /** Colours of labels 0..9 (Tableau 10); further labels cycle. */
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf),
    };

    private VaePlots() {
    }

    /**
     * Renders images given as flattened rows into one grid image. Values are mapped linearly from
     * {@code [min(0, smallest value), largest value]} to black..white.
     *
     * @param images  rows of {@code height * width * channels} values, each a row-major H x W x C image
     *                (channels 1 = grey, 3 = RGB)
     * @param height  image height
     * @param width   image width
     * @param channels 1 or 3
     * @param columns images per grid row, at least 1
     * @param zoom    pixel magnification, 1 to 16
     * @return the picture
     */
    public static BufferedImage imageGrid(INDArray images, int height, int width, int channels, int columns,
                                          int zoom) {
        Objects.requireNonNull(images, "images");
        if (height < 1 || width < 1 || (channels != 1 && channels != 3)) {
            throw new IllegalArgumentException("expected an image shape HxWx1 or HxWx3, got " + height + "x" + width
                    + "x" + channels);
        }
        if (columns < 1 || zoom < 1 || zoom > 16) {
            throw new IllegalArgumentException("columns must be >= 1 and zoom in 1..16, got " + columns + " and "
                    + zoom);
        }
        int per = height * width * channels;
        long rows = images.rank() == 1 ? 1 : images.size(0);
        if (images.length() != rows * per || rows < 1) {
            throw new IllegalArgumentException("expected rows of " + per + " values (" + height + "x" + width + "x"
                    + channels + "), got shape " + Arrays.toString(images.shape()));
        }
        float[] v = images.castTo(DataType.FLOAT).dup('c').data().asFloat();
        double lo = 0;
        double hi = Double.NEGATIVE_INFINITY;
        for (float f : v) {
            lo = Math.min(lo, f);
            hi = Math.max(hi, f);
        }
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        int n = (int) rows;
        int cols = Math.min(columns, n);
        int gridRows = (n + cols - 1) / cols;
        int pad = 2;
        int cw = width * zoom + pad;
        int ch = height * zoom + pad;
        BufferedImage img = new BufferedImage(cols * cw + pad, gridRows * ch + pad, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(0x404040));
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.dispose();
        for (int k = 0; k < n; k++) {
            int x0 = pad + (k % cols) * cw;
            int y0 = pad + (k / cols) * ch;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int base = k * per + (y * width + x) * channels;
                    int rgb;
                    if (channels == 1) {
                        int grey = level(v[base], lo, hi);
                        rgb = grey << 16 | grey << 8 | grey;
                    } else {
                        rgb = level(v[base], lo, hi) << 16 | level(v[base + 1], lo, hi) << 8 | level(v[base + 2], lo, hi);
                    }
                    for (int dy = 0; dy < zoom; dy++) {
                        for (int dx = 0; dx < zoom; dx++) {
                            img.setRGB(x0 + x * zoom + dx, y0 + y * zoom + dy, rgb);
                        }
                    }
                }
            }
        }
        return img;
    }

    private static int level(float f, double lo, double hi) {
        double t = (f - lo) / (hi - lo);
        return (int) Math.round(255 * Math.max(0, Math.min(1, Double.isNaN(t) ? 0 : t)));
    }

    /**
     * Writes {@link #imageGrid} as a PNG file, atomically.
     *
     * @param file     the PNG file
     * @param images   rows of flattened H x W x C images
     * @param height   image height
     * @param width    image width
     * @param channels 1 or 3
     * @param columns  images per grid row
     * @param zoom     pixel magnification
     * @throws IOException on I/O failure
     */
    public static void writeImageGrid(Path file, INDArray images, int height, int width, int channels, int columns,
                                      int zoom) throws IOException {
        writePng(file, imageGrid(images, height, width, channels, columns, zoom));
    }

    /**
     * Draws a scatter plot of 2-D points coloured by label, with axes and a legend.
     *
     * @param points one {x, y} pair per point
     * @param labels one label per point, or null for one colour
     * @param title  the title
     * @param xLabel the x-axis label
     * @param yLabel the y-axis label
     * @return the picture (800 x 700)
     */
    public static BufferedImage scatter(double[][] points, int[] labels, String title, String xLabel, String yLabel) {
        Objects.requireNonNull(points, "points");
        if (points.length == 0) {
            throw new IllegalArgumentException("a scatter plot needs at least one point");
        }
        if (labels != null && labels.length != points.length) {
            throw new IllegalArgumentException("expected one label per point (" + points.length + "), got "
                    + labels.length);
        }
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < points.length; i++) {
            double[] p = points[i];
            if (p == null || p.length != 2 || !Double.isFinite(p[0]) || !Double.isFinite(p[1])) {
                throw new IllegalArgumentException("point " + i + " must be two finite values, got "
                        + Arrays.toString(p));
            }
            minX = Math.min(minX, p[0]);
            maxX = Math.max(maxX, p[0]);
            minY = Math.min(minY, p[1]);
            maxY = Math.max(maxY, p[1]);
        }
        double spanX = maxX > minX ? maxX - minX : 1;
        double spanY = maxY > minY ? maxY - minY : 1;
        minX -= 0.05 * spanX;
        maxX = minX + 1.1 * spanX;
        minY -= 0.05 * spanY;
        maxY = minY + 1.1 * spanY;

        int w = 800;
        int h = 700;
        int left = 70;
        int right = 130;
        int top = 40;
        int bottom = 60;
        int pw = w - left - right;
        int ph = h - top - bottom;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();

        // ticks and grid
        g.setStroke(new BasicStroke(1f));
        for (double t : ticks(minX, maxX)) {
            int x = left + (int) Math.round((t - minX) / (maxX - minX) * pw);
            g.setColor(new Color(0xE8E8E8));
            g.drawLine(x, top, x, top + ph);
            g.setColor(Color.DARK_GRAY);
            String s = fmt(t);
            g.drawString(s, x - fm.stringWidth(s) / 2, top + ph + 16);
        }
        for (double t : ticks(minY, maxY)) {
            int y = top + ph - (int) Math.round((t - minY) / (maxY - minY) * ph);
            g.setColor(new Color(0xE8E8E8));
            g.drawLine(left, y, left + pw, y);
            g.setColor(Color.DARK_GRAY);
            String s = fmt(t);
            g.drawString(s, left - 6 - fm.stringWidth(s), y + 4);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, pw, ph);

        // points
        int r = points.length > 5000 ? 2 : 3;
        for (int i = 0; i < points.length; i++) {
            int x = left + (int) Math.round((points[i][0] - minX) / (maxX - minX) * pw);
            int y = top + ph - (int) Math.round((points[i][1] - minY) / (maxY - minY) * ph);
            Color c = labels == null ? PALETTE[0] : PALETTE[Math.floorMod(labels[i], PALETTE.length)];
            g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 170));
            g.fillOval(x - r, y - r, 2 * r, 2 * r);
        }

        // labels, title, legend
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        String t = title == null ? "" : title;
        g.drawString(t, left + (pw - g.getFontMetrics().stringWidth(t)) / 2, top - 14);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        fm = g.getFontMetrics();
        String xl = xLabel == null ? "" : xLabel;
        g.drawString(xl, left + (pw - fm.stringWidth(xl)) / 2, h - 18);
        String yl = yLabel == null ? "" : yLabel;
        Graphics2D gr = (Graphics2D) g.create();
        gr.rotate(-Math.PI / 2);
        gr.drawString(yl, -(top + (ph + fm.stringWidth(yl)) / 2), 20);
        gr.dispose();
        if (labels != null) {
            TreeSet<Integer> distinct = new TreeSet<>();
            for (int l : labels) {
                distinct.add(l);
            }
            int y = top + 10;
            for (int l : distinct) {
                if (y > top + ph - 10) {
                    break;
                }
                g.setColor(PALETTE[Math.floorMod(l, PALETTE.length)]);
                g.fillOval(left + pw + 20, y - 6, 10, 10);
                g.setColor(Color.BLACK);
                g.drawString(String.valueOf(l), left + pw + 38, y + 4);
                y += 20;
            }
        }
        g.dispose();
        return img;
    }

    /**
     * Writes {@link #scatter} as a PNG file, atomically.
     *
     * @param file   the PNG file
     * @param points one {x, y} pair per point
     * @param labels one label per point, or null
     * @param title  the title
     * @param xLabel the x-axis label
     * @param yLabel the y-axis label
     * @throws IOException on I/O failure
     */
    public static void writeScatter(Path file, double[][] points, int[] labels, String title, String xLabel,
                                    String yLabel) throws IOException {
        writePng(file, scatter(points, labels, title, xLabel, yLabel));
    }

    /**
     * Writes a picture as PNG, atomically.
     *
     * @param file the file
     * @param img  the picture
     * @throws IOException on I/O failure
     */
    public static void writePng(Path file, BufferedImage img) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(img, "img");
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new IOException("no PNG writer available");
            }
        });
    }

    private static double[] ticks(double lo, double hi) {
        double span = hi - lo;
        double step = Math.pow(10, Math.floor(Math.log10(span / 5)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (span / (step * m) <= 7) {
                step *= m;
                break;
            }
        }
        double first = Math.ceil(lo / step) * step;
        int count = (int) Math.floor((hi - first) / step) + 1;
        double[] t = new double[Math.max(0, count)];
        for (int i = 0; i < t.length; i++) {
            t[i] = first + i * step;
        }
        return t;
    }

    private static String fmt(double v) {
        if (Math.abs(v) < 1e-9) {
            return "0";
        }
        return Math.abs(v) >= 100 || Math.abs(v - Math.rint(v)) < 1e-9
                ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2g", v);
    }

    /**
     * The standard normal quantile function {@code Phi^-1(p)} (Acklam's rational approximation,
     * relative error below 1.2e-9).
     *
     * @param p a probability in (0, 1)
     * @return the quantile
     */
    public static double normalQuantile(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("p must be in (0, 1), got " + p);
        }
        double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
            1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
        double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
            6.680131188771972e+01, -1.328068155288572e+01};
        double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
            -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
        double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
        double q;
        double x;
        if (p < 0.02425) {
            q = Math.sqrt(-2 * Math.log(p));
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        } else if (p > 1 - 0.02425) {
            q = Math.sqrt(-2 * Math.log(1 - p));
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        } else {
            q = p - 0.5;
            double r = q * q;
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                    / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
        }
        return x;
    }

    /**
     * Projects rows onto their first principal components (centred; power iteration with
     * deflation on the covariance matrix).
     *
     * @param x rows, at least one, all of the same width
     * @param k number of components, at most the width
     * @return the projections, one row of {@code k} values per input row
     */
    public static double[][] principalComponents(double[][] x, int k) {
        Objects.requireNonNull(x, "x");
        if (x.length == 0) {
            throw new IllegalArgumentException("no rows to project");
        }
        int d = x[0].length;
        if (k < 1 || k > d) {
            throw new IllegalArgumentException("k must be in 1.." + d + ", got " + k);
        }
        double[] mean = new double[d];
        for (double[] r : x) {
            if (r.length != d) {
                throw new IllegalArgumentException("rows must all have " + d + " values, got " + r.length);
            }
            for (int j = 0; j < d; j++) {
                mean[j] += r[j] / x.length;
            }
        }
        double[][] cov = new double[d][d];
        for (double[] r : x) {
            for (int i = 0; i < d; i++) {
                double a = r[i] - mean[i];
                for (int j = 0; j < d; j++) {
                    cov[i][j] += a * (r[j] - mean[j]);
                }
            }
        }
        double[][] comps = new double[k][];
        java.util.Random rnd = new java.util.Random(1);
        for (int c = 0; c < k; c++) {
            double[] v = new double[d];
            for (int j = 0; j < d; j++) {
                v[j] = rnd.nextGaussian();
            }
            for (int it = 0; it < 500; it++) {
                double[] nv = new double[d];
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        nv[i] += cov[i][j] * v[j];
                    }
                }
                for (int p = 0; p < c; p++) {
                    double dot = 0;
                    for (int j = 0; j < d; j++) {
                        dot += nv[j] * comps[p][j];
                    }
                    for (int j = 0; j < d; j++) {
                        nv[j] -= dot * comps[p][j];
                    }
                }
                double norm = Math.sqrt(Arrays.stream(nv).map(q -> q * q).sum());
                if (norm == 0) {
                    break;
                }
                for (int j = 0; j < d; j++) {
                    nv[j] /= norm;
                }
                v = nv;
            }
            comps[c] = v;
        }
        double[][] out = new double[x.length][k];
        for (int i = 0; i < x.length; i++) {
            for (int c = 0; c < k; c++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += (x[i][j] - mean[j]) * comps[c][j];
                }
                out[i][c] = s;
            }
        }
        return out;
    }
}
