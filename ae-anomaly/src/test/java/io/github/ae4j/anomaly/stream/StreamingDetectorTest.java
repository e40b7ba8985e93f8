package io.github.ae4j.anomaly.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.anomaly.DetectorConfig;
import io.github.ae4j.anomaly.TestSpecs;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.testing.Synthetic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming detector: a dense detector trained on 5,000 rows of a noisy low-rank manifold
 * (1,000 held-out calibration scores start SPOT), then streams of new rows from the same manifold.
 */
class StreamingDetectorTest {

    static final int D = 12;
    static AnomalyDetector detector;
    static double[][] stream;
    static double[] streamScores;

    @BeforeAll
    static void train() {
        double[][] all = Synthetic.manifold(5000 + 20000, D, 3, 0.05, 17);
        detector = AnomalyDetector.fit(TestSpecs.dense(D, 3, 16), TestSpecs.matrix(Arrays.copyOf(all, 5000)),
                DetectorConfig.defaults().withTraining(TrainingConfig.defaults().withEpochs(15).withSeed(5)));
        stream = Arrays.copyOfRange(all, 5000, all.length);
        streamScores = detector.score(TestSpecs.matrix(stream));
    }

    @Test
    void givenSpotOnTwentyThousandNormalRows_whenStreaming_thenFalseAlarmRateWithinHalfToTwiceTheRisk() {
        for (double risk : new double[] {1e-2, 5e-3}) {
            StreamingDetector s = StreamingDetector.start(detector, StreamConfig.defaults().withRisk(risk));
            for (double v : streamScores) {
                s.nextScore(v);
            }
            double rate = (double) s.alarms() / streamScores.length;
            String msg = "risk " + risk + ": " + s.alarms() + " alarms in " + streamScores.length + " normal rows, rate "
                    + rate;
            System.out.println(msg);
            assertTrue(rate >= 0.5 * risk && rate <= 2 * risk, msg);
        }
    }

    @Test
    void givenSpotAndDspot_whenStoppedAtRowNSavedAndResumed_thenEveryLaterStepEqualsTheUninterruptedRun(
            @TempDir Path dir) throws IOException {
        for (StreamConfig c : new StreamConfig[] {StreamConfig.defaults().withRisk(1e-2),
            StreamConfig.defaults().withRisk(1e-2).withDepth(50)}) {
            int n = 600;
            StreamingDetector whole = StreamingDetector.start(detector, c);
            StreamingDetector.Step[] expected = new StreamingDetector.Step[n];
            for (int i = 0; i < n; i++) {
                expected[i] = whole.next(stream[i]);
            }
            for (int stop : new int[] {1, 350}) {
                StreamingDetector first = StreamingDetector.start(detector, c);
                for (int i = 0; i < stop; i++) {
                    assertEquals(expected[i], first.next(stream[i]));
                }
                Path f = dir.resolve("state-" + c.depth() + "-" + stop + ".json");
                first.save(f);
                StreamingDetector resumed = StreamingDetector.resume(detector, StreamingDetector.load(f));
                assertEquals(stop, resumed.rows());
                for (int i = stop; i < n; i++) {
                    assertEquals(expected[i], resumed.next(stream[i]), "depth " + c.depth() + ", stop " + stop
                            + ", row " + i);
                }
                assertEquals(whole.state().rows(), resumed.state().rows());
                assertEquals(whole.alarms(), resumed.alarms());
                assertArrayEquals(whole.state().spot() == null ? whole.state().dspot().window()
                        : whole.state().spot().peaks(), resumed.state().spot() == null
                        ? resumed.state().dspot().window() : resumed.state().spot().peaks());
            }
            assertTrue(whole.alarms() > 0, "the comparison covers alarms too");
        }
    }

    @Test
    void givenAStateOfAnotherDetectorOrADamagedFile_whenResuming_thenClearErrors(@TempDir Path dir)
            throws IOException {
        StreamingDetector s = StreamingDetector.start(detector, StreamConfig.defaults());
        s.next(stream[0]);
        Path f = dir.resolve("s.json");
        s.save(f);
        StreamState st = StreamingDetector.load(f);
        StreamState other = new StreamState(st.format(), st.formatVersion(), "00" + st.detector().substring(2),
                st.rows(), st.alarms(), st.config(), st.spot(), st.dspot());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StreamingDetector.resume(detector, other));
        assertTrue(e.getMessage().contains("another detector"), e.getMessage());

