package io.github.ae4j.anomaly;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The binary form of a float matrix in a detector file: the magic {@code AE4JF32M}, rows and columns
 * (little-endian 32-bit), then the values row by row (little-endian 32-bit floats). Decoding checks
 * the magic, the sizes against the bytes present and that every value is finite.
 */
final class FloatMatrix {

    private static final byte[] MAGIC = "AE4JF32M".getBytes(StandardCharsets.US_ASCII);

    private FloatMatrix() {
    }

    static byte[] encode(float[][] m) {
        int rows = m.length;
        int cols = rows == 0 ? 0 : m[0].length;
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 8 + 4 * rows * cols).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(rows).putInt(cols);
        for (float[] r : m) {
            if (r.length != cols) {
                throw new IllegalArgumentException("rows of unequal width");
            }
            for (float v : r) {
                b.putFloat(v);
            }
        }
        return b.array();
    }

    static float[][] decode(byte[] bytes, String what) {
        if (bytes.length < MAGIC.length + 8
                || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new IllegalArgumentException(what + " is not a float matrix (bad header)");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.position(MAGIC.length);
        int rows = b.getInt();
        int cols = b.getInt();
        if (rows < 0 || cols < 0 || (long) rows * cols * 4 != bytes.length - MAGIC.length - 8L) {
            throw new IllegalArgumentException(what + " declares " + rows + " x " + cols + " values but holds "
                    + (bytes.length - MAGIC.length - 8) + " bytes");
        }
        float[][] m = new float[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                float v = b.getFloat();
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException(what + " holds a NaN or infinite value");
                }
                m[i][j] = v;
            }
        }
        return m;
    }
}
