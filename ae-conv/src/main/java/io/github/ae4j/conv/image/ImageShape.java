package io.github.ae4j.conv.image;

import java.util.Locale;

/**
 * The shape of one image: height, width and channels (1 grey, 3 RGB, 4 RGBA). Images are handled
 * as flattened rows of {@code height * width * channels} values in row-major height, width,
 * channels order (HWC): the order of pixels in a PNG file and of {@code --image HxWxC} CSV rows.
 *
 * @param height   rows of pixels, at least 1
 * @param width    columns of pixels, at least 1
 * @param channels values per pixel, at least 1
 */
public record ImageShape(int height, int width, int channels) {

    /** Validates the record. */
    public ImageShape {
        if (height < 1 || width < 1 || channels < 1) {
            throw new IllegalArgumentException("image shape must be positive, got " + height + "x" + width + "x"
                    + channels);
        }
        if ((long) height * width * channels > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("image " + height + "x" + width + "x" + channels + " is too large");
        }
    }

    /**
     * Parses {@code HxWxC} (or {@code HxW} for one channel), e.g. {@code 28x28x1}, {@code 32x32x3}.
     *
     * @param s the text
     * @return the shape
     * @throws IllegalArgumentException when it is not of that form
     */
    public static ImageShape parse(String s) {
        String[] p = s == null ? new String[0] : s.trim().toLowerCase(Locale.ROOT).split("x", -1);
        try {
            if (p.length == 2) {
                return new ImageShape(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()), 1);
            }
            if (p.length == 3) {
                return new ImageShape(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()),
                        Integer.parseInt(p[2].trim()));
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("expected an image shape HxWxC such as 28x28x1, got '" + s + "'");
    }

    /** @return values per image, {@code height * width * channels} */
    public int size() {
        return height * width * channels;
    }

    @Override
    public String toString() {
        return height + "x" + width + "x" + channels;
    }
}
