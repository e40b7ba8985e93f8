package io.github.ae4j.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every example main runs in its {@code --smoke} mode (tiny data, one or two epochs) on the bundled
 * data, offline, and writes the pictures it promises.
 */
class ExamplesSmokeTest {

    @TempDir
    Path dir;

    private void smoke(String name, ThrowingMain main, String... pictures) throws Exception {
        Path out = dir.resolve(name);
        main.run(new String[] {"--smoke", "--out", out.toString()});
        for (String p : pictures) {
            Path f = out.resolve(p);
            assertTrue(Files.size(f) > 1000, name + " wrote " + p);
        }
        try (Stream<Path> files = Files.list(out)) {
            List<Path> temps = files.filter(f -> f.getFileName().toString().startsWith(".")).toList();
            assertTrue(temps.isEmpty(), "temporary files left: " + temps);
        }
    }

    @FunctionalInterface
    interface ThrowingMain {
        void run(String[] args) throws Exception;
    }

    @Test
    void example1DigitsAnomaly() throws Exception {
        smoke("1", DigitsAnomalyExample::main, "reconstructions.png", "scores.png", "roc.png", "latent.png");
    }

    @Test
    void example2ConvImages() throws Exception {
        smoke("2", ConvImagesExample::main, "reconstructions.png", "anomaly-maps.png");
    }

    @Test
    void example3Variational() throws Exception {
        smoke("3", VariationalExample::main, "samples.png", "samples-dense-vs-conv.png", "interpolation.png",
                "latent-scatter.png", "manifold.png");
    }

    @Test
    void example4DimensionalityReduction() throws Exception {
        smoke("4", DimensionalityReductionExample::main, "autoencoder-2d.png", "pca-2d.png", "autoencoder-vs-pca.png");
    }

    @Test
    void example5TabularExplanations() throws Exception {
        smoke("5", TabularExplanationsExample::main, "top-anomalies-and-error-shares.png");
    }

    @Test
    void example6TimeSeries() throws Exception {
        smoke("6", TimeSeriesExample::main, "series.png");
    }

    @Test
    void example7CustomArchitecture() throws Exception {
        smoke("7", CustomArchitectureExample::main, "custom.ae4j");
    }

    @Test
    void example8StreamingSpot() throws Exception {
        smoke("8", StreamingSpotExample::main, "spot.png");
    }
}
