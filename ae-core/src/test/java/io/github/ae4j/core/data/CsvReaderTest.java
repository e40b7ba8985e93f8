package io.github.ae4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {

    @TempDir
    Path dir;

    private Path csv(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        if (name.endsWith(".gz")) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
                out.write(content.getBytes(StandardCharsets.UTF_8));
            }
        } else {
            Files.writeString(p, content);
        }
        return p;
    }

    @Test
    void givenHeaderLabelAndId_whenReading_thenTheyAreNotFeatures() throws IOException {
        Path p = csv("a.csv", "id,x,y,label\nr1,1,2,0\nr2,3,4.5,1\nr3,5,6,true\n");
        Table t = CsvReader.read(p, CsvOptions.defaults().withLabelColumn("label").withIdColumn("id"));
        assertEquals(3, t.rows());
        assertEquals(List.of("x", "y"), t.schema().featureNames());
        assertArrayEquals(new double[] {3, 4.5}, t.features().getRow(1).toDoubleVector(), 1e-6);
        assertArrayEquals(new int[] {0, 1, 1}, t.labels());
        assertArrayEquals(new String[] {"r1", "r2", "r3"}, t.ids());
        assertTrue(t.schema().header());
    }

    @Test
    void givenNoHeaderAndColumnIndices_whenReading_thenDetectedAndResolved() throws IOException {
        Path p = csv("b.csv.gz", "1,2,0\n3,4,1\n\n5,6,0\n");
        Table t = CsvReader.read(p, CsvOptions.defaults().withLabelColumn("2"));
        assertEquals(3, t.rows(), "blank lines are skipped");
        assertEquals(2, t.features().size(1));
        assertArrayEquals(new int[] {0, 1, 0}, t.labels());
        assertTrue(!t.schema().header());
    }

    @Test
    void givenMissingCells_whenLenient_thenImputedWithTrainingMedian() throws IOException {
        Path p = csv("c.csv", "a,b\n1,10\n,20\n3,NA\n100,40\n");
        Table t = CsvReader.read(p, CsvOptions.defaults());
        assertEquals(3.0, t.features().getDouble(1, 0), 1e-9, "median of 1,3,100");
        assertEquals(20.0, t.features().getDouble(2, 1), 1e-9, "median of 10,20,40");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CsvReader.read(p, CsvOptions.defaults().withStrict(true)));
        assertEquals(1, e.row());
        assertTrue(e.getMessage().contains("c.csv: row 1 (line 3), column 'a' (index 0): missing value"), e.getMessage());
    }

    @Test
    void givenNonNumericCellInNumericColumn_whenReading_thenErrorNamesFileRowAndColumn() throws IOException {
        Path p = csv("d.csv", "a,b,c\n1,2,3\n4,5x,6\n7,8,9\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvReader.read(p, CsvOptions.defaults()));
        assertTrue(e.getMessage().contains("d.csv: row 1 (line 3), column 'b' (index 1): expected a number, got '5x'"),
                e.getMessage());
    }

    @Test
    void givenRaggedRow_whenReading_thenErrorNamesRow() throws IOException {
        Path p = csv("e.csv", "1,2,3\n4,5,6\n7,8\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvReader.read(p, CsvOptions.defaults()));
        assertTrue(e.getMessage().contains("row 2 (line 3): expected 3 columns"), e.getMessage());
    }

    @Test
    void givenEmptyOrHeaderOnlyFile_whenReading_thenClearErrors() throws IOException {
        assertTrue(assertThrows(DataFormatException.class,
                () -> CsvReader.read(csv("empty.csv", ""), CsvOptions.defaults())).getMessage().contains("is empty"));
        assertTrue(assertThrows(DataFormatException.class,
                () -> CsvReader.read(csv("hdr.csv", "a,b\n"), CsvOptions.defaults())).getMessage()
                .contains("header line but no data rows"));
        assertThrows(NoSuchFileException.class, () -> CsvReader.read(dir.resolve("nope.csv"), CsvOptions.defaults()));
    }

    @Test
    void givenBadLabelOrUnknownColumn_whenReading_thenClearErrors() throws IOException {
        Path p = csv("f.csv", "x,label\n1,0\n2,2\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CsvReader.read(p, CsvOptions.defaults().withLabelColumn("label")));
        assertTrue(e.getMessage().contains("row 1 (line 3), column 'label' (index 1): expected a label: 1, 1.0, true, yes or"
                + " anomaly for an anomaly; 0, 0.0, false, no or normal for a normal row"), e.getMessage());
        DataFormatException c = assertThrows(DataFormatException.class,
                () -> CsvReader.read(p, CsvOptions.defaults().withLabelColumn("target")));
        assertTrue(c.getMessage().contains("label column 'target' not found; columns are: x, label"), c.getMessage());
    }

    @Test
    void givenInfiniteValue_whenReading_thenError() throws IOException {
        Path p = csv("g.csv", "1,2\n3,1e999\n");
        assertTrue(assertThrows(DataFormatException.class, () -> CsvReader.read(p, CsvOptions.defaults()))
                .getMessage().contains("row 1 (line 2), column 1: value '1e999' is infinite"));
    }

    @Test
    void givenCategoricalColumn_whenTrainingAndScoring_thenOneHotWithStoredVocabulary() throws IOException {
        Path train = csv("t.csv", "size,colour\n1,red\n2,blue\n3,red\n4,\n");
        Table t = CsvReader.read(train, CsvOptions.defaults());
        assertEquals(List.of("size", "colour=blue", "colour=red"), t.schema().featureNames());
        assertArrayEquals(new double[] {1, 0, 1}, t.features().getRow(0).toDoubleVector(), 1e-9);
        assertArrayEquals(new double[] {4, 0, 0}, t.features().getRow(3).toDoubleVector(), 1e-9, "missing = zeros");
        // scoring data: an unseen category encodes as zeros, with a label column the training file lacked
        Path score = csv("s.csv", "size,colour,label\n5,green,1\n6,blue,0\n");
        Table s = CsvReader.read(score, t.schema(), CsvOptions.defaults().withLabelColumn("label"));
        assertArrayEquals(new double[] {5, 0, 0}, s.features().getRow(0).toDoubleVector(), 1e-9);
        assertArrayEquals(new double[] {6, 1, 0}, s.features().getRow(1).toDoubleVector(), 1e-9);
        assertArrayEquals(new int[] {1, 0}, s.labels());
        // forced categorical
        Table f = CsvReader.read(csv("u.csv", "code,v\n1,0.5\n2,0.7\n1,0.1\n"),
                CsvOptions.defaults().withCategorical(Set.of("code")));
        assertEquals(List.of("code=1", "code=2", "v"), f.schema().featureNames());
    }

    @Test
    void givenScoringFileOfTheWrongWidth_whenReadingWithModelSchema_thenClearError() throws IOException {
        Table t = CsvReader.read(csv("w.csv", "a,b,c\n1,2,3\n"), CsvOptions.defaults());
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CsvReader.read(csv("w2.csv", "a,b\n1,2\n"), t.schema(), CsvOptions.defaults()));
        assertTrue(e.getMessage().contains("missing 'c'"), e.getMessage());
        Table h = CsvReader.read(csv("w3.csv", "1,2,3\n4,5,6\n"), CsvOptions.defaults());
        DataFormatException w = assertThrows(DataFormatException.class,
                () -> CsvReader.read(csv("w4.csv", "1,2\n3,4\n"), h.schema(), CsvOptions.defaults()));
        assertTrue(w.getMessage().contains("expected 3 feature columns"), w.getMessage());
    }

    @Test
    void givenLargeFile_whenStreaming_thenSameRowsAsInMemoryInBatches() throws IOException {
        StringBuilder sb = new StringBuilder("id,a,b\n");
        for (int i = 0; i < 2500; i++) {
            sb.append("r").append(i).append(',').append(i).append(',').append(i * 0.5).append('\n');
        }
        Path p = csv("big.csv.gz", sb.toString());
        CsvOptions o = CsvOptions.defaults().withIdColumn("id");
        Table all = CsvReader.read(p, o);
        long rows = 0;
        try (CsvReader.BatchStream s = CsvReader.stream(p, all.schema(), o, 1000)) {
            while (s.hasNext()) {
                CsvReader.Batch b = s.next();
                assertEquals(rows, b.firstRow());
                assertEquals(all.features().getDouble(rows + b.rows() - 1, 1), b.features().getDouble(b.rows() - 1, 1));
                assertEquals("r" + (rows + b.rows() - 1), b.ids()[b.rows() - 1]);
                assertNull(b.labels());
                rows += b.rows();
            }
        }
        assertEquals(2500, rows);
    }

    @Test
    void givenCorruptGzip_whenReading_thenFormatErrorNotACrash() throws IOException {
        Path p = csv("h.csv.gz", "1,2\n".repeat(5000));
        byte[] b = Files.readAllBytes(p);
        Files.write(p, java.util.Arrays.copyOf(b, b.length / 2));
        assertTrue(assertThrows(DataFormatException.class, () -> CsvReader.read(p, CsvOptions.defaults()))
                .getMessage().contains("gzip data is truncated or corrupt"));
        Path fake = dir.resolve("fake.csv.gz");
        Files.writeString(fake, "1,2\n");
        assertTrue(assertThrows(DataFormatException.class, () -> CsvReader.read(fake, CsvOptions.defaults()))
                .getMessage().contains("not gzip"));
    }

    @Test
    void givenUtf8Bom_whenReading_thenFirstColumnNameHasNoBom() throws IOException {
        Path p = dir.resolve("bom.csv");
        Files.write(p, ("\uFEFFid,x,y\na,1,2\nb,3,4\n").getBytes(StandardCharsets.UTF_8));
        Table t = CsvReader.read(p, CsvOptions.defaults().withIdColumn("id"));
        assertEquals(List.of("x", "y"), t.schema().featureNames());
    }

    @Test
    void givenRfc4180QuotedNewlinesAndQuotes_whenReading_thenOneRecordEachAndLineNumbersOfTheFile() throws IOException {
        Path p = csv("q.csv", "id,note,x\n\"a\",\"two\nlines\",1\n\"b\",\"say \"\"hi\"\"\",2\r\nc,plain,oops\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CsvReader.read(p, CsvOptions.defaults().withIdColumn("id")));
        // the third record starts on line 5 of the file (line 2-3 hold the first record)
        assertTrue(e.getMessage().contains("line 5"), e.getMessage());
        Path ok = csv("q2.csv", "id,note,x\n\"a\",\"two\nlines\",1\n\"b\",\"say \"\"hi\"\"\",2\r\n");
        Table t = CsvReader.read(ok, CsvOptions.defaults().withIdColumn("id"));
        assertEquals(2, t.rows());
        assertTrue(t.schema().featureNames().contains("note=two\nlines"), t.schema().featureNames().toString());
        assertTrue(t.schema().featureNames().contains("note=say \"hi\""), t.schema().featureNames().toString());
    }

    @Test
    void givenJavaNumberSuffixes_whenReading_thenNotNumbers() {
        for (String s : new String[] {"1.5d", "1.5f", "0x1p3", "Infinity", " 1", "1e", "e3", ".", "+", "1.2.3"}) {
            assertFalse(CsvNumbers.isNumber(s), s);
        }
        for (String s : new String[] {"1", "-0.5", ".5", "3.", "1e-3", "+2.5E+10", "007"}) {
            assertTrue(CsvNumbers.isNumber(s), s);
        }
    }

    @Test
    void givenNumberWithJavaSuffixInNumericColumn_whenScoringWithSchema_thenError() throws IOException {
        Table t = CsvReader.read(csv("n.csv", "x,y\n1,2\n3,4\n"), CsvOptions.defaults());
        Path bad = csv("n2.csv", "x,y\n1,2\n3,4.5d\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CsvReader.read(bad, t.schema(), CsvOptions.defaults()));
        assertTrue(e.getMessage().contains("expected a number, got '4.5d'"), e.getMessage());
    }

    @Test
    void givenUtf16File_whenReading_thenOneClearError() throws IOException {
        Path p = dir.resolve("u16.csv");
        Files.write(p, "x,y\n1,2\n".getBytes(StandardCharsets.UTF_16));   // with a byte-order mark
        assertTrue(assertThrows(DataFormatException.class, () -> CsvReader.read(p, CsvOptions.defaults()))
                .getMessage().contains("looks like UTF-16"));
        Path le = dir.resolve("u16le.csv");
        Files.write(le, "x,y\n1,2\n".getBytes(StandardCharsets.UTF_16LE));  // no mark: NUL bytes
        assertTrue(assertThrows(DataFormatException.class, () -> CsvReader.read(le, CsvOptions.defaults()))
                .getMessage().contains("looks like UTF-16"));
        Path latin = dir.resolve("latin1.csv");
        Files.write(latin, "x,c\n1,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(assertThrows(DataFormatException.class, () -> CsvReader.read(latin, CsvOptions.defaults()))
                .getMessage().contains("line 2: is not valid UTF-8"));
    }

    @Test
    void givenOverlongRecordOrTooManyColumns_whenReading_thenLimitErrorsNamingTheLine() throws IOException {
        Path wide = dir.resolve("wide.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(wide))) {
            out.write("a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
            byte[] cells = "1,".repeat(1 << 16).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 4; i++) {
                out.write(cells);     // 262144 columns on line 3
            }
        }
        assertTrue(assertThrows(DataFormatException.class, () -> CsvReader.read(wide, CsvOptions.defaults()))
                .getMessage().contains("line 3: more than " + CsvLines.MAX_COLUMNS + " columns"));
        Path longLine = dir.resolve("long.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(longLine))) {
            out.write("a,b\n".getBytes(StandardCharsets.UTF_8));
            byte[] chunk = new byte[1 << 20];
            java.util.Arrays.fill(chunk, (byte) '7');
            for (int i = 0; i < 9; i++) {
                out.write(chunk);     // one 9 MiB cell on line 2
            }
        }
        assertTrue(assertThrows(DataFormatException.class, () -> CsvReader.read(longLine, CsvOptions.defaults()))
                .getMessage().contains("line 2: the record is longer than " + CsvLines.MAX_RECORD_CHARS));
    }

    @Test
    void givenDirectoryOrMissingOrUnterminatedQuote_whenReading_thenAccurateMessages() throws IOException {
        IOException d = assertThrows(IOException.class, () -> CsvReader.read(dir, CsvOptions.defaults()));
        assertTrue(d.getMessage().contains("is a directory"), d.getMessage());
        IOException m = assertThrows(java.nio.file.NoSuchFileException.class,
                () -> CsvReader.read(dir.resolve("nope.csv"), CsvOptions.defaults()));
        assertTrue(m.getMessage().contains("nope.csv"), m.getMessage());
        Path q = csv("open.csv", "x,y\n1,\"2\n3,4\n");
        assertTrue(assertThrows(DataFormatException.class, () -> CsvReader.read(q, CsvOptions.defaults()))
                .getMessage().contains("line 2: a quoted field is not closed"));
    }

    @Test
    void givenUnreadableFile_whenReading_thenPermissionDeniedNotNoSuchFile() throws IOException {
        Path p = csv("secret.csv", "x,y\n1,2\n");
        Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("---------"));
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(p), "running as root: every file is readable");
        IOException e = assertThrows(IOException.class, () -> CsvReader.read(p, CsvOptions.defaults()));
        assertTrue(e.getMessage().contains("permission denied (the data file is not readable)"), e.getMessage());
    }
}
