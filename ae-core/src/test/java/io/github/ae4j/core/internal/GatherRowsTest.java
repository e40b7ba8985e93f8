package io.github.ae4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** {@link Arrays2#gatherRows}: the rows {@code Nd4j.pullRows} gives, into a reused array where it fits. */
class GatherRowsTest {

    @Test
    void givenRowMajorFloatRows_whenGathered_thenEqualPullRowsAndReuseTheArray() {
        INDArray src = Nd4j.rand(DataType.FLOAT, 50, 7);
        int[] order = {49, 0, 3, 3, 17, 8, 22};
        INDArray first = Arrays2.gatherRows(src, order, 0, 4, null);
        assertEquals(Nd4j.pullRows(src, 1, new int[] {49, 0, 3, 3}), first);
        INDArray again = Arrays2.gatherRows(src, order, 3, 7, first);
        assertSame(first, again, "a full batch reuses the array");
        assertEquals(Nd4j.pullRows(src, 1, new int[] {3, 17, 8, 22}), again);
        INDArray partial = Arrays2.gatherRows(src, order, 5, 7, first);
        assertEquals(Nd4j.pullRows(src, 1, new int[] {8, 22}), partial);
        // a view of the source's rows (offset) reads from its own first row
        INDArray view = src.get(NDArrayIndex.interval(10, 30), NDArrayIndex.all());
        assertEquals(Nd4j.pullRows(view, 1, new int[] {0, 19, 5}), Arrays2.gatherRows(view, new int[] {0, 19, 5}, 0, 3, null));
    }

    @Test
    void givenOtherLayoutsOrTypes_whenGathered_thenPullRowsIsUsed() {
        INDArray f = Nd4j.rand(DataType.FLOAT, 'f', 20, 5);
        assertEquals(Nd4j.pullRows(f, 1, new int[] {4, 2}), Arrays2.gatherRows(f, new int[] {4, 2}, 0, 2, null));
        INDArray d = Nd4j.rand(DataType.DOUBLE, 20, 5);
        assertEquals(Nd4j.pullRows(d, 1, new int[] {4, 2}), Arrays2.gatherRows(d, new int[] {4, 2}, 0, 2, null));
    }

    @Test
    void givenARowOutsideTheMatrix_whenGathered_thenItIsAnErrorNotARead() {
        INDArray src = Nd4j.rand(DataType.FLOAT, 5, 3);
        assertThrows(IndexOutOfBoundsException.class, () -> Arrays2.gatherRows(src, new int[] {1, 5}, 0, 2, null));
    }
}
