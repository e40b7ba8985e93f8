package io.github.ae4j.examples.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Explanations of images by region: each pixel's contribution to a row's score summed over the channels and over
 * the cells of a grid of at most 4 x 4 regions, named by their pixel rows and columns ({@code rows 0-6, cols 7-13}).
 */
final class Regions {

    /** Regions per image side (fewer for images smaller than this). */
    static final int GRID = 4;

    private Regions() {
    }

    /**
     * The {@code k} regions with the largest share of each row's contributions.
     *
     * @param contributions [rows][h*w*c] per-pixel contributions (HWC order)
     * @param shape         {h, w, c}
     * @param k             regions per row
     * @return per row, the top regions with their shares, largest first
     */
    static List<List<RowWriter.Part>> top(double[][] contributions, int[] shape, int k) {
        int h = shape[0];
        int w = shape[1];
        int c = shape[2];
        int gy = Math.min(GRID, h);
        int gx = Math.min(GRID, w);
        List<List<RowWriter.Part>> out = new ArrayList<>(contributions.length);
        for (double[] row : contributions) {
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
            List<RowWriter.Part> parts = new ArrayList<>();
            for (int ry = 0; ry < gy; ry++) {
                for (int rx = 0; rx < gx; rx++) {
                    parts.add(new RowWriter.Part(name(ry, rx, gy, gx, h, w),
                            total > 0 ? sum[ry * gx + rx] / total : 0));
                }
            }
            parts.sort(Comparator.comparingDouble(RowWriter.Part::share).reversed());
            out.add(List.copyOf(parts.subList(0, Math.min(k, parts.size()))));
        }
        return out;
    }

    static String name(int ry, int rx, int gy, int gx, int h, int w) {
        int y0 = (ry * h + gy - 1) / gy;
        int y1 = ((ry + 1) * h + gy - 1) / gy - 1;
        int x0 = (rx * w + gx - 1) / gx;
        int x1 = ((rx + 1) * w + gx - 1) / gx - 1;
        return String.format(Locale.ROOT, "rows %d-%d, cols %d-%d", y0, y1, x0, x1);
    }
}
