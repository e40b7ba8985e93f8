package io.github.ae4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.testing.TestData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ae4j evaluate --plots DIR}: the histogram, ROC and precision-recall pictures, and for images the maps. */
class EvaluatePlotsTest {

    @TempDir
    Path dir;

    /** Not blank: a picture with at least this many distinct colours. */
    static void assertPicture(Path png, int minWidth, int minHeight) throws IOException {
        assertTrue(Files.isRegularFile(png), png + " written");
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img.getWidth() >= minWidth && img.getHeight() >= minHeight,
                png.getFileName() + " is " + img.getWidth() + "x" + img.getHeight());
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                colours.add(img.getRGB(x, y));
            }
        }
        assertTrue(colours.size() >= 8, png.getFileName() + " has only " + colours.size() + " colours");
    }

    @Test
    void givenLabelledImages_whenEvaluatedWithPlots_thenFourLegiblePicturesIncludingAnomalyMaps() throws IOException {
        TestData.Digits digits = TestData.digits();
        StringBuilder train = new StringBuilder();
        StringBuilder test = new StringBuilder();
        for (int i = 0; i < 900; i++) {
            StringBuilder row = new StringBuilder();
            for (int j = 0; j < 64; j++) {
                row.append(j == 0 ? "" : ",").append((int) digits.x()[i][j]);
            }
            boolean anomaly = digits.y()[i] == 0;
            if (i < 600 && !anomaly) {
                train.append(row).append('\n');
            } else if (i >= 600) {
                test.append(row).append(',').append(anomaly ? 1 : 0).append('\n');
            }
        }
        Path tr = dir.resolve("train.csv");
        Path te = dir.resolve("test.csv");
        Files.writeString(tr, train);
        Files.writeString(te, test);
        Path model = dir.resolve("m.ae4j");
        CliTest.Run t = CliTest.run("train", "--data", tr.toString(), "--image", "8x8x1", "--epochs", "3", "--out",
                model.toString(), "--quiet");
        assertEquals(0, t.code(), t.err());
        Path plots = dir.resolve("plots");
        CliTest.Run r = CliTest.run("evaluate", "--model", model.toString(), "--data", te.toString(), "--label-column",
                "64", "--plots", plots.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("{\"n\":300,"), r.out());
        for (String f : List.of("scores.png", "roc.png", "precision-recall.png")) {
            assertPicture(plots.resolve(f), 600, 400);
        }
        assertPicture(plots.resolve("most-anomalous.png"), 300, 8 * 8 * 2);
        assertTrue(r.err().contains("most-anomalous.png"), r.err());
    }
}
