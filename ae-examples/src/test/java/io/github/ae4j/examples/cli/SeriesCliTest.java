package io.github.ae4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.core.internal.Json;
import io.github.ae4j.core.testing.Ranks;
import io.github.ae4j.core.testing.SeriesBaselines;
import io.github.ae4j.core.testing.TestData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Window (time-series) models from the command line, on the bundled EuStockMarkets series with
 * anomalies planted by {@code data/series/plant.py} in rows 930..1859 (3 seeds): the daily log returns
 * of the 4 indices are written as a CSV (time, 4 channels, label); {@code ae4j train --arch lstm|conv1d
 * --window 16} learns the untouched rows 0..929 (the last 20% of them calibrate the threshold);
 * {@code ae4j score} writes one row per step; per-point AUROC on rows 930.. must beat the rolling
 * z-score and rolling median/MAD baselines over the 30 days before each point, computed here on the
 * same returns.
 */
class SeriesCliTest {

    static final int WINDOW = 16;
    static final int TEST_START = 930;

    @TempDir
    static Path dir;
    static Path train;
    static Path lstm;
    static Path conv;
    static final Path[] SERIES = new Path[3];
    static final double[][][] RETURNS = new double[3][][];
    static final int[][] LABELS = new int[3][];

    static CliTest.Run run(String... args) {
        return CliTest.run(args);
    }

