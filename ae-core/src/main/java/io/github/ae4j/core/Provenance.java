package io.github.ae4j.core;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.github.ae4j.core.data.TabularSchema;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where a model comes from: the software and platform that trained it and what it was trained on.
 * Recorded in {@link ModelInfo#provenance()} (absent in files written before ae4j recorded it).
 *
 * @param ae4jVersion     ae4j version that trained the model
 * @param dl4jVersion     DL4J/ND4J version ae4j was built against
 * @param javaVersion     the Java runtime's version ({@code java.version})
 * @param os              operating system ({@code os.name} and {@code os.version})
 * @param arch            processor architecture ({@code os.arch})
 * @param backend         the ND4J backend that ran the training (its class)
 * @param data            fingerprint of the training rows ({@link DataFingerprint#value()}), or null
 * @param schema          fingerprint of the tabular schema (column names, roles, categories), or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Provenance(String ae4jVersion, String dl4jVersion, String javaVersion, String os, String arch,
                         String backend, String data, String schema) {

    /**
     * The provenance of a model trained now, in this JVM.
     *
     * @param data the training rows' fingerprint, or null
     * @return the provenance (no schema yet)
     */
    public static Provenance current(DataFingerprint data) {
        return new Provenance(Ae4j.VERSION, Ae4j.DL4J_VERSION, System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version"), System.getProperty("os.arch"),
                currentBackend(), data == null ? null : data.value(), null);
    }

    private static String currentBackend() {
        try {
            return Nd4j.getBackend().getClass().getName();
        } catch (RuntimeException | LinkageError e) {
            return "unknown";
        }
    }

    /**
     * A copy that records the fingerprint of a schema.
     *
     * @param s the schema, or null for none
     * @return the copy
     */
    public Provenance withSchema(TabularSchema s) {
        return new Provenance(ae4jVersion, dl4jVersion, javaVersion, os, arch, backend, data, fingerprint(s));
    }

    /**
     * The fingerprint of a schema: its feature count and a 64-bit hash of every column's name, role and
     * categories, in order.
     *
     * @param s the schema, or null
     * @return {@code features:<n>:<16 hex digits>}, or null for no schema
     */
    public static String fingerprint(TabularSchema s) {
        if (s == null) {
            return null;
        }
        long h = 0xCBF29CE484222325L;
        StringBuilder b = new StringBuilder().append(s.header()).append('\n');
        for (TabularSchema.Column c : s.columns()) {
            b.append(c.name()).append('\u0000').append(c.role()).append('\u0000')
                    .append(String.join("\u0001", c.categories() == null ? java.util.List.of() : c.categories()))
                    .append('\n');
        }
        for (byte x : b.toString().getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (x & 0xFF)) * 0x100000001B3L;
        }
        return "features:" + s.featureCount() + ":" + String.format(Locale.ROOT, "%016x", h);
    }
}
