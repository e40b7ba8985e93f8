package io.github.ae4j.conv.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.data.DataFormatException;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {

    @TempDir
    Path dir;

    /** A grey image whose pixel (y, x) is 10 * y + x + base. */
    private static BufferedImage grey(int h, int w, int base) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, 10 * y + x + base);
            }
        }
        return img;
    }

    /** An RGB image with R = 10y + x, G = 100 + y, B = 200 + x. */
    private static BufferedImage colour(int h, int w) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, ((10 * y + x) << 16) | ((100 + y) << 8) | (200 + x));
            }
        }
        return img;
    }

    private Path write(BufferedImage img, String name, String format) throws IOException {
        Path p = dir.resolve(name);
        assertTrue(ImageIO.write(img, format, p.toFile()), "writer for " + format);
        return p;
    }

    @Test
    void givenGreyPngFiles_whenRead_thenRowsHoldPixelsInRowMajorOrderSortedByName() throws IOException {
        write(grey(4, 3, 5), "b.png", "png");
        write(grey(4, 3, 50), "a.png", "png");
        Files.writeString(dir.resolve("notes.txt"), "not an image");
        Files.createDirectory(dir.resolve("sub.png"));
        Images im = ImageFolder.read(dir, 4, 3, 1);
        assertEquals(List.of("a.png", "b.png"), im.names());
        assertArrayEquals(new long[] {2, 12}, im.pixels().shape());
        float[] a = im.pixels().getRow(0).toFloatVector();
        float[] b = im.pixels().getRow(1).toFloatVector();
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 3; x++) {
                assertEquals(10 * y + x + 50, a[y * 3 + x], "a.png pixel " + y + "," + x);
                assertEquals(10 * y + x + 5, b[y * 3 + x], "b.png pixel " + y + "," + x);
            }
        }
    }

    @Test
    void givenColourPng_whenReadAsRgb_thenChannelsAreInterleavedHwc() throws IOException {
        write(colour(2, 3), "c.png", "png");
        float[] px = ImageFolder.read(dir, 2, 3, 3).pixels().getRow(0).toFloatVector();
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                int o = (y * 3 + x) * 3;
                assertArrayEquals(new float[] {10 * y + x, 100 + y, 200 + x}, new float[] {px[o], px[o + 1], px[o + 2]},
                        "pixel " + y + "," + x);
            }
        }
    }

    @Test
    void givenLargerAndSmallerImages_whenRead_thenResizedByAreaAndBilinear() throws IOException {
        // 4x4 made of 2x2 blocks: shrinking to 2x2 by area averaging gives the block values exactly
        BufferedImage blocks = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        int[][] v = {{10, 60}, {110, 250}};
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                blocks.getRaster().setSample(x, y, 0, v[y / 2][x / 2] + (x % 2) * 2 - 1 + (y % 2) * 2 - 1 + 2);
            }
        }
        write(blocks, "big.png", "png");
        float[] small = ImageFolder.read(dir, 2, 2, 1).pixels().getRow(0).toFloatVector();
        assertArrayEquals(new float[] {12, 62, 112, 252}, small, 1e-4f);
        // enlarging 2x2 to 4x4: corners keep their values, inner pixels interpolate between them
        Files.delete(dir.resolve("big.png"));
        BufferedImage two = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
        two.getRaster().setSample(0, 0, 0, 0);
        two.getRaster().setSample(1, 0, 0, 200);
        two.getRaster().setSample(0, 1, 0, 0);
        two.getRaster().setSample(1, 1, 0, 200);
        write(two, "two.png", "png");
        float[] big = ImageFolder.read(dir, 4, 4, 1).pixels().getRow(0).toFloatVector();
        assertEquals(0, big[0], 1e-4);
        assertEquals(200, big[3], 1e-4);
        assertEquals(50, big[1], 1e-4);     // a quarter of the way
        assertEquals(150, big[2], 1e-4);
    }

    @Test
    void givenSixteenBitPaletteAndJpegImages_whenRead_thenScaledTo0To255() throws IOException {
        BufferedImage g16 = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        g16.getRaster().setSample(0, 0, 0, 65535);
        g16.getRaster().setSample(1, 0, 0, 257 * 100);
        write(g16, "a16.png", "png");
        byte[] lv = {0, (byte) 255};
        BufferedImage bw = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_BINARY, new IndexColorModel(1, 2, lv, lv, lv));
        bw.setRGB(0, 0, 0xFFFFFF);
        write(bw, "b-palette.png", "png");
        Images im = ImageFolder.read(dir, 1, 2, 1);
        assertArrayEquals(new float[] {255, 100}, im.pixels().getRow(0).toFloatVector(), 1e-3f);
        assertArrayEquals(new float[] {255, 0}, im.pixels().getRow(1).toFloatVector(), 1e-3f);

        Path jdir = Files.createDirectory(dir.resolve("jpeg"));
        BufferedImage flat = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                flat.setRGB(x, y, 0xC86432);    // (200, 100, 50)
            }
        }
        assertTrue(ImageIO.write(flat, "jpg", jdir.resolve("flat.jpg").toFile()));
        float[] j = ImageFolder.read(jdir, 8, 8, 3).pixels().getRow(0).toFloatVector();
        assertEquals(200, j[0], 4);
        assertEquals(100, j[1], 4);
        assertEquals(50, j[2], 4);
    }

    @Test
    void givenUnreadableImage_whenRead_thenErrorNamesTheFile() throws IOException {
        write(grey(2, 2, 0), "a.png", "png");
        Files.writeString(dir.resolve("broken.png"), "this is not a PNG", StandardCharsets.US_ASCII);
        DataFormatException e = assertThrows(DataFormatException.class, () -> ImageFolder.read(dir, 2, 2, 1));
        assertTrue(e.getMessage().contains("broken.png") && e.getMessage().contains("not a readable image"),
                e.getMessage());
        Files.write(dir.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0});
        DataFormatException t = assertThrows(DataFormatException.class, () -> ImageFolder.read(dir, 2, 2, 1));
        assertTrue(t.getMessage().contains("broken.png"), t.getMessage());
    }

    @Test
    void givenWrongChannelCount_whenRead_thenErrorNamesTheFileAndBothCounts() throws IOException {
        write(grey(2, 2, 0), "a.png", "png");
        write(colour(2, 2), "z-colour.png", "png");
        DataFormatException e = assertThrows(DataFormatException.class, () -> ImageFolder.read(dir, 2, 2, 1));
        assertTrue(e.getMessage().contains("z-colour.png") && e.getMessage().contains("has 3 channels (RGB)")
                && e.getMessage().contains("expected 1 (grey)"), e.getMessage());
        DataFormatException g = assertThrows(DataFormatException.class, () -> ImageFolder.read(dir, 2, 2, 3));
        assertTrue(g.getMessage().contains("a.png") && g.getMessage().contains("has 1 channel (grey)"),
                g.getMessage());
        BufferedImage rgba = new BufferedImage(2, 2, BufferedImage.TYPE_INT_ARGB);
        Path only = Files.createDirectory(dir.resolve("alpha"));
        assertTrue(ImageIO.write(rgba, "png", only.resolve("x.png").toFile()));
        DataFormatException a = assertThrows(DataFormatException.class, () -> ImageFolder.read(only, 2, 2, 3));
        assertTrue(a.getMessage().contains("x.png") && a.getMessage().contains("4 channels (RGBA)"), a.getMessage());
        assertEquals(4, ImageFolder.read(only, 2, 2, 4).shape().channels());
    }

    @Test
    void givenEmptyOrMissingFolder_whenRead_thenClearErrors() throws IOException {
        Files.writeString(dir.resolve("readme.txt"), "x");
        DataFormatException e = assertThrows(DataFormatException.class, () -> ImageFolder.read(dir, 2, 2, 1));
        assertTrue(e.getMessage().contains("holds no image files"), e.getMessage());
        assertThrows(NoSuchFileException.class, () -> ImageFolder.read(dir.resolve("nope"), 2, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> ImageFolder.read(dir, 0, 2, 1));
    }
}
