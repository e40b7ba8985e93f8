package io.github.ae4j.conv.layers;

import io.github.ae4j.core.internal.NativeArrays;
import io.github.ae4j.core.internal.Sgemm;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Stride-1 convolutions with one input channel or one output channel (an image autoencoder's first and last layers on
 * gray images), forward and backward, as a few matrix products ({@link Sgemm}) around shifted copies of one-channel
 * planes, instead of libnd4j's {@code conv2d} / {@code conv2d_bp}.
 *
 * <p>Why: oneDNN's kernels serve these shapes badly. On the reference conv net (28x28, batch 128) the 16-to-1 output
 * convolution took 2.7 ms forward, 2.8 ms for its input gradient and 3.4 ms for its weight gradient (~10 GF/s), and
 * the 1-to-16 input layer 2.5 ms for an input gradient that nobody uses (DNNL_VERBOSE, session 6), plus layout
 * reorders around each. Here a tap {@code (ky, kx)} of the kernel is a shift of the whole plane by
 * {@code (ky - padTop, kx - padLeft)}:
 * <ul>
 *   <li>one input channel: the {@code taps} shifted copies of the input plane, and a row of ones, form a
 *       {@code [taps + 1, pixels]} matrix; the output is its transpose times {@code [W; b]}, and the weight and bias
 *       gradients are that matrix times the output gradient, in one product;</li>
 *   <li>one output channel: the input times each tap's weights is one product {@code [taps, pixels]}; the output is
 *       the sum of those rows shifted back, the gradients come from shifted copies of the output gradient.</li>
 * </ul>
 * Images are processed in chunks of about {@value #CHUNK_PIXELS} pixels, so the buffers stay small whatever the batch.
 * Float arrays only, on a CPU backend where {@link Sgemm} has a library; anything else keeps libnd4j's ops. One
 * instance per runtime layer (one per graph replica), used by one thread at a time.
 */
final class OneChannelConv {

    /** Pixels per chunk of images (the planes of a chunk are {@code taps + 1} times this many floats). */
    static final int CHUNK_PIXELS = 32_768;

    /** Whether layers use this path where it applies (tests switch it off to compare with libnd4j's ops). */
    static volatile boolean enabled = true;

    private final ConvGeometry g;
    private final int taps;
    private final int chunk;

    private float[] one;      // a chunk of one-channel values (input or output gradient)
    private float[] planes;   // taps (+ 1) planes of a chunk
    private float[] sum;      // a chunk of one-channel results
    private float[] small;    // [taps + 1, channels] weights or gradients
    private FloatPointer nPlanes;
    private FloatPointer nSmall;

    private OneChannelConv(ConvGeometry g) {
        this.g = g;
        this.taps = g.kh() * g.kw();
        this.chunk = Math.max(1, CHUNK_PIXELS / Math.max(g.ih() * g.iw(), g.oh() * g.ow()));
    }

    /**
     * The path for a layer, or null when it does not apply (more than one channel on both sides, a stride, another
     * data type, no matrix-product library on this backend, or switched off).
     *
     * @param c  the layer's configuration
     * @param dt the network's data type
     * @return the path, or null
     */
    static OneChannelConv of(NativeConv2D c, DataType dt) {
        if (!enabled || dt != DataType.FLOAT || !Sgemm.available() || c.getStrideHeight() != 1
                || c.getStrideWidth() != 1 || c.getInputChannels() != 1 && c.getFilters() != 1) {
            return null;
        }
        ConvGeometry g = ConvGeometry.of(c);
        return g.oh() < 1 || g.ow() < 1 ? null : new OneChannelConv(g);
    }

    /**
     * Whether the forward pass is faster here than through libnd4j's {@code conv2d}: for one output channel (2.7 ms
     * against ~1.6 ms on the reference output layer), not for one input channel and several outputs (oneDNN's kernel
     * took ~0.5-0.7 ms for the reference 1-to-16 layer, the products here ~1 ms).
     *
     * @return true for one output channel
     */
    boolean forwardHere() {
        return g.cout() == 1;
    }

    /**
     * The convolution of {@code x} into {@code z}.
     *
     * @param x [n, ih, iw, cin], float
     * @param w [kh, kw, cin, cout]
     * @param b [cout]
     * @param z [n, oh, ow, cout], written
     */
    void forward(INDArray x, INDArray w, INDArray b, INDArray z) {
        INDArray xc = NativeArrays.contiguous(x);
        int n = (int) xc.size(0);
        FloatPointer zp = NativeArrays.pointer(z);
        ensure();
        if (g.cin() == 1) {
            // [W; b] as one [taps + 1, cout] matrix: the planes' last row is ones, so the product adds the bias
            NativeArrays.buffer(w).get(0, small, 0, taps * g.cout());
            NativeArrays.buffer(b).get(0, small, taps * g.cout(), g.cout());
            nSmall.put(small, 0, (taps + 1) * g.cout());
            FloatBuffer xb = NativeArrays.buffer(xc);
            for (int i0 = 0; i0 < n; i0 += chunk) {
                int m = Math.min(chunk, n - i0);
                int pout = m * g.oh() * g.ow();
                inputPlanes(xb, i0, m);
                Sgemm.gemm(true, false, pout, g.cout(), taps + 1, nPlanes, pout, nSmall, g.cout(), 0f,
                        NativeArrays.at(zp, (long) i0 * g.oh() * g.ow() * g.cout()), g.cout());
            }
        } else {
            FloatPointer xp = NativeArrays.pointer(xc);
            FloatPointer wp = NativeArrays.pointer(w);
            float bias = b.getFloat(0);
            FloatBuffer zb = NativeArrays.buffer(z);
            for (int i0 = 0; i0 < n; i0 += chunk) {
                int m = Math.min(chunk, n - i0);
                int pin = m * g.ih() * g.iw();
                int pout = m * g.oh() * g.ow();
                // each tap's weighted sum over the input channels, per input pixel: [taps, pin]
                FloatPointer xChunk = NativeArrays.at(xp, (long) i0 * g.ih() * g.iw() * g.cin());
                Sgemm.gemm(false, true, taps, pin, g.cin(), wp, g.cin(), xChunk, g.cin(), 0f, nPlanes, pin);
                nPlanes.get(planes, 0, taps * pin);
                Arrays.fill(sum, 0, pout, bias);
                for (int k = 0; k < taps; k++) {
                    shift(planes, k * pin, g.ih(), g.iw(), sum, 0, g.oh(), g.ow(), m, dy(k), dx(k), true);
                }
                zb.put(i0 * g.oh() * g.ow(), sum, 0, pout);
            }
        }
        java.lang.ref.Reference.reachabilityFence(xc);   // a copy's memory stays until its pointers are done
    }

    /**
     * The gradients of the convolution.
     *
     * @param x  the forward pass's input [n, ih, iw, cin]
     * @param w  the weights [kh, kw, cin, cout]
     * @param dz the gradient at the output [n, oh, ow, cout]
     * @param dx the gradient at the input, written [n, ih, iw, cin], or null to skip it
     * @param dw the weight gradient, written [kh, kw, cin, cout]
     * @param db the bias gradient, written [cout]
     */
    void backward(INDArray x, INDArray w, INDArray dz, INDArray dx, INDArray dw, INDArray db) {
        INDArray xc = NativeArrays.contiguous(x);
        INDArray dzc = NativeArrays.contiguous(dz);
        int n = (int) xc.size(0);
        FloatPointer dzp = NativeArrays.pointer(dzc);
        FloatPointer wp = NativeArrays.pointer(w);
        ensure();
        if (g.cin() == 1) {
            FloatBuffer xb = NativeArrays.buffer(xc);
            FloatBuffer dxb = dx == null ? null : NativeArrays.buffer(dx);
            for (int i0 = 0; i0 < n; i0 += chunk) {
                int m = Math.min(chunk, n - i0);
                int pin = m * g.ih() * g.iw();
                int pout = m * g.oh() * g.ow();
                FloatPointer dzChunk = NativeArrays.at(dzp, (long) i0 * g.oh() * g.ow() * g.cout());
                inputPlanes(xb, i0, m);
                // [dW; db] (+)= planes [taps + 1, pout] x dz [pout, cout]
                Sgemm.gemm(false, false, taps + 1, g.cout(), pout, nPlanes, pout, dzChunk, g.cout(), i0 == 0 ? 0f : 1f,
                        nSmall, g.cout());
                if (dxb == null) {
                    continue;
                }
                // the input gradient: each tap's weighted sum over the output channels, shifted back
                Sgemm.gemm(false, true, taps, pout, g.cout(), wp, g.cout(), dzChunk, g.cout(), 0f, nPlanes, pout);
                nPlanes.get(planes, 0, taps * pout);
                Arrays.fill(sum, 0, pin, 0f);
                for (int k = 0; k < taps; k++) {
                    shift(planes, k * pout, g.oh(), g.ow(), sum, 0, g.ih(), g.iw(), m, -dy(k), -dx(k), true);
                }
                dxb.put(i0 * g.ih() * g.iw(), sum, 0, pin);
            }
            nSmall.get(small, 0, (taps + 1) * g.cout());
            NativeArrays.buffer(dw).put(0, small, 0, taps * g.cout());
            NativeArrays.buffer(db).put(0, small, taps * g.cout(), g.cout());
        } else {
            FloatPointer xp = NativeArrays.pointer(xc);
            FloatPointer dxp = dx == null ? null : NativeArrays.pointer(dx);
            FloatBuffer dzb = NativeArrays.buffer(dzc);
            double dbSum = 0;
            for (int i0 = 0; i0 < n; i0 += chunk) {
                int m = Math.min(chunk, n - i0);
                int pin = m * g.ih() * g.iw();
                int pout = m * g.oh() * g.ow();
                dzb.get(i0 * g.oh() * g.ow(), one, 0, pout);
                dbSum += sum(one, pout);
                // tap k's plane at input pixel q is the output gradient at q minus the tap's shift
                for (int k = 0; k < taps; k++) {
                    shift(one, 0, g.oh(), g.ow(), planes, k * pin, g.ih(), g.iw(), m, -dy(k), -dx(k), false);
                }
                nPlanes.put(planes, 0, taps * pin);
                if (dxp != null) {
                    // dx [pin, cin] = planes^T [pin, taps] x W [taps, cin]
                    Sgemm.gemm(true, false, pin, g.cin(), taps, nPlanes, pin, wp, g.cin(), 0f,
                            NativeArrays.at(dxp, (long) i0 * g.ih() * g.iw() * g.cin()), g.cin());
                }
                // dW [taps, cin] (+)= planes [taps, pin] x x [pin, cin]
                FloatPointer xChunk = NativeArrays.at(xp, (long) i0 * g.ih() * g.iw() * g.cin());
                Sgemm.gemm(false, false, taps, g.cin(), pin, nPlanes, pin, xChunk, g.cin(), i0 == 0 ? 0f : 1f, nSmall,
                        g.cin());
            }
            nSmall.get(small, 0, taps * g.cin());
            NativeArrays.buffer(dw).put(0, small, 0, taps * g.cin());
            NativeArrays.buffer(db).put(0, (float) dbSum);
        }
        java.lang.ref.Reference.reachabilityFence(xc);   // copies' memory stays until their pointers are done
        java.lang.ref.Reference.reachabilityFence(dzc);
    }

    /** Tap k's shift: output pixel (y, x) reads input pixel (y + dy(k), x + dx(k)). */
    private int dy(int k) {
        return k / g.kw() - g.padTop();
    }

    private int dx(int k) {
        return k % g.kw() - g.padLeft();
    }

    /** The taps' shifted copies of chunk images {@code i0 .. i0 + m} of a one-channel input, and a row of ones. */
    private void inputPlanes(FloatBuffer xb, int i0, int m) {
        int pin = m * g.ih() * g.iw();
        int pout = m * g.oh() * g.ow();
        xb.get(i0 * g.ih() * g.iw(), one, 0, pin);
        for (int k = 0; k < taps; k++) {
            shift(one, 0, g.ih(), g.iw(), planes, k * pout, g.oh(), g.ow(), m, dy(k), dx(k), false);
        }
        Arrays.fill(planes, taps * pout, (taps + 1) * pout, 1f);
        nPlanes.put(planes, 0, (taps + 1) * pout);
    }

    /**
     * {@code dst[img, y, x] (+)= src[img, y + dy, x + dx]}, zero where that lies outside {@code src}, for
     * {@code images} planes of {@code sh x sw} values (from {@code sOff}) and {@code dh x dw} values (from
     * {@code dOff}).
     */
    static void shift(float[] src, int sOff, int sh, int sw, float[] dst, int dOff, int dh, int dw, int images,
                      int dy, int dx, boolean add) {
        int x0 = Math.max(0, -dx);
        int x1 = Math.min(dw, sw - dx);
        for (int img = 0; img < images; img++) {
            for (int y = 0; y < dh; y++) {
                int d = dOff + (img * dh + y) * dw;
                int sy = y + dy;
                if (sy < 0 || sy >= sh || x1 <= x0) {
                    if (!add) {
                        Arrays.fill(dst, d, d + dw, 0f);
                    }
                    continue;
                }
                int s = sOff + (img * sh + sy) * sw + dx;
                if (add) {
                    for (int x = x0; x < x1; x++) {
                        dst[d + x] += src[s + x];
                    }
                } else {
                    Arrays.fill(dst, d, d + x0, 0f);
                    System.arraycopy(src, s + x0, dst, d + x0, x1 - x0);
                    Arrays.fill(dst, d + x1, d + dw, 0f);
                }
            }
        }
    }

    private static double sum(float[] v, int len) {
        double s0 = 0;
        double s1 = 0;
        int j = 0;
        for (; j + 1 < len; j += 2) {
            s0 += v[j];
            s1 += v[j + 1];
        }
        for (; j < len; j++) {
            s0 += v[j];
        }
        return s0 + s1;
    }

    /** Buffers for one chunk, allocated on first use. */
    private void ensure() {
        if (planes != null) {
            return;
        }
        int pixels = chunk * Math.max(g.ih() * g.iw(), g.oh() * g.ow());
        one = new float[pixels];
        sum = new float[pixels];
        planes = new float[Math.multiplyExact(taps + 1, pixels)];
        small = new float[(taps + 1) * Math.max(g.cin(), g.cout())];
        nPlanes = new FloatPointer((long) planes.length);
        nSmall = new FloatPointer((long) small.length);
    }
}
