package io.github.ae4j.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.ae4j.core.data.DataKind;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ImageRegionsTest {

    @Test
    void givenAllContributionInOnePixel_whenGrouped_thenItsRegionTakesEverything() {
        double[] map = new double[8 * 8];
        map[5 * 8 + 1] = 2.5;
        List<ImageRegions.Region> top = ImageRegions.top(new double[][] {map}, new int[] {8, 8, 1}, 3).get(0);
        assertEquals(3, top.size());
        assertEquals(new ImageRegions.Region(4, 5, 0, 1, 1.0), top.get(0));
        assertEquals("rows 4-5, cols 0-1", top.get(0).name());
        assertEquals(0.0, top.get(1).share());
    }

    @Test
    void givenARandomMap_whenAllRegionsAreListed_thenTheyTileTheImageAndTheirSharesSumToOne() {
        int h = 28;
        int w = 13;
        int c = 3;
        Random r = new Random(3);
        double[] map = new double[h * w * c];
        for (int i = 0; i < map.length; i++) {
            map[i] = r.nextDouble();
        }
        List<ImageRegions.Region> all = ImageRegions.top(new double[][] {map}, new int[] {h, w, c}, 100).get(0);
        assertEquals(16, all.size());
        double shares = 0;
        long pixels = 0;
        for (ImageRegions.Region g : all) {
            shares += g.share();
            pixels += (long) (g.rowTo() - g.rowFrom() + 1) * (g.colTo() - g.colFrom() + 1);
            double expected = 0;
            double total = 0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int ch = 0; ch < c; ch++) {
                        double v = map[(y * w + x) * c + ch];
                        total += v;
                        if (y >= g.rowFrom() && y <= g.rowTo() && x >= g.colFrom() && x <= g.colTo()) {
                            expected += v;
                        }
                    }
                }
            }
            assertEquals(expected / total, g.share(), 1e-12, g.name());
        }
        assertEquals(1.0, shares, 1e-12);
        assertEquals(h * w, pixels);
        for (int i = 1; i < all.size(); i++) {
            assertEquals(true, all.get(i - 1).share() >= all.get(i).share());
        }
    }

    @Test
    void givenAnImageSmallerThanTheGrid_whenGrouped_thenEachPixelIsARegion() {
        double[] map = {1, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0};
        List<ImageRegions.Region> all = ImageRegions.top(new double[][] {map}, new int[] {3, 2, 2}, 10).get(0);
        assertEquals(6, all.size());
        assertEquals(new ImageRegions.Region(0, 0, 0, 0, 0.5), all.get(0));
        assertEquals(new ImageRegions.Region(1, 1, 0, 0, 0.5), all.get(1));
    }

    @Test
    void givenBadArguments_whenGrouped_thenClearErrors() {
        double[][] one = {new double[16]};
        IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
                () -> ImageRegions.top(one, new int[] {4, 5, 1}, 1));
        assertEquals("image 0 has 16 values, expected 4x5x1 = 20", width.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImageRegions.top(one, new int[] {4, 4}, 1));
        assertThrows(IllegalArgumentException.class, () -> ImageRegions.top(one, new int[] {4, 4, 1}, 0));
    }

    @Test
    void givenADetectorOfImages_whenRegionsAreExplained_thenTheyGroupItsPixelContributions() {
        Random r = new Random(11);
        double[][] x = new double[300][64];
        for (double[] row : x) {
            for (int j = 0; j < row.length; j++) {
                row[j] = 0.5 + 0.1 * r.nextGaussian();
            }
        }
        INDArray rows = TestSpecs.matrix(x);
        AnomalyDetector table = AnomalyDetector.fit(TestSpecs.dense(64, 3, 16), rows, DetectorConfig.legacy());
        IllegalStateException notImages = assertThrows(IllegalStateException.class,
                () -> table.explainRegions(rows, 2));
        assertEquals(true, notImages.getMessage().contains("trained on images"), notImages.getMessage());

        AnomalyDetector images = table.withData(DataKind.image(8, 8, 1));
        INDArray probe = Nd4j.createFromArray(new float[][] {toFloat(x[0]), toFloat(x[1])});
        probe.putScalar(1, 9, 5.0);
        List<List<ImageRegions.Region>> regions = images.explainRegions(probe, 16);
        assertEquals(ImageRegions.top(images.contributions(probe), new int[] {8, 8, 1}, 16), regions);
        assertEquals(new ImageRegions.Region(0, 1, 0, 1, regions.get(1).get(0).share()), regions.get(1).get(0));
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }
}
