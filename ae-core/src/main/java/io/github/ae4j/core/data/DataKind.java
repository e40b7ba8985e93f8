package io.github.ae4j.core.data;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What kind of data a model was trained on, stored in the model as a typed field: a table (whose
 * columns the model's {@link TabularSchema} describes), images of a known shape, or plain rows of
 * numbers without names. Scoring data is read as the same kind: a table's columns are matched by
 * name, images are resized to the shape.
 *
 * @param type       the kind
 * @param imageShape {@code [height, width, channels]} for images, else null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DataKind(Type type, int[] imageShape) {

    /** The kinds of data. */
    public enum Type {
        /** A table (CSV): named columns, see the model's {@link TabularSchema}. */
        TABLE,
        /** Images of {@link #imageShape()} (height, width, channels), flattened row-major. */
        IMAGE,
        /** Rows of numbers without column names (arrays given to the Java API). */
        ROWS
    }

    /**
     * The extras key under which the command line of ae4j 0.1 recorded the kind of data; read from
     * older model files, never written.
     */
    public static final String LEGACY_EXTRAS_KEY = "ae4j.cli.data";

    /** Validates the record. */
    public DataKind {
        Objects.requireNonNull(type, "type");
        if (type == Type.IMAGE) {
            if (imageShape == null || imageShape.length != 3 || imageShape[0] < 1 || imageShape[1] < 1
                    || imageShape[2] < 1) {
                throw new IllegalArgumentException("an image kind needs a shape [height, width, channels] > 0");
            }
            imageShape = imageShape.clone();
        } else if (imageShape != null) {
            throw new IllegalArgumentException(type + " data has no image shape");
        }
    }

    /** @return a table */
    public static DataKind table() {
        return new DataKind(Type.TABLE, null);
    }

    /** @return rows without names */
    public static DataKind rows() {
        return new DataKind(Type.ROWS, null);
    }

    /**
     * @param height   image height
     * @param width    image width
     * @param channels 1 (grey) or 3 (RGB)
     * @return images of that shape
     */
    public static DataKind image(int height, int width, int channels) {
        return new DataKind(Type.IMAGE, new int[] {height, width, channels});
    }

    /** @return a copy of {@code [height, width, channels]} for images, else null */
    @Override
    public int[] imageShape() {
        return imageShape == null ? null : imageShape.clone();
    }

    /** @return whether this is image data */
    @JsonIgnore
    public boolean isImage() {
        return type == Type.IMAGE;
    }

    /**
     * Reads the kind that ae4j 0.1's command line stored in a model's extras
     * ({@value #LEGACY_EXTRAS_KEY}: {@code {"type":"table"}} or {@code {"type":"image","image":[h,w,c]}}).
     *
     * @param extras a model's extras, or null
     * @return the kind, if recorded and valid
     */
    public static Optional<DataKind> fromLegacyExtras(Map<String, Object> extras) {
        Object o = extras == null ? null : extras.get(LEGACY_EXTRAS_KEY);
        if (!(o instanceof Map<?, ?> m)) {
            return Optional.empty();
        }
        if ("image".equals(m.get("type")) && m.get("image") instanceof List<?> l && l.size() == 3
                && l.stream().allMatch(v -> v instanceof Number n && n.intValue() > 0)) {
            return Optional.of(image(((Number) l.get(0)).intValue(), ((Number) l.get(1)).intValue(),
                    ((Number) l.get(2)).intValue()));
        }
        if ("table".equals(m.get("type"))) {
            return Optional.of(table());
        }
        return Optional.empty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataKind d && d.type == type && java.util.Arrays.equals(d.imageShape, imageShape);
    }

    @Override
    public int hashCode() {
        return 31 * type.hashCode() + java.util.Arrays.hashCode(imageShape);
    }

    @Override
    public String toString() {
        return isImage() ? "image " + imageShape[0] + "x" + imageShape[1] + "x" + imageShape[2]
                : type.name().toLowerCase(java.util.Locale.ROOT);
    }
}
