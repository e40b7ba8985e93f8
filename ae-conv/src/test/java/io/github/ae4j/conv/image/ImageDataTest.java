package io.github.ae4j.conv.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.data.CsvOptions;
import io.github.ae4j.core.data.DataFormatException;
import io.github.ae4j.core.data.Table;
import io.github.ae4j.core.testing.TestData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDataTest {

    @TempDir
    Path dir;

    @Test
    void givenIdxFile_whenRead_thenGreyImagesOfItsSize() throws IOException {
        Path f = TestData.copy("mnist-test-1000-images-idx3-ubyte.gz", dir);
        Images im = ImageData.readIdx(f, 10);
        assertEquals(new ImageShape(28, 28, 1), im.shape());
        assertEquals(10, im.count());
        assertEquals("9", im.names().get(9));
        assertEquals(1000, ImageData.read(f, new ImageShape(28, 28, 1)).count());
        DataFormatException e = assertThrows(DataFormatException.class, () -> ImageData.read(f, new ImageShape(14, 14, 1)));
        assertTrue(e.getMessage().contains("28x28x1") && e.getMessage().contains("expected 14x14x1"), e.getMessage());
    }

    @Test
    void givenCsvOfFlattenedImages_whenRead_thenRowsAndLabelsOrClearWidthError() throws IOException {
        Path csv = dir.resolve("img.csv");
        Files.writeString(csv, "id,p0,p1,p2,p3,p4,p5,label\nx,1,2,3,4,5,6,0\ny,6,5,4,3,2,1,1\n");
        Table t = ImageData.readCsv(csv, new ImageShape(1, 2, 3), CsvOptions.defaults().withIdColumn("id")
                .withLabelColumn("label"));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.features().getRow(0).toFloatVector());
        assertArrayEquals(new int[] {0, 1}, t.labels());
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> ImageData.readCsv(csv, new ImageShape(2, 2, 1), CsvOptions.defaults().withIdColumn("id")
                        .withLabelColumn("label")));
        assertTrue(e.getMessage().contains("img.csv") && e.getMessage().contains("has 6 feature columns, expected 4"),
                e.getMessage());
        Path plain = dir.resolve("plain.csv");
        Files.writeString(plain, "1,2,3,4\n5,6,7,8\n");
        Images im = ImageData.read(plain, new ImageShape(2, 2, 1));
        assertEquals(2, im.count());
        assertEquals("1", im.names().get(1));
    }

    @Test
    void givenFolder_whenReadThroughImageData_thenSameAsImageFolder() throws IOException {
        Path d = Files.createDirectory(dir.resolve("imgs"));
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSample(2, 1, 0, 77);
        ImageIO.write(img, "png", d.resolve("one.png").toFile());
        Images im = ImageData.read(d, new ImageShape(2, 3, 1));
        assertEquals(77, im.pixels().getFloat(0, 5), 0);
        assertEquals("one.png", im.names().get(0));
    }
}