        // version 1 state files (the JSON alone) are still read: the checks below run on that form
        String json = io.github.ae4j.core.internal.Json.MAPPER.writeValueAsString(st);
        Files.writeString(f, json);
        assertEquals(json, io.github.ae4j.core.internal.Json.MAPPER.writeValueAsString(StreamingDetector.load(f)));
        Files.writeString(f, json.replaceFirst("\"maxPeaks\" : 1000", "\"maxPeaks\" : 2000000000"));
        IOException huge = assertThrows(IOException.class, () -> StreamingDetector.load(f));
        assertTrue(huge.getMessage().contains("maxPeaks must be at most"), huge.getMessage());
        Files.writeString(f, json.replaceFirst("\"maxPeaks\" : 1000", "\"maxPeaks\" : 999"));
        StreamState mismatched = StreamingDetector.load(f);
        assertThrows(IllegalArgumentException.class, () -> StreamingDetector.resume(detector, mismatched));

        Files.writeString(f, "{\"format\": \"ae4j-stream-state\", \"formatVersion\": 1, \"rows\": ");
        IOException io = assertThrows(IOException.class, () -> StreamingDetector.load(f));
        assertTrue(io.getMessage().contains("not a readable stream state"), io.getMessage());
        Files.writeString(f, "[1, 2]");
        assertThrows(IOException.class, () -> StreamingDetector.load(f));

        IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
                () -> s.next(new double[D - 1]));
        assertTrue(width.getMessage().contains("expected " + D), width.getMessage());
        assertEquals(1, s.rows(), "a refused row is not consumed");
    }

    @Test
    void givenAStateFile_whenWrittenAndTampered_thenItIsTheModelFileContainerReadAsSafely(@TempDir Path dir)
            throws IOException {
        StreamingDetector s = StreamingDetector.start(detector, StreamConfig.defaults().withRisk(1e-2).withDepth(30));
        for (int i = 0; i < 700; i++) {
            s.next(stream[i]);
        }
        Path f = dir.resolve("s.state");
        s.save(f);
        // a zip: a manifest of format ae4j-stream-state (file version 2) and the one registered entry
        java.util.Map<String, byte[]> entries = unzip(f);
        assertEquals(java.util.List.of("manifest.json", io.github.ae4j.core.ModelFile.STREAM_STATE),
                java.util.List.copyOf(entries.keySet()));
        assertTrue(io.github.ae4j.core.ModelFile.entryRules().containsKey(io.github.ae4j.core.ModelFile.STREAM_STATE));
        String manifest = new String(entries.get("manifest.json"), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(manifest.contains("\"ae4j-stream-state\"") && manifest.contains("\"formatVersion\" : 2"), manifest);
        StreamState st = StreamingDetector.load(f);
        assertEquals(io.github.ae4j.core.internal.Json.MAPPER.writeValueAsString(s.state()),
                io.github.ae4j.core.internal.Json.MAPPER.writeValueAsString(st));
        // an old version 1 file (the JSON alone) resumes to the same stream
        Path v1 = dir.resolve("old.json");
        Files.write(v1, entries.get(io.github.ae4j.core.ModelFile.STREAM_STATE));
        StreamingDetector a = StreamingDetector.resume(detector, StreamingDetector.load(v1));
        StreamingDetector b = StreamingDetector.resume(detector, st);
        for (int i = 700; i < 900; i++) {
            assertEquals(a.next(stream[i]), b.next(stream[i]));
        }
        a.save(v1);   // saved again: the container
        assertEquals(java.util.List.of("manifest.json", io.github.ae4j.core.ModelFile.STREAM_STATE),
                java.util.List.copyOf(unzip(v1).keySet()));
        assertEquals(0, StreamingDetector.loadContext(v1).length);
        // rows the caller needs to continue (a window model's last rows) travel in a second registered entry
        Path withContext = dir.resolve("ctx.state");
        double[][] ctx = {{1.5, -2.25, 3}, {0.1, 0.2, 0.3}};
        a.save(withContext, ctx);
        assertEquals(java.util.List.of("manifest.json", io.github.ae4j.core.ModelFile.STREAM_STATE,
                io.github.ae4j.core.ModelFile.STREAM_CONTEXT), java.util.List.copyOf(unzip(withContext).keySet()));
        assertTrue(Arrays.deepEquals(ctx, StreamingDetector.loadContext(withContext)));
        assertEquals(a.rows(), StreamingDetector.load(withContext).rows());

        // tampered entry: checksum refused, naming the file
        byte[] stateJson = entries.get(io.github.ae4j.core.ModelFile.STREAM_STATE);
        String changed = new String(stateJson, java.nio.charset.StandardCharsets.UTF_8).replaceFirst("\"rows\" : 700",
                "\"rows\" : 701");
        java.util.Map<String, byte[]> bad = new java.util.LinkedHashMap<>(entries);
        bad.put(io.github.ae4j.core.ModelFile.STREAM_STATE, changed.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        zip(f, bad);
        IOException e = assertThrows(IOException.class, () -> StreamingDetector.load(f));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("checksum"), e.getMessage());
        // an entry not allowed in a state file
        bad = new java.util.LinkedHashMap<>(entries);
        bad.put("params.bin", new byte[] {1, 2, 3});
        zip(f, bad);
        e = assertThrows(IOException.class, () -> StreamingDetector.load(f));
        assertTrue(e.getMessage().contains("refusing entry 'params.bin'"), e.getMessage());
        // a model file given as a state, and a state given as a model file: named for what they are
        Path model = dir.resolve("det.ae4j");
        detector.save(model);
        e = assertThrows(IOException.class, () -> StreamingDetector.load(model));
        assertTrue(e.getMessage().contains("not an ae4j stream state file") && e.getMessage().contains("ae4j-model"),
                e.getMessage());
        e = assertThrows(IOException.class, () -> AnomalyDetector.load(v1));
        assertTrue(e.getMessage().contains("not an ae4j model file") && e.getMessage().contains("ae4j-stream-state"),
                e.getMessage());
        // a truncated state
        byte[] whole = Files.readAllBytes(v1);
        Files.write(f, Arrays.copyOf(whole, whole.length / 2));
        e = assertThrows(IOException.class, () -> StreamingDetector.load(f));
        assertTrue(e.getMessage().contains("stream state file"), e.getMessage());
    }

    static java.util.Map<String, byte[]> unzip(Path f) throws IOException {
        java.util.Map<String, byte[]> m = new java.util.LinkedHashMap<>();
        try (java.util.zip.ZipInputStream z = new java.util.zip.ZipInputStream(Files.newInputStream(f))) {
            for (java.util.zip.ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
                m.put(e.getName(), z.readAllBytes());
            }
        }
        return m;
    }

    static void zip(Path f, java.util.Map<String, byte[]> entries) throws IOException {
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(Files.newOutputStream(f))) {
            for (java.util.Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new java.util.zip.ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
    }

    @Test
    void givenAStreamOfScoresComputedElsewhere_whenStoppedAndResumed_thenItContinuesIdenticallyAndRefusesRows(
            @TempDir Path dir) throws IOException {
        java.util.Random r = new java.util.Random(8);
        double[] cal = new double[2000];
        for (int i = 0; i < cal.length; i++) {
            cal[i] = Math.abs(r.nextGaussian());
        }
        double[] stream = new double[5000];
        for (int i = 0; i < stream.length; i++) {
            stream[i] = Math.abs(r.nextGaussian()) + (i % 500 == 250 ? 6 : 0);
        }
        StreamConfig c = StreamConfig.defaults().withRisk(1e-2).withDepth(20);
        StreamingDetector whole = StreamingDetector.start(cal, c);
        StreamingDetector.Step[] expected = new StreamingDetector.Step[stream.length];
        for (int i = 0; i < stream.length; i++) {
            expected[i] = whole.nextScore(stream[i]);
        }
        StreamingDetector first = StreamingDetector.start(cal, c);
        for (int i = 0; i < 2222; i++) {
            first.nextScore(stream[i]);
        }
        Path f = dir.resolve("scores.json");
        first.save(f);
        StreamingDetector resumed = StreamingDetector.resume(cal, StreamingDetector.load(f));
        for (int i = 2222; i < stream.length; i++) {
            assertEquals(expected[i], resumed.nextScore(stream[i]));
        }
        for (int i = 250; i < stream.length; i += 500) {
            assertTrue(expected[i].anomaly(), "planted score at " + i);
        }
        assertThrows(IllegalStateException.class, () -> resumed.next(new double[D]));
        double[] other = cal.clone();
        other[0] += 1e-9;
        assertThrows(IllegalArgumentException.class, () -> StreamingDetector.resume(other, StreamingDetector.load(f)));
        assertThrows(IllegalArgumentException.class, () -> StreamingDetector.resume(detector, StreamingDetector.load(f)));
    }

    @Test
    void givenTooFewCalibrationScoresForTheLevel_whenStarting_thenTheMessageSaysWhatIsNeeded() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StreamingDetector.start(detector, StreamConfig.defaults().withRisk(1e-4).withLevel(0.999)));
        assertTrue(e.getMessage().contains("calibration scores"), e.getMessage());
    }
}
