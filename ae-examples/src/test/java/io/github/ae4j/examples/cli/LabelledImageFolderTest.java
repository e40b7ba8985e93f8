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
 * Labelled image folders: {@code normal/} and {@code anomaly/} subfolders, or a {@code labels.csv} by file name,
 * label their images 0 and 1 for {@code train} (anomalies left out), {@code evaluate} (no --label-column) and
 * {@code calibrate --threshold f1}.
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

    /** One flat folder of the same images, labelled by a labels.csv (quoted names, extra column, any order). */
    private Path flatFolder(String name, int from, int to, TestData.Digits d) throws Exception {
        Path root = dir.resolve(name);
        Files.createDirectories(root);
        StringBuilder labels = new StringBuilder("label,note,file\n");
        for (int i = to - 1; i >= from; i--) {
            String file = String.format("d%04d.png", i);
            png(root.resolve(file), d.x()[i]);
            labels.append(d.y()[i] == 0 ? "anomaly" : "0").append(",x,\"").append(file).append("\"\n");
        }
        Files.writeString(root.resolve("labels.csv"), labels);
        return root;
    }

    @Test
    void givenALabelsCsv_whenTrainAndEvaluate_thenLabelsComeFromItAsFromSubfolders() throws Exception {
        TestData.Digits d = TestData.digits();
        Path train = flatFolder("flat-train", 0, 500, d);
        Path model = dir.resolve("flat.ae4j");
        CliTest.Run t = CliTest.run("train", "--data", train.toString(), "--epochs", "3", "--out", model.toString());
        assertEquals(0, t.code(), t.err());
        long zeros = java.util.Arrays.stream(java.util.Arrays.copyOfRange(d.y(), 0, 500)).filter(v -> v == 0).count();
        assertTrue(t.err().contains(", " + zeros + " labelled anomalies left out"), t.err());

        Path flat = flatFolder("flat-test", 500, 800, d);
        Path sub = folder("sub-test", 500, 800, d);
        var a = Json.MAPPER.readTree(CliTest.run("evaluate", "--model", model.toString(), "--data", flat.toString(),
                "--json").out());
        var b = Json.MAPPER.readTree(CliTest.run("evaluate", "--model", model.toString(), "--data", sub.toString(),
                "--json").out());
        assertEquals(300, a.get("n").asInt());
        assertEquals(b.get("anomalies").asLong(), a.get("anomalies").asLong());
        assertEquals(b.get("auroc").asDouble(), a.get("auroc").asDouble(), 1e-9);

        Path labels = flat.resolve("labels.csv");
        String good = Files.readString(labels);
        Files.writeString(labels, good.replace("\"d0600.png\"", "\"d9999.png\""));
        assertError(model, flat, "has no row for the image 'd0600.png'");
        Files.writeString(labels, good + "0,x,extra.png\n");
        assertError(model, flat, "labels 1 file(s) the folder has no image for, e.g. 'extra.png'");
        Files.writeString(labels, good.replace("anomaly,x,\"d0", "maybe,x,\"d0"));
        assertError(model, flat, "column 'label' (index 0): expected a label");
        Files.writeString(labels, good);
        Files.createDirectories(flat.resolve("normal"));
        assertError(model, flat, "is labelled twice");
    }

    private static void assertError(Path model, Path data, String expected) {
        CliTest.Run r = CliTest.run("evaluate", "--model", model.toString(), "--data", data.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertTrue(!r.err().contains("\tat "), r.err());
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