    /** The planted prices of a seed as log returns (row 0 copies row 1), with the time and the labels. */
    static void load(int seed) throws IOException {
        List<String> time = new ArrayList<>();
        List<double[]> prices = new ArrayList<>();
        List<Integer> label = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                TestData.resource("series/eustockmarkets-planted-seed" + seed + ".csv"), StandardCharsets.UTF_8))) {
            assertTrue(r.readLine().startsWith("time,DAX,SMI,CAC,FTSE,label"));
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.split(",");
                time.add(f[0]);
                prices.add(new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3]), Double.parseDouble(f[4])});
                label.add(Integer.parseInt(f[5]));
            }
        }
        int n = prices.size();
        double[][] ret = new double[n][4];
        for (int t = 1; t < n; t++) {
            for (int c = 0; c < 4; c++) {
                ret[t][c] = Math.log(prices.get(t)[c]) - Math.log(prices.get(t - 1)[c]);
            }
        }
        ret[0] = ret[1].clone();
        RETURNS[seed - 1] = ret;
        LABELS[seed - 1] = label.stream().mapToInt(Integer::intValue).toArray();
        SERIES[seed - 1] = dir.resolve("returns-seed" + seed + ".csv");
        write(SERIES[seed - 1], time, ret, LABELS[seed - 1], n);
        if (seed == 1) {
            train = dir.resolve("train.csv");
            write(train, time, ret, LABELS[0], TEST_START);
        }
    }

    static void write(Path p, List<String> time, double[][] x, int[] label, int rows) throws IOException {
        StringBuilder sb = new StringBuilder("time,DAX,SMI,CAC,FTSE,label\n");
        for (int t = 0; t < rows; t++) {
            sb.append(time.get(t));
            for (double v : x[t]) {
                sb.append(',').append(String.format(Locale.ROOT, "%.7f", v));
            }
            sb.append(',').append(label[t]).append('\n');
        }
        Files.writeString(p, sb.toString());
    }

    @BeforeAll
    static void trainBoth() throws IOException {
        for (int s = 1; s <= 3; s++) {
            load(s);
        }
        lstm = dir.resolve("lstm.ae4j");
        CliTest.Run r = run("train", "--data", train.toString(), "--out", lstm.toString(), "--arch", "lstm",
                "--window", Integer.toString(WINDOW), "--time-column", "time", "--label-column", "label",
                "--epochs", "12", "--batch", "32", "--quiet");
        assertEquals(0, r.code(), r.err());
        conv = dir.resolve("conv1d.ae4j");
        r = run("train", "--data", train.toString(), "--out", conv.toString(), "--arch", "conv1d",
                "--window", Integer.toString(WINDOW), "--hidden", "32,16", "--arch-option", "kernel=3",
                "--time-column", "time", "--label-column", "label", "--epochs", "20", "--batch", "32", "--quiet");
        assertEquals(0, r.code(), r.err());
    }

    /** Scores a series file with ae4j score; returns the score column, checking one row per step. */
    static double[] scores(Path model, Path data, int steps) throws IOException {
        Path out = dir.resolve("scores-" + System.nanoTime() + ".csv");
        CliTest.Run r = run("score", "--model", model.toString(), "--data", data.toString(), "--label-column",
                "label", "--out", out.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals("row,score,anomaly,p_value,id,label", lines.get(0));
        assertEquals(steps + 1, lines.size(), "one output row per time step");
        double[] s = new double[steps];
        double threshold = AnomalyDetector.load(model).threshold().value();
        for (int i = 0; i < steps; i++) {
            String[] f = lines.get(i + 1).split(",");
            assertEquals(Integer.toString(i), f[0]);
            s[i] = Double.parseDouble(f[1]);
            assertEquals(s[i] >= threshold ? "1" : "0", f[2]);
        }
        return s;
    }

    static double testAuroc(double[] s, int seed) {
        int n = s.length;
        return Ranks.auroc(Arrays.copyOfRange(s, TEST_START, n), Arrays.copyOfRange(LABELS[seed - 1], TEST_START, n));
    }

    @Test
    void givenPlantedEuStockMarkets_whenLstmAndConv1dScoreFromTheCli_thenPerPointAurocBeatsRollingBaselines()
            throws IOException {
        double z = 0;
        double med = 0;
        double l = 0;
        double c = 0;
        StringBuilder report = new StringBuilder();
        for (int seed = 1; seed <= 3; seed++) {
            double[][] r = RETURNS[seed - 1];
            double zs = testAuroc(SeriesBaselines.rollingZ(r, 30), seed);
            double ms = testAuroc(SeriesBaselines.rollingMedian(r, 30), seed);
            double ls = testAuroc(scores(lstm, SERIES[seed - 1], r.length), seed);
            double cs = testAuroc(scores(conv, SERIES[seed - 1], r.length), seed);
            report.append(String.format(Locale.ROOT, "seed %d: rolling z %.3f, rolling median %.3f, lstm %.3f,"
                    + " conv1d %.3f%n", seed, zs, ms, ls, cs));
            z += zs / 3;
            med += ms / 3;
            l += ls / 3;
            c += cs / 3;
        }
        report.append(String.format(Locale.ROOT, "mean: rolling z %.3f, rolling median %.3f, lstm %.3f, conv1d %.3f",
                z, med, l, c));
        System.out.println(report);
        double base = Math.max(z, med);
        assertTrue(l > base, report.toString());
        assertTrue(c > base, report.toString());
    }

    @Test
    void givenWindowDetector_whenSavedAgainAndLoaded_thenScoresAreIdenticalAndInfoShowsTheWindow() throws IOException {
        Path copy = dir.resolve("lstm-copy.ae4j");
        AnomalyDetector.load(lstm).save(copy);
        double[] a = scores(lstm, SERIES[1], RETURNS[1].length);
        double[] b = scores(copy, SERIES[1], RETURNS[1].length);
        assertTrue(Arrays.equals(a, b), "identical scores after a save/load round trip");

        CliTest.Run info = run("info", "--model", copy.toString());
        assertEquals(0, info.code(), info.err());
        JsonNode j = Json.MAPPER.readTree(info.out());
        assertEquals(WINDOW, j.get("series").get("window").asInt());
        assertEquals(1, j.get("series").get("stride").asInt());
        assertEquals("time", j.get("series").get("timeColumn").asText());
        assertEquals("window-mean", j.get("series").get("pointScore").asText());
        assertEquals("[\"DAX\",\"SMI\",\"CAC\",\"FTSE\"]", j.get("series").get("channels").toString());
        assertEquals("lstm", j.get("architecture").get("architecture").asText());
        // the threshold rests on per-point scores of the last 20% of the 930 training steps
        assertEquals(Math.round(TEST_START * 0.2), j.get("detector").get("calibrationRows").asLong());
    }

    @Test
    void givenLabelledSeries_whenEvaluated_thenMetricsMatchTheScoreOutputAndJsonFormatWorks() throws IOException {
        CliTest.Run r = run("evaluate", "--model", conv.toString(), "--data", SERIES[0].toString(), "--label-column",
                "label", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = Json.MAPPER.readTree(r.out());
        double[] s = scores(conv, SERIES[0], RETURNS[0].length);
        assertEquals(Ranks.auroc(s, LABELS[0]), j.get("auroc").asDouble(), 1e-9);
        assertEquals(RETURNS[0].length, j.get("n").asInt());
        assertEquals(Arrays.stream(LABELS[0]).sum(), j.get("anomalies").asInt());

        CliTest.Run js = run("score", "--model", conv.toString(), "--data", SERIES[0].toString(), "--format", "json",
                "--quiet");
        assertEquals(0, js.code(), js.err());
        String[] lines = js.out().split("\n");
        assertEquals(RETURNS[0].length, lines.length);
        JsonNode first = Json.MAPPER.readTree(lines[5]);
        assertEquals(5, first.get("row").asInt());
        assertEquals(s[5], first.get("score").asDouble(), 0.0);
        assertFalse(first.get("id").asText().isEmpty(), "the time column is copied as the id");
    }

    @Test
    void givenWindowDetector_whenCalibrated_thenThresholdsComeFromPerPointScoresOfTheSeries() throws IOException {
        // percentile:95 of the per-point scores of a normal series (the training part)
        Path p95 = dir.resolve("conv-p95.ae4j");
        CliTest.Run r = run("calibrate", "--model", conv.toString(), "--data", train.toString(), "--threshold",
                "percentile:95", "--out", p95.toString());
        assertEquals(0, r.code(), r.err());
        double[] normal = scores(conv, train, TEST_START);
        AnomalyDetector d95 = AnomalyDetector.load(p95);
        assertEquals(TEST_START, d95.calibrationScores().length);
        double[] sorted = normal.clone();
        Arrays.sort(sorted);
        assertTrue(d95.threshold().value() >= sorted[(int) Math.floor(0.94 * TEST_START)]
                && d95.threshold().value() <= sorted[(int) Math.ceil(0.96 * TEST_START)], "95th percentile");
        assertEquals(WINDOW, Json.MAPPER.readTree(run("info", "--model", p95.toString()).out()).get("series")
                .get("window").asInt(), "still a window model");

        // f1 on a labelled series: the F1 at the new threshold is the best F1 evaluate finds
        Path f1 = dir.resolve("conv-f1.ae4j");
        r = run("calibrate", "--model", conv.toString(), "--data", SERIES[0].toString(), "--threshold", "f1",
                "--label-column", "label", "--out", f1.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode ev = Json.MAPPER.readTree(run("evaluate", "--model", f1.toString(), "--data", SERIES[0].toString(),
                "--label-column", "label", "--json").out());
        assertEquals(ev.get("bestF1").asDouble(), ev.get("f1").asDouble(), 1e-9, ev.toString());
    }

    @Test
    void givenWindowModel_whenStreamedInTwoRunsWithAState_thenLinesEqualOneRunAndScoresAreTheWindowsEndingAtEachRow()
            throws IOException {
        // the calibration part has 186 points: SPOT starts at their 90th percentile
        String[] spot = {"--level", "0.9", "--risk", "0.01", "--quiet"};
        int n = RETURNS[1].length;
        CliTest.Run whole = run(concat(new String[] {"stream", "--model", conv.toString(), "--data",
            SERIES[1].toString()}, spot));
        assertEquals(0, whole.code(), whole.err());
        List<String> all = whole.out().lines().toList();
        assertEquals("row,score,anomaly,p_value,threshold", all.get(0));
        assertEquals(n + 1, all.size(), "one line per row");
        for (int t = 0; t < WINDOW - 1; t++) {
            assertTrue(all.get(t + 1).startsWith(t + ",,0,"), "no window ends at row " + t + ": " + all.get(t + 1));
        }
        // row t's score is the detector's score of the window of rows t - 15 .. t
        AnomalyDetector det = AnomalyDetector.load(conv);
        double[][] r = RETURNS[1];
        io.github.ae4j.conv.series.SlidingWindows w = io.github.ae4j.conv.series.SlidingWindows.over(r, WINDOW, 1);
        double[] windowScores = det.score(w.extract(r));
        for (int t = WINDOW - 1; t < n; t += 97) {
            String[] f = all.get(t + 1).split(",");
            assertEquals(Integer.toString(t), f[0]);
            assertEquals(windowScores[t - WINDOW + 1], Double.parseDouble(f[1]),
                    1e-4 * windowScores[t - WINDOW + 1], "row " + t); // the file holds the returns to 7 decimals
        }
        assertTrue(all.stream().skip(TEST_START).anyMatch(l -> l.split(",")[2].equals("1")), "planted rows flagged");
        // JSON Lines: the same rows; no score and no p-value (null) before the first window ends
        Path head = dir.resolve("head.csv");
        Files.write(head, Files.readAllLines(SERIES[1]).subList(0, 1 + WINDOW + 4));
        CliTest.Run json = run(concat(new String[] {"stream", "--model", conv.toString(), "--data", head.toString(),
            "--format", "json"}, spot));
        assertEquals(0, json.code(), json.err());
        List<String> objects = json.out().lines().toList();
        assertEquals(WINDOW + 4, objects.size());
        for (int t = 0; t < objects.size(); t++) {
            com.fasterxml.jackson.databind.JsonNode o = io.github.ae4j.core.internal.Json.MAPPER.readTree(objects.get(t));
            List<String> keys = new ArrayList<>();
            o.fieldNames().forEachRemaining(keys::add);
            assertEquals(List.of("row", "score", "anomaly", "p_value", "threshold"), keys);
            String[] f = all.get(t + 1).split(",", -1);
            assertEquals(t, o.get("row").asInt());
            assertEquals(Double.parseDouble(f[4]), o.get("threshold").doubleValue(), "row " + t);
            if (t < WINDOW - 1) {
                assertTrue(o.get("score").isNull() && o.get("p_value").isNull() && f[1].isEmpty() && f[3].isEmpty(),
                        objects.get(t));
                assertEquals(0, o.get("anomaly").asInt());
            } else {
                assertEquals(Double.parseDouble(f[1]), o.get("score").doubleValue(), "row " + t);
                assertEquals(Double.parseDouble(f[3]), o.get("p_value").doubleValue(), "row " + t);
                assertTrue(o.get("p_value").doubleValue() > 0 && o.get("p_value").doubleValue() <= 1);
            }
        }

        // stop after row 999, append the rest, continue with the state: the same lines
        Path growing = dir.resolve("growing.csv");
        List<String> file = Files.readAllLines(SERIES[1]);
        Files.write(growing, file.subList(0, 1001));
        Path st = dir.resolve("series.state");
        CliTest.Run first = run(concat(new String[] {"stream", "--model", conv.toString(), "--data", growing.toString(),
            "--state", st.toString(), "--checkpoint-every", "100"}, spot));
        assertEquals(0, first.code(), first.err());
        Files.write(growing, file);
        CliTest.Run second = run(concat(new String[] {"stream", "--model", conv.toString(), "--data",
            growing.toString(), "--state", st.toString()}, spot));
        assertEquals(0, second.code(), second.err());
        List<String> joined = new ArrayList<>(first.out().lines().toList());
        joined.addAll(second.out().lines().skip(1).toList());
        assertEquals(all, joined);

        // from stdin: the state holds the window - 1 rows before its position, so the second run is fed from
        // the next row on (nothing is read again) and continues exactly
        Path st2 = dir.resolve("series-stdin.state");
        byte[] part1 = (String.join("\n", file.subList(0, 1001)) + "\n").getBytes(StandardCharsets.UTF_8);
        StreamCommandTest.Run a = StreamCommandTest.run(new java.io.ByteArrayInputStream(part1), concat(new String[] {
            "stream", "--model", conv.toString(), "--state", st2.toString(), "--checkpoint-every", "100"}, spot));
        assertEquals(0, a.code(), a.err());
        java.util.Set<String> entries = new java.util.HashSet<>();
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(st2.toFile())) {
            z.stream().forEach(e -> entries.add(e.getName()));
        }
        assertEquals(java.util.Set.of("manifest.json", "stream-state.json", "stream-context.json"), entries);
        byte[] part2 = (String.join("\n", file.subList(1001, file.size())) + "\n").getBytes(StandardCharsets.UTF_8);
        StreamCommandTest.Run b = StreamCommandTest.run(new java.io.ByteArrayInputStream(part2), concat(new String[] {
            "stream", "--model", conv.toString(), "--state", st2.toString()}, spot));
        assertEquals(0, b.code(), b.err());
        List<String> joinedStdin = new ArrayList<>(a.out().lines().toList());
        joinedStdin.addAll(b.out().lines().skip(1).toList());
        assertEquals(all, joinedStdin);
    }

    static String[] concat(String[] a, String[] b) {
        String[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void givenLabelledPointsInTheCalibrationPart_whenTraining_thenTheirWindowsAreLeftOutOfCalibration()
            throws IOException {
        // 400 steps of two noisy sines; labelled points at steps 350 and 351 (in the last 20% = 320..399)
        int n = 400;
        java.util.Random rnd = new java.util.Random(3);
        StringBuilder sb = new StringBuilder("a,b,label\n");
        for (int t = 0; t < n; t++) {
            int y = t == 350 || t == 351 ? 1 : 0;
            sb.append(String.format(Locale.ROOT, "%.5f,%.5f,%d%n", Math.sin(t / 5.0) + 0.05 * rnd.nextGaussian()
                    + (y == 1 ? 4 : 0), Math.cos(t / 5.0) + 0.05 * rnd.nextGaussian(), y));
        }
        Path f = dir.resolve("sines.csv");
        Files.writeString(f, sb.toString());
        Path m = dir.resolve("sines.ae4j");
        int window = 8;
        CliTest.Run r = run("train", "--data", f.toString(), "--out", m.toString(), "--arch", "conv1d", "--window",
                Integer.toString(window), "--label-column", "label", "--epochs", "2", "--quiet");
        assertEquals(0, r.code(), r.err());
        // calibration points 320..399, less those sharing a window with step 350 or 351: 343..358
        int excluded = (351 + window - 1) - (350 - window + 1) + 1;
        assertEquals(80 - excluded, AnomalyDetector.load(m).calibrationScores().length);
    }

    @Test
    void givenBadSeriesOptions_whenRun_thenExit2WithOneLineAndNoOutput() throws IOException {
        Path out = dir.resolve("never.ae4j");
        String d = train.toString();
        String o = out.toString();
        String[][] bad = {
            {"train", "--data", d, "--out", o, "--window", "16", "--label-column", "label"},
            {"train", "--data", d, "--out", o, "--arch", "dense", "--window", "16", "--label-column", "label"},
            {"train", "--data", d, "--out", o, "--arch", "lstm", "--label-column", "label"},
            {"train", "--data", d, "--out", o, "--arch", "conv1d", "--time-column", "time"},
            {"train", "--data", d, "--out", o, "--arch", "lstm", "--window", "1", "--label-column", "label"},
            {"train", "--data", d, "--out", o, "--arch", "lstm", "--window", "16", "--stride", "0"},
            {"train", "--data", d, "--out", o, "--arch", "lstm", "--window", "16", "--stride", "17"},
            {"train", "--data", d, "--out", o, "--arch", "lstm", "--window", "800", "--time-column", "time",
                "--label-column", "label"},
            {"train", "--data", d, "--out", o, "--arch", "lstm", "--window", "16", "--threshold", "f1",
                "--label-column", "label"},
            {"train", "--data", d, "--out", o, "--arch", "lstm", "--window", "16", "--arch-option", "window=8"},
            {"train", "--data", d, "--out", o, "--arch", "nosuch", "--window", "16"},
            // the time stamp is text here: not a channel
            {"train", "--data", dir.resolve("text-time.csv").toString(), "--out", o, "--arch", "lstm", "--window",
                "4"},
            {"explain", "--model", lstm.toString(), "--data", d},
            {"encode", "--model", lstm.toString(), "--data", d, "--out", o},
            {"calibrate", "--model", lstm.toString(), "--data", d, "--threshold", "f1", "--label-column", "label",
                "--out", o},
            {"score", "--model", lstm.toString(), "--data", d, "--maps", dir.resolve("maps").toString()},
            {"score", "--model", lstm.toString(), "--data", dir.resolve("short.csv").toString()},
            {"score", "--model", lstm.toString(), "--data", dir.resolve("two-channels.csv").toString()},
        };
        Files.writeString(dir.resolve("text-time.csv"), "date,x,y\n2020-01-01,1,2\n2020-01-02,2,3\n"
                + "2020-01-03,1,2\n2020-01-04,2,3\n2020-01-05,1,2\n2020-01-06,2,3\n2020-01-07,1,2\n");
        Files.writeString(dir.resolve("short.csv"), String.join("\n", Files.readAllLines(train).subList(0, 10)) + "\n");
        Files.writeString(dir.resolve("two-channels.csv"), "time,DAX,SMI\n1,0.1,0.2\n");
        for (String[] args : bad) {
            CliTest.Run r = run(args);
            String what = String.join(" ", args);
            assertEquals(2, r.code(), what + "\n" + r.err());
            assertEquals(1, r.err().strip().lines().count(), what + "\n" + r.err());
            assertTrue(r.err().startsWith("ae4j: "), what + "\n" + r.err());
            assertFalse(Files.exists(out), what);
        }
    }

    @Test
    void givenArchList_thenWindowArchitecturesAndTheirOptionsAreShown() {
        CliTest.Run r = run("train", "--arch", "list");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("lstm: LSTM encoder-decoder over windows"), r.out());
        assertTrue(r.out().contains("conv1d: 1-D convolutional autoencoder over windows"), r.out());
        assertTrue(r.out().contains("window: points per window (set by --window; required)"), r.out());
        assertTrue(r.out().contains("kernel: convolution kernel size along time"), r.out());
    }
}
