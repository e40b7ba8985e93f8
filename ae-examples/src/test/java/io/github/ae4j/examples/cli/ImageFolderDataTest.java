package io.github.ae4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.core.data.DataKind;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder of images through the library's file-kind dispatcher (ae-conv's registered folder reader). */
class ImageFolderDataTest {

    @TempDir
    Path dir;

    @Test
    void givenImageFolder_whenTrainingAndScoring_thenTheModelRecordsTheImageShape() throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        Random r = new Random(4);
        for (int k = 0; k < 40; k++) {
            BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
            int bar = r.nextInt(8);
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    int v = x == bar ? 230 : 20 + r.nextInt(10);
                    img.getRaster().setSample(x, y, 0, v);
                }
            }
            ImageIO.write(img, "png", images.resolve(String.format("img%02d.png", k)).toFile());
        }
        Path model = dir.resolve("img.ae4j");
        CliTest.Run t = CliTest.run("train", "--data", images.toString(), "--arch", "dense", "--out", model.toString(),
                "--epochs", "2", "--quiet");
        assertEquals(0, t.code(), t.err());
        assertEquals(DataKind.image(8, 8, 1), AnomalyDetector.load(model).model().data());
        Path out = dir.resolve("scores.csv");
        CliTest.Run s = CliTest.run("score", "--model", model.toString(), "--data", images.toString(), "--out",
                out.toString(), "--quiet");
        assertEquals(0, s.code(), s.err());
        assertEquals(41, Files.readAllLines(out).size());
        CliTest.Run bad = CliTest.run("score", "--model", model.toString(), "--data", images.toString(),
                "--label-column", "x");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("apply to CSV files, not to a folder"), bad.err());
    }
}
