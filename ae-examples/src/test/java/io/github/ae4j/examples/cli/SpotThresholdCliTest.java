package io.github.ae4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ae4j.core.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --threshold spot:Q} / {@code dspot:Q:D} through train, calibrate, info and stream: the spec
 * is saved with the detector, and a stream started on it uses SPOT (DSPOT) at that risk (depth)
 * unless --risk (--depth) says otherwise.
 */
class SpotThresholdCliTest {

    @TempDir
    static Path dir;
    static Path train;
    static Path fresh;
    static Path head;
    static Path model;

    static List<String> rows(int n, long seed) {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>(List.of("a,b,c,d"));
        for (int i = 0; i < n; i++) {
            double a = r.nextGaussian();
            double b = r.nextGaussian();
            out.add(String.format(Locale.ROOT, "%.5f,%.5f,%.5f,%.5f", a + 0.1 * r.nextGaussian(), 0.7 * a + 0.3 * b,
                    b + 0.1 * r.nextGaussian(), a - b));
        }
        return out;
    }

    @BeforeAll
    static void trainWithSpot() throws IOException {
        train = dir.resolve("train.csv");
        fresh = dir.resolve("fresh.csv");
        Files.write(train, rows(1200, 1));
        Files.write(fresh, rows(800, 2));
        head = dir.resolve("head.csv");
        Files.write(head, rows(3, 3));
        model = dir.resolve("spot.ae4j");
        CliTest.Run r = CliTest.run("train", "--data", train.toString(), "--out", model.toString(), "--epochs", "5",
                "--threshold", "spot:0.01", "--quiet");
        assertEquals(0, r.code(), r.err());
    }

    private static JsonNode detector(Path m) throws IOException {
        CliTest.Run i = CliTest.run("info", "--model", m.toString());
        assertEquals(0, i.code(), i.err());
        return Json.MAPPER.readTree(i.out()).get("detector");
    }

    /** The threshold column of the stream's first row (the threshold SPOT/DSPOT started from). */
    private static double firstStreamThreshold(Path m, String... extra) {
        List<String> args = new ArrayList<>(List.of("stream", "--model", m.toString(), "--data", head.toString(),
                "--quiet"));
        args.addAll(List.of(extra));
        CliTest.Run s = CliTest.run(args.toArray(String[]::new));
        assertEquals(0, s.code(), s.err());
        String[] lines = s.out().split("\n");
        assertTrue(lines[0].endsWith(",threshold"), lines[0]);
        String[] first = lines[1].split(",");
        return Double.parseDouble(first[first.length - 1]);
    }

    @Test
    void givenSpotThreshold_whenTrainedAndStreamed_thenSavedAndTheStreamStartsFromItAtThatRisk() throws IOException {
        JsonNode d = detector(model);
        assertEquals("spot:0.01", d.get("thresholdSpec").asText());
        assertEquals(1200, d.get("calibrationRows").asInt());
        double saved = d.get("threshold").asDouble();
        // SPOT at risk 0.01 on the detector's calibration scores starts from the saved threshold
        assertEquals(saved, firstStreamThreshold(model), 1e-5 * saved);
        // --risk overrides: a smaller risk starts higher
        double strict = firstStreamThreshold(model, "--risk", "0.001");
        assertTrue(strict > saved * 1.01, strict + " vs " + saved);
    }

    @Test
    void givenDspotThreshold_whenCalibrated_thenSavedAndTheStreamUsesDspotWithThatDepth() throws IOException {
        Path out = dir.resolve("dspot.ae4j");
        CliTest.Run c = CliTest.run("calibrate", "--model", model.toString(), "--data", fresh.toString(),
                "--threshold", "dspot:0.01:20", "--out", out.toString());
        assertEquals(0, c.code(), c.err());
        assertTrue(c.out().contains("(spot:0.01) ->") && c.out().contains("(dspot:0.01:20)"), c.out());
        JsonNode d = detector(out);
        assertEquals("dspot:0.01:20", d.get("thresholdSpec").asText());
        assertEquals(800, d.get("calibrationRows").asInt());
        double saved = d.get("threshold").asDouble();
        assertEquals(saved, firstStreamThreshold(out), 1e-5 * Math.abs(saved));
        // plain SPOT at the same risk starts elsewhere: the stream above did use DSPOT
        double spot = firstStreamThreshold(out, "--depth", "0");
        assertFalse(Math.abs(spot - saved) < 1e-4 * Math.abs(saved), spot + " vs " + saved);

        Path again = dir.resolve("spot-again.ae4j");
        CliTest.Run s = CliTest.run("calibrate", "--model", out.toString(), "--data", fresh.toString(),
                "--threshold", "spot:0.01", "--out", again.toString());
        assertEquals(0, s.code(), s.err());
        assertEquals("spot:0.01", detector(again).get("thresholdSpec").asText());
    }

    @Test
    void givenOutOfRangeSpotSpecs_whenTrainingOrCalibrating_thenExit2WithOneLine() {
        String[][] bad = {
            {"train", "--data", train.toString(), "--out", dir.resolve("x.ae4j").toString(), "--threshold",
                "spot:0.5"},
            {"calibrate", "--model", model.toString(), "--data", fresh.toString(), "--out",
                dir.resolve("y.ae4j").toString(), "--threshold", "dspot:0.01:0"},
            {"calibrate", "--model", model.toString(), "--data", fresh.toString(), "--out",
                dir.resolve("z.ae4j").toString(), "--threshold", "spot:0"}};
        String[] why = {"risk must be in (0, 0.02)", "dspot depth must be in [1, 1000000], got 0",
            "risk must be in (0, 0.02)"};
        for (int i = 0; i < bad.length; i++) {
            CliTest.Run r = CliTest.run(bad[i]);
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains(why[i]), r.err());
            assertEquals(1, r.err().strip().split("\n").length, r.err());
            assertFalse(Files.exists(Path.of(bad[i][bad[i].length - 3])), "no output written");
        }
    }
}
