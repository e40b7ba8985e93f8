package io.github.ae4j.spark;

import io.github.ae4j.anomaly.AnomalyDetector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detectors loaded in this JVM (one per executor), by the SHA-256 of their file bytes: each
 * model is read once per executor, whatever the number of tasks and partitions, and shared by
 * them (an {@link AnomalyDetector} is thread-safe). Holds the {@value #MAX} most recently used.
 */
final class ModelCache {

    private static final Logger LOG = LoggerFactory.getLogger(ModelCache.class);
    /** Detectors kept per JVM. */
    static final int MAX = 4;

    private static final Map<String, AnomalyDetector> CACHE = new LinkedHashMap<>(8, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, AnomalyDetector> eldest) {
            return size() > MAX;
        }
    };
    private static long loads;

    private ModelCache() {
    }

    /**
     * The detector of a model file, loaded on first use in this JVM.
     *
     * @param key   the SHA-256 of {@code bytes}
     * @param bytes the detector file's bytes
     * @return the detector
     */
    static synchronized AnomalyDetector get(String key, byte[] bytes) {
        AnomalyDetector d = CACHE.get(key);
        if (d != null) {
            return d;
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile("ae4j-spark-", ".ae4j");
            Files.write(tmp, bytes);
            d = AnomalyDetector.load(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the broadcast detector " + key, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    LOG.debug("cannot delete {}", tmp, e);
                }
            }
        }
        CACHE.put(key, d);
        loads++;
        LOG.info("loaded detector {} ({} bytes) in this JVM", key.substring(0, 12), bytes.length);
        return d;
    }

    /** @return how many times a detector was loaded in this JVM (for tests and diagnostics) */
    static synchronized long loads() {
        return loads;
    }
}
