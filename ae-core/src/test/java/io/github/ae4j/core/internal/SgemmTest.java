package io.github.ae4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.FloatPointer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link Sgemm}: both libraries (oneDNN and OpenBLAS, each where it loads; the CPU test backend has both) give ND4J's
 * products for every transpose combination, with leading dimensions wider than the matrices and beta 0 and 1; bad
 * dimensions are refused before any native call.
 */
@Tag("onednn")   // the direct products need the CPU backend's natives (excluded under -Pcuda)
class SgemmTest {

    @Test
    void givenEachLibrary_whenMultiplying_thenEqualsNd4j() {
        assertNotEquals(Sgemm.Library.NONE, Sgemm.library(), "the CPU test backend has a library");
        int tested = 0;
        for (Sgemm.Library lib : new Sgemm.Library[] {Sgemm.Library.ONEDNN, Sgemm.Library.OPENBLAS}) {
            if (!Sgemm.loads(lib)) {
                continue;
            }
            tested++;
            Nd4j.getRandom().setSeed(2);
            int m = 7;
            int n = 5;
            int k = 9;
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    // stored with 3 spare columns: leading dimensions larger than the rows
                    INDArray aStore = Nd4j.rand(DataType.FLOAT, ta ? k : m, (ta ? m : k) + 3);
                    INDArray bStore = Nd4j.rand(DataType.FLOAT, tb ? n : k, (tb ? k : n) + 3);
                    INDArray a = aStore.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                            org.nd4j.linalg.indexing.NDArrayIndex.interval(0, ta ? m : k));
                    INDArray b = bStore.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                            org.nd4j.linalg.indexing.NDArrayIndex.interval(0, tb ? k : n));
                    INDArray expected = (ta ? a.transpose() : a).mmul(tb ? b.transpose() : b);
                    INDArray c = Nd4j.ones(DataType.FLOAT, m, n);
                    Sgemm.gemm(lib, ta, tb, m, n, k, NativeArrays.pointer(aStore), (int) aStore.size(1), NativeArrays.pointer(bStore),
                            (int) bStore.size(1), 0f, NativeArrays.pointer(c), n);
                    assertTrue(expected.equalsWithEps(c, 1e-4), lib + " ta=" + ta + " tb=" + tb + ": " + c + " vs " + expected);
                    Sgemm.gemm(lib, ta, tb, m, n, k, NativeArrays.pointer(aStore), (int) aStore.size(1), NativeArrays.pointer(bStore),
                            (int) bStore.size(1), 1f, NativeArrays.pointer(c), n);
                    assertTrue(expected.mul(2).equalsWithEps(c, 1e-4), lib + " beta 1");
                }
            }
        }
        assertTrue(tested >= 1);
        assertEquals(Sgemm.Library.ONEDNN, Sgemm.library(), "the test backend (oneDNN build + OpenCL natives) uses oneDNN");
    }

    @Test
    void givenBadDimensions_whenMultiplying_thenRefusedBeforeTheNativeCall() {
        FloatPointer p = new FloatPointer(16);
        assertThrows(IllegalArgumentException.class, () -> Sgemm.gemm(false, false, 4, 4, 4, p, 3, p, 4, 0f, p, 4));
        assertThrows(IllegalArgumentException.class, () -> Sgemm.gemm(false, true, 4, 4, 4, p, 4, p, 4, 0f, p, 3));
        assertThrows(IllegalArgumentException.class, () -> Sgemm.gemm(false, false, 0, 4, 4, p, 4, p, 4, 0f, p, 4));
        assertThrows(IllegalArgumentException.class, () -> Sgemm.gemm(false, false, 4, 4, 4, null, 4, p, 4, 0f, p, 4));
    }
}
