package io.github.ae4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one file-kind dispatcher: CSV (table or image rows), folders through a registered reader, errors. */
class DataFilesTest {

    @TempDir
    Path dir;

    @Test
    void givenFilesOfEachKind_whenRead_thenKindSchemaAndErrorsFollowTheFile() throws Exception {
        Path csv = dir.resolve("t.csv");
        Files.writeString(csv, "id,a,b,c,d,label\nx,1,2,3,4,0\ny,5,6,7,8,1\n");
        LoadedData t = DataFiles.read(csv, DataFiles.forTraining("label", "id", null));
        assertEquals(DataKind.table(), t.kind());
        assertArrayEquals(new int[] {0, 1}, t.labels());
        assertArrayEquals(new String[] {"x", "y"}, t.ids());
        // scoring with the model's schema: matched by name
        Path swapped = dir.resolve("s.csv");
        Files.writeString(swapped, "d,c,b,a\n4,3,2,1\n");
        LoadedData s = DataFiles.read(swapped, DataFiles.forModel(null, null, t.schema(), DataKind.table()));
        assertArrayEquals(t.x().getRow(0).toDoubleVector(), s.x().getRow(0).toDoubleVector(), 0);
        // CSV rows as images
        LoadedData img = DataFiles.read(csv, DataFiles.forTraining("label", "id", new int[] {2, 2, 1}));
        assertEquals(DataKind.image(2, 2, 1), img.kind());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DataFiles.read(csv,
                DataFiles.forTraining("label", "id", new int[] {3, 3, 1}))).getMessage().contains("needs 9"));
        assertThrows(NoSuchFileException.class, () -> DataFiles.read(dir.resolve("nope.csv"),
                DataFiles.forTraining(null, null, null)));
        // a folder: label/id columns do not apply; without ae-conv there is no reader for it
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DataFiles.read(dir,
                DataFiles.forTraining("label", null, null))).getMessage().contains("apply to CSV files"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DataFiles.read(dir,
                DataFiles.forTraining(null, null, null))).getMessage().contains("needs ae-conv"));
    }
}
