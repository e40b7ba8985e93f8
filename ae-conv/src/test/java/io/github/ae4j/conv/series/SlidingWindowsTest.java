package io.github.ae4j.conv.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SlidingWindowsTest {

    @Test
    void givenLengthNotAMultipleOfTheStride_whenPlanning_thenAnExtraWindowEndsAtTheLastPoint() {
        SlidingWindows w = new SlidingWindows(10, 4, 3, 1);
        assertArrayEquals(new int[] {0, 3, 6}, java.util.Arrays.copyOf(w.starts(), 3));
        // 0..3, 3..6, 6..9 already end at 9: no extra window
        assertEquals(3, w.count());
        SlidingWindows odd = new SlidingWindows(11, 4, 3, 1);
        assertArrayEquals(new int[] {0, 3, 6, 7}, odd.starts(), "6..9 misses point 10: a last window 7..10 is added");
        assertArrayEquals(new int[] {0}, new SlidingWindows(4, 4, 5, 2).starts());
        assertArrayEquals(new int[] {0, 1}, new SlidingWindows(5, 4, 9, 1).starts());
    }

    @Test
    void givenMultivariateSeries_whenExtracting_thenRowsAreTimeMajorWindows() {
        double[][] s = new double[7][2];
        for (int t = 0; t < 7; t++) {
            s[t][0] = t;
            s[t][1] = 100 + t;
        }
        SlidingWindows w = SlidingWindows.over(s, 3, 2);
        INDArray rows = w.extract(s);
        assertArrayEquals(new long[] {3, 6}, rows.shape());
        assertArrayEquals(new float[] {2, 102, 3, 103, 4, 104}, rows.getRow(1).toFloatVector());
        assertArrayEquals(new float[] {4, 104, 5, 105, 6, 106}, rows.getRow(2).toFloatVector());
        assertArrayEquals(rows.toFloatMatrix(), w.extract(Nd4j.createFromArray(s)).toFloatMatrix());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.extract(new double[6][2]));
        assertTrue(e.getMessage().contains("7 points"), e.getMessage());
        s[3][1] = Double.NaN;
        assertThrows(IllegalArgumentException.class, () -> w.extract(s));
    }

    @Test
    void givenPerStepErrors_whenMappingToPoints_thenMaxAndMeanOverCoveringWindowsIncludingBothEnds() {
        // series of 11 points, windows of 4 with stride 3: starts 0, 3, 6, 7
        SlidingWindows w = new SlidingWindows(11, 4, 3, 1);
        double[][] e = {
            {1, 2, 3, 4},      // points 0..3
            {5, 6, 7, 8},      // points 3..6
            {9, 10, 11, 12},   // points 6..9
            {13, 14, 15, 16},  // points 7..10
        };
        double[] max = w.toPoints(e, WindowPolicy.MAX);
        double[] mean = w.toPoints(e, WindowPolicy.MEAN);
        assertEquals(11, max.length);
        assertEquals(1, max[0], 0, "the first point is covered by the first window only");
        assertEquals(16, max[10], 0, "the last point is covered by the extra window only");
        assertEquals(16, mean[10], 0);
        assertEquals(5, max[3], 0);             // 4 (window 0) and 5 (window 1)
        assertEquals(4.5, mean[3], 1e-12);
        assertEquals(13, max[7], 0);            // 10 (window 2) and 13 (window 3)
        assertEquals(11.5, mean[7], 1e-12);
        assertEquals(16, max[10], 0);
        assertEquals(6, mean[4], 0);
        // from an array with channels: averaged over channels first
        SlidingWindows w2 = new SlidingWindows(5, 4, 1, 2);
        INDArray perFeature = Nd4j.createFromArray(new float[][] {{0, 2, 0, 2, 0, 2, 0, 2}, {4, 4, 4, 4, 4, 4, 4, 4}});
        double[] p = w2.toPoints(perFeature, WindowPolicy.MEAN);
        assertArrayEquals(new double[] {1, 2.5, 2.5, 2.5, 4}, p, 1e-6);
        assertThrows(IllegalArgumentException.class, () -> w.toPoints(new double[3][4], WindowPolicy.MAX));
    }

    @Test
    void givenBadSettings_whenCreating_thenClearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SlidingWindows(3, 4, 1, 1));
        assertTrue(e.getMessage().contains("fewer than one window"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SlidingWindows(10, 4, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new SlidingWindows(10, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> SlidingWindows.over(new double[0][], 4, 1));
    }
}
