package io.github.ae4j.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelsFileTest {

    @TempDir
    Path dir;

    private Path write(String text) throws Exception {
        Path p = dir.resolve("labels.csv");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void givenAHeaderInAnyOrder_whenRead_thenLabelsByNameInFileOrder() throws Exception {
        Map<String, Integer> m = LabelsFile.read(write("Label,File\ntrue,\"b, c.png\"\nnormal,a.png\n\n0,z.png\n"), 10);
        assertEquals(List.of("b, c.png", "a.png", "z.png"), List.copyOf(m.keySet()));
        assertEquals(List.of(1, 0, 0), List.copyOf(m.values()));
    }

    @Test
    void givenBadFiles_whenRead_thenErrorsNameFileRowLineAndColumn() throws Exception {
        assertEquals(write("").toString() + ": is empty: expected a header line with columns 'file' and 'label'",
                assertThrows(DataFormatException.class, () -> LabelsFile.read(write(""), 10)).getMessage());
        Path p = write("name,label\na.png,1\n");
        assertEquals(p + ": line 1: expected a header line with columns 'file' and 'label', found [name, label]"
                + " (no 'file')", assertThrows(DataFormatException.class, () -> LabelsFile.read(p, 10)).getMessage());
        Path twice = write("file,label\na.png,1\na.png,0\n");
        assertEquals(twice + ": row 1 (line 3), column 'file' (index 0): 'a.png' is labelled twice",
                assertThrows(DataFormatException.class, () -> LabelsFile.read(twice, 10)).getMessage());
        Path many = write("file,label\na,1\nb,1\nc,1\n");
        assertEquals(many + ": row 2 (line 4): has more rows than the 2 items it can label",
                assertThrows(DataFormatException.class, () -> LabelsFile.read(many, 2)).getMessage());
        Path empty = write("file,label\n,1\n");
        assertEquals(empty + ": row 0 (line 2), column 'file' (index 0): the name is empty",
                assertThrows(DataFormatException.class, () -> LabelsFile.read(empty, 2)).getMessage());
        Path none = write("file,label\n");
        assertEquals(none + ": has a header line but no rows",
                assertThrows(DataFormatException.class, () -> LabelsFile.read(none, 2)).getMessage());
    }
}
