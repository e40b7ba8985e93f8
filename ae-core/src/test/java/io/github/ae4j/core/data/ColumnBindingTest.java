package io.github.ae4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scoring files are matched to the model's columns by name (issue 15: the swapped-columns bug). */
class ColumnBindingTest {

    @TempDir
    Path dir;

    private Path csv(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private TabularSchema trained() throws IOException {
        return CsvReader.read(csv("train.csv", "id,a,b,colour\nx,1,10,red\ny,2,20,blue\nz,3,30,red\n"),
                CsvOptions.defaults().withIdColumn("id")).schema();
    }

    @Test
    void givenReorderedColumns_whenReadingOrStreaming_thenSameFeaturesAsTheOriginalOrder() throws IOException {
        TabularSchema s = trained();
        Table original = CsvReader.read(csv("o.csv", "a,b,colour,label\n5,50,blue,1\n6,60,red,0\n"), s,
                CsvOptions.defaults().withLabelColumn("label"));
        Table swapped = CsvReader.read(csv("s.csv", "label,colour,b,a\n1,blue,50,5\n0,red,60,6\n"), s,
                CsvOptions.defaults().withLabelColumn("label"));
        assertEquals(original.schema().featureNames(), swapped.schema().featureNames());
        assertEquals(List.of("a", "b", "colour=blue", "colour=red"), swapped.schema().featureNames());
        assertArrayEquals(original.features().toDoubleMatrix()[0], swapped.features().toDoubleMatrix()[0], 0);
        assertArrayEquals(new double[] {6, 60, 0, 1}, swapped.features().toDoubleMatrix()[1], 0);
        assertArrayEquals(original.labels(), swapped.labels());
        try (CsvReader.BatchStream st = CsvReader.stream(dir.resolve("s.csv"), s,
                CsvOptions.defaults().withLabelColumn("label"), 1)) {
            assertArrayEquals(new double[] {5, 50, 1, 0}, st.next().features().toDoubleVector(), 0);
            CsvReader.Batch b = st.next();
            assertArrayEquals(new double[] {6, 60, 0, 1}, b.features().toDoubleVector(), 0);
            assertArrayEquals(new int[] {0}, b.labels());
        }
        // the training id column, present but not named as this file's id column, is not a feature
        Table withId = CsvReader.read(csv("i.csv", "b,id,a,colour\n50,q,5,blue\n"), s, CsvOptions.defaults());
        assertArrayEquals(original.features().toDoubleMatrix()[0], withId.features().toDoubleMatrix()[0], 0);
    }

    @Test
    void givenOtherColumnSet_whenReading_thenErrorNamingMissingAndUnknownColumns() throws IOException {
        TabularSchema s = trained();
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvReader.read(
                csv("d.csv", "a,c,colour\n1,2,red\n"), s, CsvOptions.defaults()));
        assertTrue(e.getMessage().contains("missing 'b'") && e.getMessage().contains("unknown 'c'"), e.getMessage());
        DataFormatException st = assertThrows(DataFormatException.class, () -> CsvReader.stream(
                dir.resolve("d.csv"), s, CsvOptions.defaults(), 10));
        assertEquals(e.getMessage(), st.getMessage());
        DataFormatException twice = assertThrows(DataFormatException.class, () -> CsvReader.read(
                csv("t.csv", "a,b,a,colour\n1,2,3,red\n"), s, CsvOptions.defaults()));
        assertTrue(twice.getMessage().contains("'a' appears twice"), twice.getMessage());
    }

    @Test
    void givenHeaderMismatch_whenReading_thenErrorAndHeaderlessIsCheckedByWidth() throws IOException {
        TabularSchema s = trained();
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvReader.read(
                csv("n.csv", "9,1,10,red\n"), s, CsvOptions.defaults().withIdColumn("0")));
        assertTrue(e.getMessage().contains("has no header line, but the model was trained on a file with one"),
                e.getMessage());
        TabularSchema headerless = CsvReader.read(csv("h.csv", "1,10\n2,20\n"), CsvOptions.defaults()).schema();
        DataFormatException h = assertThrows(DataFormatException.class, () -> CsvReader.read(
                csv("hh.csv", "a,b\n1,2\n"), headerless, CsvOptions.defaults()));
        assertTrue(h.getMessage().contains("has a header line, but the model was trained on a file without one"),
                h.getMessage());
        Table ok = CsvReader.read(csv("p.csv", "3,30\n"), headerless, CsvOptions.defaults());
        assertArrayEquals(new double[] {3, 30}, ok.features().toDoubleVector(), 0);
        DataFormatException w = assertThrows(DataFormatException.class, () -> CsvReader.read(
                csv("pw.csv", "3,30,300\n"), headerless, CsvOptions.defaults()));
        assertTrue(w.getMessage().contains("no header line: columns are matched by position"), w.getMessage());
    }

    @Test
    void givenPositionalMatching_whenHeadersDiffer_thenMatchedByPositionAndStillCheckedByWidth() throws IOException {
        TabularSchema s = trained();
        Table named = CsvReader.read(csv("w2.csv", "id,a,b,colour\nq,2,20,blue\n"), s,
                CsvOptions.defaults().withIdColumn("id"));
        Table headerless = CsvReader.read(csv("n2.csv", "q,2,20,blue\n"), s,
                CsvOptions.defaults().withIdColumn("0").withPositional(true));
        assertArrayEquals(named.features().toDoubleVector(), headerless.features().toDoubleVector(), 0);
        Table renamed = CsvReader.read(csv("o2.csv", "key,p,q,r\nq,2,20,blue\n"), s,
                CsvOptions.defaults().withIdColumn("key").withPositional(true));
        assertArrayEquals(named.features().toDoubleVector(), renamed.features().toDoubleVector(), 0);
        TabularSchema noHeader = CsvReader.read(csv("h2.csv", "1,10\n2,20\n"), CsvOptions.defaults()).schema();
        Table headered = CsvReader.read(csv("hh2.csv", "x,y\n3,30\n"), noHeader,
                CsvOptions.defaults().withPositional(true));
        assertArrayEquals(new double[] {3, 30}, headered.features().toDoubleVector(), 0);
        DataFormatException w = assertThrows(DataFormatException.class, () -> CsvReader.read(
                csv("hw2.csv", "x,y,z\n3,30,300\n"), noHeader, CsvOptions.defaults().withPositional(true)));
        assertTrue(w.getMessage().contains("expected 2 feature columns") && w.getMessage().contains("matched by"
                + " position as asked"), w.getMessage());
        DataFormatException h = assertThrows(DataFormatException.class, () -> CsvReader.read(
                csv("hh3.csv", "x,y\n3,30\n"), noHeader, CsvOptions.defaults()));
        assertTrue(h.getMessage().contains("--match-columns position"), h.getMessage());
    }
}
