package io.github.ae4j.anomaly;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Explanations of images by region: each pixel's contribution to an image's score
 * ({@link AnomalyDetector#contributions}) summed over the channels and over the cells of a grid of at most
 * {@value #GRID} x {@value #GRID} regions. A 28 x 28 image has regions of 7 x 7 pixels; an image smaller than the
 * grid on a side gets one region per pixel on that side. {@link AnomalyDetector#explainRegions} is the usual
 * entry point; {@link #top} groups contributions computed elsewhere.
 */
public final class ImageRegions {

    /** Regions per image side (fewer for images smaller than this). */
    public static final int GRID = 4;

    private ImageRegions() {
    }

    /**
     * One region's part of an image's score.
     *
     * @param rowFrom first pixel row, inclusive
     * @param rowTo   last pixel row, inclusive
     * @param colFrom first pixel column, inclusive
     * @param colTo   last pixel column, inclusive
     * @param share   the region's summed contributions divided by the image's, in [0, 1] (0 for an image whose
     *                contributions are all 0)
     */
    public record Region(int rowFrom, int rowTo, int colFrom, int colTo, double share) {

        /** @return the region's name, e.g. {@code rows 0-6, cols 7-13} */
        public String name() {
            return String.format(Locale.ROOT, "rows %d-%d, cols %d-%d", rowFrom, rowTo, colFrom, colTo);
        }
    }

    /**
     * The {@code k} regions with the largest share of each image's contributions.
     *
     * @param contributions [images][h*w*c] per-pixel contributions in HWC order (pixel (y, x), channel ch at
     *                      {@code (y * w + x) * c + ch})
     * @param shape         {h, w, c}
     * @param k             regions per image, at least 1 (capped at the number of regions)
     * @return per image, its top regions, largest share first
     * @throws IllegalArgumentException on a shape that is not three positive sizes, a row whose length is not
     *                                  {@code h*w*c}, or {@code k} below 1
     */
    public static List<List<Region>> top(double[][] contributions, int[] shape, int k) {
        if (shape == null || shape.length != 3 || shape[0] < 1 || shape[1] < 1 || shape[2] < 1) {
            throw new IllegalArgumentException("image shape must be {height, width, channels} with positive sizes");
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        int h = shape[0];
        int w = shape[1];
        int c = shape[2];
        int gy = Math.min(GRID, h);
        int gx = Math.min(GRID, w);
        List<List<Region>> out = new ArrayList<>(contributions.length);
        for (int i = 0; i < contributions.length; i++) {
            double[] row = contributions[i];
            if (row.length != (long) h * w * c) {
                throw new IllegalArgumentException("image " + i + " has " + row.length + " values, expected "
                        + h + "x" + w + "x" + c + " = " + (long) h * w * c);
            }
            double[] sum = new double[gy * gx];
            double total = 0;
            for (int y = 0; y < h; y++) {
                int ry = y * gy / h;
                for (int x = 0; x < w; x++) {
                    int rx = x * gx / w;
                    for (int ch = 0; ch < c; ch++) {
                        double v = row[(y * w + x) * c + ch];
                        sum[ry * gx + rx] += v;
                        total += v;
                    }
                }
            }
            List<Region> regions = new ArrayList<>(gy * gx);
            for (int ry = 0; ry < gy; ry++) {
                for (int rx = 0; rx < gx; rx++) {
                    regions.add(new Region(first(ry, gy, h), first(ry + 1, gy, h) - 1, first(rx, gx, w),
                            first(rx + 1, gx, w) - 1, total > 0 ? sum[ry * gx + rx] / total : 0));
                }
            }
            regions.sort(Comparator.comparingDouble(Region::share).reversed());
            out.add(List.copyOf(regions.subList(0, Math.min(k, regions.size()))));
        }
        return out;
    }

    /** The first pixel of grid cell {@code cell} of {@code cells} along a side of {@code size} pixels. */
    private static int first(int cell, int cells, int size) {
        return (cell * size + cells - 1) / cells;
    }
}
