package io.github.ae4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.testing.TestData;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ae4j generate}: a scalable sample grid, latent interpolation between rows, and the latent plot. */
class GeneratePicturesTest {

    @TempDir
    static Path dir;
    static Path model;
    static Path rows;

    @BeforeAll
    static void trainVae() throws Exception {
        TestData.Digits d = TestData.digits();
        StringBuilder train = new StringBuilder();
        StringBuilder labelled = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            StringBuilder row = new StringBuilder();
            for (int j = 0; j < 64; j++) {
                row.append(j == 0 ? "" : ",").append((int) d.x()[i][j]);
            }
            train.append(row).append('\n');
            if (i < 40) {
                labelled.append(row).append(',').append(d.y()[i] == 0 ? 1 : 0).append('\n');
            }
        }
        Path tr = dir.resolve("train.csv");
        rows = dir.resolve("rows.csv");
        Files.writeString(tr, train);
        Files.writeString(rows, labelled);
        model = dir.resolve("vae.ae4j");
        CliTest.Run r = CliTest.run("train", "--arch", "vae", "--data", tr.toString(), "--image", "8x8x1", "--epochs",
                "3", "--out", model.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void givenImages_whenTrainedWithArchVae_thenTheVaeIsConvolutional() {
        CliTest.Run r = CliTest.run("info", "--model", model.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"name\" : \"vae [") && r.out().contains("bernoulli of conv 8x8x1"), r.out());
    }

    @Test
    void givenScale_whenGeneratingAGrid_thenEachPixelIsScaleSquared() throws Exception {
        Path png = dir.resolve("grid.png");
        CliTest.Run r = CliTest.run("generate", "--model", model.toString(), "--count", "9", "--out",
                dir.resolve("s.csv").toString(), "--png", png.toString(), "--scale", "10", "--quiet");
        assertEquals(0, r.code(), r.err());
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img.getWidth() >= 3 * 80 && img.getWidth() < 3 * 80 + 40, "3 images of 8x10 pixels: " + img.getWidth());
        CliTest.Run bad = CliTest.run("generate", "--model", model.toString(), "--count", "9", "--out",
                dir.resolve("t.csv").toString(), "--png", png.toString(), "--scale", "0");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--scale must be in [1, 64]"), bad.err());
        assertFalse(Files.exists(dir.resolve("t.csv")), "nothing written on a usage error");
    }

    @Test
    void givenRows_whenInterpolatingAndPlottingTheLatentSpace_thenPairsTimesStepsRowsAndTwoPictures() throws Exception {
        Path csv = dir.resolve("interp.csv");
        Path png = dir.resolve("interp.png");
        Path latent = dir.resolve("latent.png");
        CliTest.Run r = CliTest.run("generate", "--model", model.toString(), "--count", "3", "--interpolate", "6",
                "--data", rows.toString(), "--label-column", "64", "--out", csv.toString(), "--png", png.toString(),
                "--latent-plot", latent.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(1 + 3 * 6, Files.readAllLines(csv).size(), "header + 3 pairs x 6 steps");
        BufferedImage strip = ImageIO.read(png.toFile());
        assertTrue(strip.getWidth() > 1.8 * strip.getHeight(), "6 columns, 3 rows: " + strip.getWidth() + "x"
                + strip.getHeight());
        EvaluatePlotsTest.assertPicture(latent, 400, 300);
        assertTrue(r.err().contains("18 interpolated rows"), r.err());
    }
}
