package io.github.ae4j.core.internal;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Row-major single-precision matrix products on native memory, called directly: oneDNN's {@code dnnl_sgemm}
 * where its Java bindings and natives load (ND4J's oneDNN CPU build ships the library; its bindings need
 * the OpenCL preset's natives, which the {@code cpu} profile adds), else OpenBLAS's {@code cblas_sgemm}
 * (the natives of ND4J's plain CPU build), else none (ND4J's CUDA backend, where {@link #available()} is
 * false and callers keep their ND4J path). Measured on this project's 2-core AVX-512 VM: 1024x784x256
 * 2.0 ms (203 GF/s) with oneDNN, 2.9 ms with OpenBLAS 0.3.19, 2.7 ms through ND4J's {@code matmul} op on
 * DL4J's 'f'-ordered weights.
 *
 * <p>The pointers are not checked against the buffers they point into: callers size their buffers from
 * the same dimensions they pass here. The dimensions and leading dimensions are checked (a wrong one would
 * read or write outside the matrices).
 */
public final class Sgemm {

    private static final Logger LOG = LoggerFactory.getLogger(Sgemm.class);

    /** Which library runs the products. */
    public enum Library { ONEDNN, OPENBLAS, NONE }

    private static final Library LIBRARY = load();

    private Sgemm() {
    }

    private static Library load() {
        if (!Boolean.getBoolean("ae4j.sgemm.openblas") && loads(Library.ONEDNN)) {
            return Library.ONEDNN;
        }
        return loads(Library.OPENBLAS) ? Library.OPENBLAS : Library.NONE;
    }

    /** @return whether products can be run here (a CPU backend with oneDNN or OpenBLAS natives) */
    public static boolean available() {
        return LIBRARY != Library.NONE;
    }

    /** @return the library in use */
    public static Library library() {
        return LIBRARY;
    }

    /**
     * {@code C = op(A) op(B) + beta C}, all row-major; {@code op(A)} is {@code [m, k]}, {@code op(B)}
     * {@code [k, n]}, {@code C} {@code [m, n]}.
     *
     * @param transA whether A is stored as {@code [k, m]}
     * @param transB whether B is stored as {@code [n, k]}
     * @param m      rows of C
     * @param n      columns of C
     * @param k      the inner dimension
     * @param a      A's first element
     * @param lda    A's row stride
     * @param b      B's first element
     * @param ldb    B's row stride
     * @param beta   the factor on C's previous values (0: C is only written)
     * @param c      C's first element
     * @param ldc    C's row stride
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, FloatPointer a, int lda,
                            FloatPointer b, int ldb, float beta, FloatPointer c, int ldc) {
        gemm(LIBRARY, transA, transB, m, n, k, a, lda, b, ldb, beta, c, ldc);
    }

    /** @return whether this library's bindings and natives load here, on a CPU backend */
    static boolean loads(Library library) {
        try {
            if (!Nd4j.getEnvironment().isCPU()) {
                return false;
            }
            switch (library) {
                case ONEDNN -> Loader.load(org.bytedeco.dnnl.global.dnnl.class);
                case OPENBLAS -> Loader.load(org.bytedeco.openblas.global.openblas.class);
                default -> {
                    return false;
                }
            }
            return true;
        } catch (Throwable t) {   // bindings or natives missing (e.g. oneDNN without the OpenCL preset's natives)
            LOG.debug("{} not loadable ({})", library, t.toString());
            return false;
        }
    }

    /** {@link #gemm(boolean, boolean, int, int, int, FloatPointer, int, FloatPointer, int, float, FloatPointer, int)} on a given library. */
    static void gemm(Library library, boolean transA, boolean transB, int m, int n, int k, FloatPointer a, int lda,
                     FloatPointer b, int ldb, float beta, FloatPointer c, int ldc) {
        if (m < 1 || n < 1 || k < 1 || lda < (transA ? m : k) || ldb < (transB ? k : n) || ldc < n
                || a == null || b == null || c == null || a.isNull() || b.isNull() || c.isNull()) {
            throw new IllegalArgumentException("bad product: m=" + m + " n=" + n + " k=" + k + " lda=" + lda
                    + " ldb=" + ldb + " ldc=" + ldc);
        }
        switch (library) {
            case ONEDNN -> {
                int status = org.bytedeco.dnnl.global.dnnl.dnnl_sgemm((byte) (transA ? 'T' : 'N'),
                        (byte) (transB ? 'T' : 'N'), m, n, k, 1f, a, lda, b, ldb, beta, c, ldc);
                if (status != org.bytedeco.dnnl.global.dnnl.dnnl_success) {
                    throw new IllegalStateException("oneDNN sgemm failed with status " + status);
                }
            }
            case OPENBLAS -> org.bytedeco.openblas.global.openblas.cblas_sgemm(
                    org.bytedeco.openblas.global.openblas.CblasRowMajor,
                    transA ? org.bytedeco.openblas.global.openblas.CblasTrans : org.bytedeco.openblas.global.openblas.CblasNoTrans,
                    transB ? org.bytedeco.openblas.global.openblas.CblasTrans : org.bytedeco.openblas.global.openblas.CblasNoTrans,
                    m, n, k, 1f, a, lda, b, ldb, beta, c, ldc);
            default -> throw new IllegalStateException("no native matrix product library on this backend");
        }
    }
}
