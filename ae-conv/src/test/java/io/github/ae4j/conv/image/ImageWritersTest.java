package io.github.ae4j.conv.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.conv.ConvAutoencoder;
import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.TrainingConfig;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ImageWritersTest {

    @TempDir
    Path dir;

    private static int[] rgb(BufferedImage img, int x, int y) {
        int v = img.getRGB(x, y);
        return new int[] {(v >> 16) & 0xFF, (v >> 8) & 0xFF, v & 0xFF};
    }

    @Test
    void givenColourRows_whenWritingAGrid_thenEachImageLandsInItsCellWithItsColours() throws IOException {
        // three 2x2 RGB images; image i is uniformly (i*100, 50, 255 - i*100) except pixel (1,1) = white
        float[] v = new float[3 * 2 * 2 * 3];
        for (int i = 0; i < 3; i++) {
            for (int p = 0; p < 4; p++) {
                int o = (i * 4 + p) * 3;
                boolean white = p == 3;
                v[o] = white ? 255 : i * 100;
                v[o + 1] = white ? 255 : 50;
                v[o + 2] = white ? 255 : 255 - i * 100;
            }
        }
        INDArray rows = Nd4j.create(v, new long[] {3, 12}, 'c');
        Path png = dir.resolve("out/grid.png");
        ImageGrid.write(png, rows, 2, 2, 3, 2, 0, 255, 3);
        BufferedImage img = ImageIO.read(png.toFile());
        int cell = 2 * 3;
        assertEquals(2 * cell + 3 * ImageGrid.GAP, img.getWidth());
        assertEquals(2 * cell + 3 * ImageGrid.GAP, img.getHeight());
        for (int i = 0; i < 3; i++) {
            int x0 = ImageGrid.GAP + (i % 2) * (cell + ImageGrid.GAP);
            int y0 = ImageGrid.GAP + (i / 2) * (cell + ImageGrid.GAP);
            assertArrayEquals(new int[] {i * 100, 50, 255 - i * 100}, rgb(img, x0, y0), "image " + i + " top-left");
            assertArrayEquals(new int[] {255, 255, 255}, rgb(img, x0 + 5, y0 + 5), "image " + i + " pixel (1,1)");
        }
        try (Stream<Path> s = Files.list(png.getParent())) {
            assertEquals(1, s.count(), "no temporary files left behind");
        }
    }

    @Test
    void givenRangeAndGreyRows_whenWritingAGrid_thenValuesAreScaledAndClipped() throws IOException {
        INDArray rows = Nd4j.createFromArray(new float[][] {{-1, 0, 0.5f, 2}});
        Path png = dir.resolve("g.png");
        ImageGrid.write(png, rows, 1, 4, 1, 8, 0, 1);
        BufferedImage img = ImageIO.read(png.toFile());
        int g = ImageGrid.GAP;
        assertEquals(0, rgb(img, g, g)[0]);
        assertEquals(0, rgb(img, g + 1, g)[0]);
        assertEquals(128, rgb(img, g + 2, g)[0]);
        assertEquals(255, rgb(img, g + 3, g)[0]);
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.write(png, rows, 2, 2, 1, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.write(png, rows, 2, 3, 1, 1, 0, 1));
    }

    @Test
    void givenErrorMap_whenDrawingAnomalyMaps_thenThreePanelsAndTheHotSpotWhereTheErrorIs() throws IOException {
        int h = 4;
        int w = 4;
        INDArray orig = Nd4j.zeros(DataType.FLOAT, 2, h * w).addi(100);
        INDArray rec = orig.dup();
        INDArray err = Nd4j.zeros(DataType.FLOAT, 2, h * w);
        err.putScalar(0, 1 * w + 2, 5.0);    // row 0: one big error at (1, 2)
        for (int p = 0; p < h * w; p++) {    // row 1: a ramp 0, 1/15, ..., 1 in pixel order
            err.putScalar(1, p, p / 15.0);
        }
        BufferedImage img = AnomalyMaps.render(orig, rec, err, h, w, 1, 0, 255, 2);
        int gap = 2;
        assertEquals(3 * w * 2 + 4 * gap, img.getWidth());
        assertEquals(2 * h * 2 + 3 * gap, img.getHeight());
        int x0 = 3 * gap + 2 * w * 2;
        int[] hot = rgb(img, x0 + 2 * 2, gap + 1 * 2);
        int[] cold = rgb(img, x0, gap);
        int[] warm = rgb(img, x0 + 2 * 2, 2 * gap + h * 2);      // row 1, pixel (0, 2): 2/15 of the scale
        int[] top = rgb(img, x0 + 3 * 2, 2 * gap + h * 2 + 3 * 2);  // row 1, pixel (3, 3): the 99th percentile
        assertArrayEquals(new int[] {255, 255, 255}, hot, "errors above the 99th percentile are white-hot");
        assertArrayEquals(new int[] {255, 255, 255}, top, "the 99th percentile is white-hot");
        assertArrayEquals(new int[] {60, 60, 60}, cold, "no error: the original, dimmed");
        assertTrue(warm[0] > warm[2] && warm[0] > cold[0], "a smaller error is red-orange: " + java.util.Arrays.toString(warm));
        assertArrayEquals(new int[] {100, 100, 100}, rgb(img, gap, gap), "original panel");
        Path png = dir.resolve("maps.png");
        AnomalyMaps.write(png, orig, rec, err, h, w, 1, 0, 255);
        assertEquals(2 * h * 24 + 3 * gap, ImageIO.read(png.toFile()).getHeight(), "small images are magnified");
        assertThrows(IllegalArgumentException.class, () -> AnomalyMaps.render(orig, rec.getRow(0).reshape(1, 16), err,
                h, w, 1, 0, 255, 1));
    }

    @Test
    void givenTrainedModel_whenComputingErrorMaps_thenTheyAverageToTheRowErrors() {
        INDArray x = io.github.ae4j.conv.TestImages.smooth(32, 6, 5, 3, 9).muli(255);
        Autoencoder m = Autoencoder.fit(ConvAutoencoder.builder(6, 5, 3).filters(4, 2).overcomplete(true).build(), x,
                TrainingConfig.defaults().withEpochs(1).withValidationFraction(0)
                        .withNormalization(Normalization.SCALE));
        INDArray maps = AnomalyMaps.errorMaps(m, x);
        assertArrayEquals(new long[] {32, 6, 5, 3}, maps.shape());
        INDArray rowMean = maps.reshape(32, 90).mean(1);
        assertArrayEquals(m.reconstructionError(x).toFloatVector(), rowMean.toFloatVector(), 1e-5f);
        INDArray px = AnomalyMaps.pixelErrors(maps, 6, 5, 3);
        assertArrayEquals(new long[] {32, 6, 5}, px.shape());
        assertEquals(maps.getDouble(3, 2, 1, 0) / 3 + maps.getDouble(3, 2, 1, 1) / 3 + maps.getDouble(3, 2, 1, 2) / 3,
                px.getDouble(3, 2, 1), 1e-5);
    }
}
