package io.github.ae4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ae4j.core.internal.Json;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code score --explain K}, {@code score --format json}, {@code score --maps DIR} and {@code ae4j explain}, on the
 * golden dense detector (a table with an id and a label) and a small conv detector (8x8 digit images).
 */
class ExplainOutputTest {

    @TempDir
    static Path dir;
    static Path dense;
    static Path probe;

    @BeforeAll
    static void copy() throws Exception {
        dense = dir.resolve("dense.ae4j");
        probe = dir.resolve("probe.csv");
        for (String[] f : new String[][] {{"detector-dense-v1.ae4j", "dense.ae4j"}, {"tabular-probe.csv", "probe.csv"}}) {
            try (InputStream in = ExplainOutputTest.class.getResourceAsStream("/golden/" + f[0])) {
                Files.copy(in, dir.resolve(f[1]), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Test
    void givenExplainK_whenScoringCsv_thenKNamedColumnsWithSharesPerRowLargestFirst() throws Exception {
        Path out = dir.resolve("explained.csv");
        CliTest.Run r = CliTest.run("score", "--model", dense.toString(), "--data", probe.toString(), "--id-column", "id",
                "--label-column", "label", "--explain", "2", "--out", out.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals("row,score,anomaly,p_value,id,label,explain_1,share_1,explain_2,share_2", lines.get(0));
        assertEquals(31, lines.size());
        List<String> names = List.of("temp", "pressure", "flow", "rpm", "power", "vibration", "mode=idle", "mode=run",
                "mode=boost");
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            assertTrue(names.contains(c[6]) && names.contains(c[8]), line);
            double s1 = Double.parseDouble(c[7]);
            double s2 = Double.parseDouble(c[9]);
            assertTrue(s1 >= s2 && s2 >= 0 && s1 <= 1, line);
        }
    }

    @Test
    void givenJsonFormat_whenScoring_thenOneObjectPerRowWithTheSameNumbersAsCsv() throws Exception {
        Path csv = dir.resolve("plain.csv");
        Path json = dir.resolve("rows.jsonl");
        assertEquals(0, CliTest.run("score", "--model", dense.toString(), "--data", probe.toString(), "--id-column",
                "id", "--label-column", "label", "--out", csv.toString(), "--quiet").code());
        CliTest.Run r = CliTest.run("score", "--model", dense.toString(), "--data", probe.toString(), "--id-column",
                "id", "--label-column", "label", "--explain", "1", "--format", "json", "--out", json.toString(),
                "--quiet");
        assertEquals(0, r.code(), r.err());
        List<String> c = Files.readAllLines(csv);
        List<String> j = Files.readAllLines(json);
        assertEquals(c.size() - 1, j.size());
        for (int i = 0; i < j.size(); i++) {
            JsonNode o = Json.MAPPER.readTree(j.get(i));
            String[] cell = c.get(i + 1).split(",");
            assertEquals(List.of("row", "score", "anomaly", "p_value", "id", "label", "explanation"),
                    iterable(o.fieldNames()));
            assertEquals(Long.parseLong(cell[0]), o.get("row").asLong());
            assertEquals(Double.parseDouble(cell[1]), o.get("score").asDouble(), 0);
            assertEquals(Integer.parseInt(cell[2]), o.get("anomaly").asInt());
            assertEquals(cell[4], o.get("id").asText());
            assertEquals(1, o.get("explanation").size());
            assertTrue(o.get("explanation").get(0).has("part") && o.get("explanation").get(0).has("share"));
        }
        CliTest.Run bad = CliTest.run("score", "--model", dense.toString(), "--data", probe.toString(), "--format", "xml");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("expected csv or json"), bad.err());
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> l = new java.util.ArrayList<>();
        it.forEachRemaining(l::add);
        return l;
    }

    @Test
    void givenExplainCommand_whenRun_thenTopRowsHighestFirstWithTheirParts() {
        CliTest.Run r = CliTest.run("explain", "--model", dense.toString(), "--data", probe.toString(), "--id-column",
                "id", "--label-column", "label", "--top", "3", "--features", "2");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n");
        assertTrue(lines[0].startsWith("3 most anomalous of 30 rows in probe.csv"), lines[0]);
        List<Double> scores = new java.util.ArrayList<>();
        for (String l : lines) {
            if (l.startsWith("#")) {
                scores.add(Double.parseDouble(l.replaceAll(".*score ([0-9.eE+-]+),.*", "$1")));
            }
        }
        assertEquals(3, scores.size(), r.out());
        assertTrue(scores.get(0) >= scores.get(1) && scores.get(1) >= scores.get(2), scores.toString());
        assertEquals(3 * 2, r.out().lines().filter(l -> l.matches("^ {4}\\S.*%.*")).count(), r.out());
    }

    @Test
    void givenImages_whenScoredWithExplainAndMaps_thenRegionsAndOnePicturePerImage() throws Exception {
        io.github.ae4j.core.testing.TestData.Digits digits = io.github.ae4j.core.testing.TestData.digits();
        StringBuilder train = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            for (int j = 0; j < 64; j++) {
                train.append(j == 0 ? "" : ",").append((int) digits.x()[i][j]);
            }
            train.append('\n');
        }
        Path tr = dir.resolve("img.csv");
        Files.writeString(tr, train);
        Path model = dir.resolve("conv.ae4j");
        assertEquals(0, CliTest.run("train", "--data", tr.toString(), "--image", "8x8x1", "--epochs", "2", "--out",
                model.toString(), "--quiet").code());
        Path few = dir.resolve("few.csv");
        Files.write(few, Files.readAllLines(tr).subList(0, 5));
        Path maps = dir.resolve("maps");
        CliTest.Run r = CliTest.run("score", "--model", model.toString(), "--data", few.toString(), "--explain", "2",
                "--maps", maps.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n");
        assertTrue(lines[1].matches("0,[^,]+,[01],[^,]+,\"rows \\d-\\d, cols \\d-\\d\",[0-9.]+,\"rows .*"), lines[1]);
        for (int i = 0; i < 5; i++) {
            EvaluatePlotsTest.assertPicture(maps.resolve("row-" + i + ".png"), 300, 100);
        }
        CliTest.Run table = CliTest.run("score", "--model", dense.toString(), "--data", probe.toString(), "--maps",
                maps.toString());
        assertEquals(2, table.code());
        assertTrue(table.err().contains("--maps needs a model trained on images"), table.err());
    }
}
