package io.github.ae4j.conv.layers;

import io.github.ae4j.core.internal.NativeArrays;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Nearest-neighbour upsampling of NHWC float maps by whole factors, and its gradient, in plain Java over the
 * arrays' buffers: a row of the input is widened once and written {@code fh} times; the gradient sums each block.
 * libnd4j's {@code upsampling2d} and {@code upsampling2d_bp} took 448 + 283 us (7x7x8 to 14x14, 128 images) and
 * 831 + 897 us (14x14x8 to 28x28) per training step of the reference net (scratch probe, session 7). oneDNN's
 * resampling primitive was faster still but crashes for some shapes in oneDNN 2.5.2 ({@code
 * docs/notes/known-issues.md}). Stateless; any thread; the CPU backend only ({@link #applies}).
 */
final class NearestUpsample {

    /** Whether layers use this path where it applies (tests switch it off to compare with libnd4j's ops). */
    static volatile boolean enabled = true;

    private NearestUpsample() {
    }

    /** Whether the arrays' buffers are host memory Java can read and write (the CPU backend). */
    private static final boolean HOST = org.nd4j.linalg.factory.Nd4j.getEnvironment().isCPU();

    /**
     * @param dt the network's data type
     * @return whether this path applies (switched on, float, the CPU backend: under CUDA the layers keep libnd4j's
     *         ops, which run on the device)
     */
    static boolean applies(DataType dt) {
        return enabled && HOST && dt == DataType.FLOAT;
    }

    /**
     * {@code z[n, i, j, :] = x[n, i / fh, j / fw, :]}.
     *
     * @param x  [n, h, w, c], float (copied when not row-major and contiguous)
     * @param z  [n, h * fh, w * fw, c], float, row-major and contiguous, written
     * @param fh height factor
     * @param fw width factor
     */
    static void forward(INDArray x, INDArray z, int fh, int fw) {
        pass(x, z, x, fh, fw, false);
    }

    /**
     * {@code dx[n, i, j, :] = sum over a < fh, b < fw of dz[n, i * fh + a, j * fw + b, :]}.
     *
     * @param dz [n, h * fh, w * fw, c], float (copied when not row-major and contiguous)
     * @param dx [n, h, w, c], float, row-major and contiguous, written
     * @param fh height factor
     * @param fw width factor
     */
    static void backward(INDArray dz, INDArray dx, int fh, int fw) {
        pass(dz, dx, dx, fh, fw, true);
    }

    /**
     * One pass over the rows of the small map ({@code small} has its shape): each row widened and written {@code fh}
     * times, or ({@code sum}) its {@code fh} wide rows summed back into it.
     */
    private static void pass(INDArray from, INDArray to, INDArray small, int fh, int fw, boolean sum) {
        INDArray src = NativeArrays.contiguous(from);
        int w = (int) small.size(2);
        int c = (int) small.size(3);
        FloatBuffer in = NativeArrays.buffer(src);
        FloatBuffer out = NativeArrays.buffer(to);
        int narrow = w * c;
        int wide = narrow * fw;
        float[] row = new float[narrow];
        float[] wideRow = new float[wide];
        for (long r = 0, rows = small.size(0) * small.size(1); r < rows; r++) {
            if (sum) {
                java.util.Arrays.fill(row, 0f);
            } else {
                in.get(Math.toIntExact(r * narrow), row, 0, narrow);
            }
            for (int a = 0; a < fh; a++) {
                int at = Math.toIntExact((r * fh + a) * wide);
                if (sum) {
                    in.get(at, wideRow, 0, wide);
                }
                for (int j = 0; j < w; j++) {
                    for (int b = 0; b < fw; b++) {
                        int o = (j * fw + b) * c;
                        for (int k = 0; k < c; k++) {
                            if (sum) {
                                row[j * c + k] += wideRow[o + k];
                            } else {
                                wideRow[o + k] = row[j * c + k];
                            }
                        }
                    }
                }
                if (!sum) {
                    out.put(at, wideRow, 0, wide);
                }
            }
            if (sum) {
                out.put(Math.toIntExact(r * narrow), row, 0, narrow);
            }
        }
        java.lang.ref.Reference.reachabilityFence(src);
    }
}
