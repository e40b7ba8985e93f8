package io.github.ae4j.spark;

import io.github.ae4j.core.Corruption;
import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Carries a {@link Corruption} to executors: the built-ins ({@code none}, {@code gaussian(s)},
 * {@code masking(p)}) by their description, any other corruption by Java serialisation (it must
 * then implement {@link Serializable}).
 */
final class CorruptionSpec implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Pattern BUILT_IN = Pattern.compile("(gaussian|masking)\\(([-+0-9.eE]+)\\)");

    private final String description;
    private final Corruption custom;
    private transient Corruption resolved;

    private CorruptionSpec(String description, Corruption custom) {
        this.description = description;
        this.custom = custom;
    }

    static CorruptionSpec of(Corruption c) {
        Objects.requireNonNull(c, "corruption");
        String d = c.describe();
        if (c.isNone() || parse(d) != null) {
            return new CorruptionSpec(d, null);
        }
        if (c instanceof Serializable) {
            return new CorruptionSpec(d, c);
        }
        throw new IllegalArgumentException("corruption '" + d + "' cannot be sent to Spark executors: expected"
                + " Corruption.none(), gaussian(s), masking(p), or a Corruption that implements java.io.Serializable");
    }

    private static Corruption parse(String d) {
        if ("none".equals(d)) {
            return Corruption.none();
        }
        Matcher m = BUILT_IN.matcher(d.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return null;
        }
        double v = Double.parseDouble(m.group(2));
        return "gaussian".equals(m.group(1)) ? Corruption.gaussian(v) : Corruption.masking(v);
    }

    Corruption get() {
        if (resolved == null) {
            resolved = custom != null ? custom : parse(description);
        }
        return resolved;
    }

    boolean isNone() {
        return get().isNone();
    }
}
