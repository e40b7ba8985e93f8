package io.github.ae4j.conv.image;

/**
 * Separable image resampling: area averaging (box filter) along an axis that shrinks, bilinear
 * interpolation (pixel centres aligned) along an axis that grows, a copy when sizes match.
 */
final class Resize {

    private Resize() {
    }

    /**
     * Resizes an HWC image.
     *
     * @param px pixels, h*w*c values in HWC order
     * @param h  height
     * @param w  width
     * @param c  channels
     * @param th target height
     * @param tw target width
     * @return th*tw*c values in HWC order (the input itself when no resizing is needed)
     */
    static float[] resize(float[] px, int h, int w, int c, int th, int tw) {
        if (h == th && w == tw) {
            return px;
        }
        Weights wy = weights(h, th);
        Weights wx = weights(w, tw);
        // along the height: [th][w][c]
        float[] tmp = new float[th * w * c];
        for (int y = 0; y < th; y++) {
            for (int k = wy.start[y]; k < wy.start[y + 1]; k++) {
                int src = wy.index[k];
                float f = wy.weight[k];
                int so = src * w * c;
                int to = y * w * c;
                for (int i = 0; i < w * c; i++) {
                    tmp[to + i] += f * px[so + i];
                }
            }
        }
        float[] out = new float[th * tw * c];
        for (int y = 0; y < th; y++) {
            for (int x = 0; x < tw; x++) {
                int to = (y * tw + x) * c;
                for (int k = wx.start[x]; k < wx.start[x + 1]; k++) {
                    int so = (y * w + wx.index[k]) * c;
                    float f = wx.weight[k];
                    for (int ch = 0; ch < c; ch++) {
                        out[to + ch] += f * tmp[so + ch];
                    }
                }
            }
        }
        return out;
    }

    /** Sparse weights: output i reads index[start[i] .. start[i+1]) with weight[...]. */
    private record Weights(int[] start, int[] index, float[] weight) {
    }

    private static Weights weights(int n, int m) {
        java.util.List<int[]> idx = new java.util.ArrayList<>();
        java.util.List<Float> wts = new java.util.ArrayList<>();
        int[] start = new int[m + 1];
        for (int i = 0; i < m; i++) {
            start[i] = idx.size();
            if (n == m) {
                idx.add(new int[] {i});
                wts.add(1f);
            } else if (m < n) {
                // area: output pixel i covers input [i*n/m, (i+1)*n/m)
                double a = (double) i * n / m;
                double b = (double) (i + 1) * n / m;
                for (int j = (int) Math.floor(a); j < Math.min(n, (int) Math.ceil(b)); j++) {
                    double overlap = Math.min(b, j + 1) - Math.max(a, j);
                    if (overlap > 1e-12) {
                        idx.add(new int[] {j});
                        wts.add((float) (overlap / (b - a)));
                    }
                }
            } else {
                double s = (i + 0.5) * n / m - 0.5;
                s = Math.max(0, Math.min(n - 1, s));
                int j0 = (int) Math.floor(s);
                int j1 = Math.min(n - 1, j0 + 1);
                float f = (float) (s - j0);
                idx.add(new int[] {j0});
                wts.add(1 - f);
                if (j1 != j0 && f > 0) {
                    idx.add(new int[] {j1});
                    wts.add(f);
                }
            }
        }
        start[m] = idx.size();
        int[] index = new int[idx.size()];
        float[] weight = new float[idx.size()];
        for (int k = 0; k < index.length; k++) {
            index[k] = idx.get(k)[0];
            weight[k] = wts.get(k);
        }
        return new Weights(start, index, weight);
    }
}
