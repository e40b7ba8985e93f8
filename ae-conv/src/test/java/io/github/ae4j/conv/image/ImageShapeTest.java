package io.github.ae4j.conv.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImageShapeTest {

    @Test
    void givenText_whenParsing_thenShapeOrClearError() {
        assertEquals(new ImageShape(28, 28, 1), ImageShape.parse("28x28x1"));
        assertEquals(new ImageShape(32, 16, 3), ImageShape.parse(" 32X16x3 "));
        assertEquals(new ImageShape(8, 8, 1), ImageShape.parse("8x8"));
        assertEquals(784, ImageShape.parse("28x28x1").size());
        assertEquals("27x19x1", new ImageShape(27, 19, 1).toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageShape.parse("28x28x"));
        assertTrue(e.getMessage().contains("HxWxC"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImageShape.parse("0x28x1"));
        assertThrows(IllegalArgumentException.class, () -> ImageShape.parse(null));
    }
}
