package io.github.ae4j.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** A local[2] Spark session for one test class, with its scratch space under target/. */
final class LocalSpark {

    private LocalSpark() {
    }

    static SparkSession start(String app) {
        String tmp = System.getProperty("ae4j.test.tmp", "target/test-tmp");
        return SparkSession.builder()
                .master("local[2]")
                .appName(app)
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.local.dir", Path.of(tmp, "spark").toAbsolutePath().toString())
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
    }

    static List<float[]> floats(double[][] x) {
        List<float[]> rows = new ArrayList<>(x.length);
        for (double[] r : x) {
            float[] f = new float[r.length];
            for (int j = 0; j < r.length; j++) {
                f[j] = (float) r[j];
            }
            rows.add(f);
        }
        return rows;
    }

    static void assertRelativelyClose(double expected, double actual, double rel, String what) {
        double tol = rel * Math.max(Math.abs(expected), 1e-12);
        if (!(Math.abs(expected - actual) <= tol)) {
            throw new AssertionError(what + ": expected " + expected + ", got " + actual + " (relative tolerance " + rel + ")");
        }
    }
}
