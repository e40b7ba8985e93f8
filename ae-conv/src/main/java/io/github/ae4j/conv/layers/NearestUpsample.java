package io.github.ae4j.conv.layers;

import io.github.ae4j.core.internal.Halves;
import io.github.ae4j.core.internal.NativeArrays;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Nearest-neighbour upsampling of NHWC float maps by whole factors, and its gradient, in plain Java over the
 * arrays' buffers: a row of the input is widened once and written {@code fh} times; the gradient sums each block.
 * Large maps split their rows over two threads (the native ops around it use every core; this pass would use one).
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

    /** Maps of at least this many wide values split their rows over two threads ({@link Halves}). */
    static final long PARALLEL_VALUES = 1 << 16;

    /**
     * One pass over the rows of the small map ({@code small} has its shape): each row widened once and written
     * {@code fh} times, or ({@code sum}) its {@code fh} wide rows summed back into it; large maps in two halves.
     */
    private static void pass(INDArray from, INDArray to, INDArray small, int fh, int fw, boolean sum) {
        INDArray src = NativeArrays.contiguous(from);
        int w = (int) small.size(2);
        int c = (int) small.size(3);
        FloatBuffer in = NativeArrays.buffer(src);
        FloatBuffer out = NativeArrays.buffer(to);
        long rows = small.size(0) * small.size(1);
        int narrow = w * c;
        // index tables, made once per call: widening reads value k of wide column j * fw + b from narrow column j
        // (map, over a wide row); summing adds, for each b, wide column j * fw + b into narrow column j (back[b],
        // over a narrow row)
        int[] map = new int[sum ? 0 : narrow * fw];
        for (int t = 0; t < map.length; t++) {
            map[t] = t / (c * fw) * c + t % c;
        }
        int[][] back = new int[sum ? fw : 0][narrow];
        for (int b = 0; b < back.length; b++) {
            for (int t = 0; t < narrow; t++) {
                back[b][t] = t / c * fw * c + b * c + t % c;
            }
        }
        int wide = narrow * fw;
        if (Halves.PARALLEL && rows > 1 && rows * wide * fh >= PARALLEL_VALUES) {
            long half = rows / 2;
            // absolute bulk gets and puts leave a buffer's state alone; each half still reads its own duplicates
            Halves.both(() -> rows(in.duplicate(), out.duplicate(), map, back, narrow, wide, fh, 0, half),
                    () -> rows(in.duplicate(), out.duplicate(), map, back, narrow, wide, fh, half, rows));
        } else {
            rows(in, out, map, back, narrow, wide, fh, 0, rows);
        }
        java.lang.ref.Reference.reachabilityFence(src);
    }

    /** Narrow rows {@code [lo, hi)} of {@link #pass}: widened with {@code map}, or summed with {@code back}; true. */
    private static boolean rows(FloatBuffer in, FloatBuffer out, int[] map, int[][] back, int narrow, int wide, int fh,
                                long lo, long hi) {
        boolean sum = back.length > 0;
        float[] row = new float[narrow];
        float[] wideRow = new float[wide];
        for (long r = lo; r < hi; r++) {
            if (sum) {
                // per value, the order of the earlier loop (wide rows a, then columns b): training stays bit-identical
                java.util.Arrays.fill(row, 0f);
                for (int a = 0; a < fh; a++) {
                    in.get(Math.toIntExact((r * fh + a) * wide), wideRow, 0, wide);
                    for (int[] m : back) {
                        for (int t = 0; t < narrow; t++) {
                            row[t] += wideRow[m[t]];
                        }
                    }
                }
                out.put(Math.toIntExact(r * narrow), row, 0, narrow);
            } else {
                in.get(Math.toIntExact(r * narrow), row, 0, narrow);
                for (int t = 0; t < wide; t++) {
                    wideRow[t] = row[map[t]];
                }
                for (int a = 0; a < fh; a++) {
                    out.put(Math.toIntExact((r * fh + a) * wide), wideRow, 0, wide);
                }
            }
        }
        return true;
    }
}
