package io.github.ae4j.core.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads IDX files (the MNIST format), plain or gzip-compressed: big-endian int32 magic (2051 for
 * images, 2049 for labels), count, then height and width for images, then one unsigned byte per
 * pixel or label.
 */
public final class Idx {

    /** Magic number of an image file. */
    public static final int IMAGES = 2051;
    /** Magic number of a label file. */
    public static final int LABELS = 2049;
    private static final long MAX_VALUES = 1L << 31;

    private Idx() {
    }

    /**
     * Images of an IDX file.
     *
     * @param pixels rows of height * width pixel values 0..255, float, shape [count, height * width]
     * @param height image height
     * @param width  image width
     */
    public record Images(INDArray pixels, int height, int width) {
        /** @return the number of images */
        public int count() {
            return (int) pixels.size(0);
        }
    }

    /**
     * Reads an image file.
     *
     * @param file the file ({@code .gz} or plain, detected from the content)
     * @param max  read at most this many images
     * @return the images
     * @throws IOException on I/O failure, or {@link DataFormatException} when the file is not an
     *                     IDX image file or is truncated
     */
    public static Images readImages(Path file, int max) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != IMAGES) {
                throw new DataFormatException(file.toString(), -1, -1, null, "not an IDX image file (magic "
                        + magic + ", expected " + IMAGES + (magic == LABELS ? ": this is a label file" : "") + ")");
            }
            int count = in.readInt();
            int h = in.readInt();
            int w = in.readInt();
            if (count < 0 || h < 1 || w < 1 || (long) h * w > 1 << 24) {
                throw new DataFormatException(file.toString(), -1, -1, null, "invalid IDX header: count " + count
                        + ", size " + h + "x" + w);
            }
            int n = Math.min(count, max);
            if ((long) n * h * w > MAX_VALUES) {
                throw new DataFormatException(file.toString(), -1, -1, null, "too many pixels to read at once");
            }
            byte[] raw = new byte[n * h * w];
            try {
                in.readFully(raw);
            } catch (EOFException e) {
                throw new DataFormatException(file.toString(), -1, -1, null, "truncated: the header announces "
                        + count + " images of " + h + "x" + w);
            }
            float[] f = new float[raw.length];
            for (int i = 0; i < raw.length; i++) {
                f[i] = raw[i] & 0xFF;
            }
            return new Images(Nd4j.create(f, new long[] {n, (long) h * w}, 'c'), h, w);
        } catch (EOFException e) {
            throw new DataFormatException(file.toString(), -1, -1, null, "truncated IDX header");
        }
    }

    /**
     * Reads a label file.
     *
     * @param file the file
     * @param max  read at most this many labels
     * @return the labels
     * @throws IOException on I/O failure or bad content
     */
    public static int[] readLabels(Path file, int max) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != LABELS) {
                throw new DataFormatException(file.toString(), -1, -1, null, "not an IDX label file (magic "
                        + magic + ", expected " + LABELS + ")");
            }
            int count = in.readInt();
            if (count < 0) {
                throw new DataFormatException(file.toString(), -1, -1, null, "invalid IDX label count " + count);
            }
            int n = Math.min(count, max);
            byte[] raw = new byte[n];
            try {
                in.readFully(raw);
            } catch (EOFException e) {
                throw new DataFormatException(file.toString(), -1, -1, null, "truncated: the header announces "
                        + count + " labels");
            }
            int[] l = new int[n];
            for (int i = 0; i < n; i++) {
                l[i] = raw[i] & 0xFF;
            }
            return l;
        } catch (EOFException e) {
            throw new DataFormatException(file.toString(), -1, -1, null, "truncated IDX header");
        }
    }

    /**
     * Whether a file starts like an IDX file (after gunzip).
     *
     * @param file the file
     * @return true for IDX image or label files
     */
    public static boolean isIdx(Path file) {
        try (DataInputStream in = open(file)) {
            int m = in.readInt();
            return m == IMAGES || m == LABELS;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int a = raw.read();
        int b = raw.read();
        raw.reset();
        InputStream in = a == 0x1f && b == 0x8b ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
        return new DataInputStream(in);
    }
}
