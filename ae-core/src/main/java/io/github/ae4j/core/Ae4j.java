package io.github.ae4j.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Version information of this build of ae4j. */
public final class Ae4j {

    /** The ae4j version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static final String VERSION;
    /** The DL4J/ND4J version ae4j was built against. */
    public static final String DL4J_VERSION;
    /** The version of the saved-model file format this build writes. */
    public static final int FORMAT_VERSION = io.github.ae4j.core.ModelFile.FORMAT_VERSION;

    static {
        Properties p = new Properties();
        try (InputStream in = Ae4j.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // keep defaults
        }
        VERSION = p.getProperty("ae4j.version", "unknown");
        DL4J_VERSION = p.getProperty("dl4j.version", "unknown");
    }

    private Ae4j() {
    }
}
