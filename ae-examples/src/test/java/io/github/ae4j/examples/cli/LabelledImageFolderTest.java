package io.github.ae4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.internal.Json;
import io.github.ae4j.core.testing.TestData;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Labelled image folders: {@code normal/} and {@code anomaly/} subfolders label their images 0 and 1 for
 * {@code train} (anomalies left out), {@code evaluate} (no --label-column) and {@code calibrate --threshold f1}.
 */
class LabelledImageFolderTest {

    @TempDir
    Path dir;

    private static void png(Path file, double[] pixels) throws Exception {
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                int v = (int) Math.round(pixels[y * 8 + x] * 255 / 16.0);
                img.getRaster().setSample(x, y, 0, v);
            }
        }
        ImageIO.write(img, "png", file.toFile());
    }

    private Path folder(String name, int from, int to, TestData.Digits d) throws Exception {
        Path root = dir.resolve(name);
        Files.createDirectories(root.resolve("normal"));
        Files.createDirectories(root.resolve("anomaly"));
        for (int i = from; i < to; i++) {
            png(root.resolve(d.y()[i] == 0 ? "anomaly" : "normal").resolve(String.format("d%04d.png", i)), d.x()[i]);
        }
        return root;
    }

    @Test
    void givenNormalAndAnomalySubfolders_whenTrainEvaluateCalibrate_thenLabelsComeFromTheFolders() throws Exception {
        TestData.Digits d = TestData.digits();
        Path train = folder("train", 0, 500, d);
        Path test = folder("test", 500, 800, d);
        Path model = dir.resolve("m.ae4j");
        CliTest.Run t = CliTest.run("train", "--data", train.toString(), "--epochs", "3", "--out", model.toString());
        assertEquals(0, t.code(), t.err());
        long zeros = java.util.Arrays.stream(java.util.Arrays.copyOfRange(d.y(), 0, 500)).filter(v -> v == 0).count();
        assertTrue(t.err().contains(", " + zeros + " labelled anomalies left out"), t.err());
        assertTrue(t.err().contains(train + ": 500 images of 8x8x1"), t.err());

        CliTest.Run e = CliTest.run("evaluate", "--model", model.toString(), "--data", test.toString(), "--json");
        assertEquals(0, e.code(), e.err());
        var j = Json.MAPPER.readTree(e.out());
        assertEquals(300, j.get("n").asInt());
        long testZeros = java.util.Arrays.stream(java.util.Arrays.copyOfRange(d.y(), 500, 800)).filter(v -> v == 0).count();
        assertEquals(testZeros, j.get("anomalies").asLong());

        Path tuned = dir.resolve("tuned.ae4j");
        CliTest.Run c = CliTest.run("calibrate", "--model", model.toString(), "--data", test.toString(), "--threshold",
                "f1", "--out", tuned.toString());
        assertEquals(0, c.code(), c.err());
        assertTrue(c.out().contains("(f1)"), c.out());

        CliTest.Run unlabelled = CliTest.run("evaluate", "--model", model.toString(), "--data",
                train.resolve("normal").toString());
        assertEquals(2, unlabelled.code());
        assertTrue(unlabelled.err().contains("normal/ and anomaly/ subfolders"), unlabelled.err());
    }
}
