package io.github.ae4j.conv;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Synthetic image fixtures for this module's tests. */
public final class TestImages {

    private TestImages() {
    }

    /**
     * Smooth random images (sums of two 2-D cosines with random frequencies and phases, a different
     * phase per channel, around a level that differs per channel: 0.3 to 0.7) in [0.03, 0.97], as HWC
     * rows.
     *
     * @param n    images
     * @param h    height
     * @param w    width
     * @param c    channels
     * @param seed the seed
     * @return rows, shape [n, h*w*c]
     */
    public static INDArray smooth(int n, int h, int w, int c, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * h * w * c];
        for (int i = 0; i < n; i++) {
            double[] fy = {r.nextDouble() * 2, r.nextDouble() * 2};
            double[] fx = {r.nextDouble() * 2, r.nextDouble() * 2};
            double[] ph = {r.nextDouble() * 6, r.nextDouble() * 6};
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    for (int ch = 0; ch < c; ch++) {
                        double base = c == 1 ? 0.5 : 0.3 + 0.4 * ch / (c - 1);
                        double v = base + 0.15 * Math.cos(Math.PI * (fy[0] * y / h + fx[0] * xx / w) + ph[0] + ch)
                                + 0.12 * Math.cos(Math.PI * (fy[1] * y / h - fx[1] * xx / w) + ph[1] * (ch + 1));
                        x[((i * h + y) * w + xx) * c + ch] = (float) v;
                    }
                }
            }
        }
        return Nd4j.create(x, new long[] {n, (long) h * w * c}, 'c');
    }

}
