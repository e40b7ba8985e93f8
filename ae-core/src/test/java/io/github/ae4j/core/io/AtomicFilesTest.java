package io.github.ae4j.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Temporary files of atomic writes: named with their process, cleaned when stale, never left by a failure. */
class AtomicFilesTest {

    @TempDir
    Path dir;

    private List<String> temps() throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).sorted().toList();
        }
    }

    @Test
    void givenTempFilesOfADeadAndALiveProcess_whenWritingBesideThem_thenOnlyTheDeadOnesAreRemoved() throws IOException {
        Path out = dir.resolve("scores.csv");
        Files.writeString(dir.resolve(".scores.csv.ae4j-999999999-3.tmp"), "killed -9 mid-write");
        // process 1 (init) is alive: its file might be an ongoing write and is kept
        Files.writeString(dir.resolve(".scores.csv.ae4j-1-3.tmp"), "someone else's");
        // temp files of other outputs are none of this write's business
        Files.writeString(dir.resolve(".other.csv.ae4j-999999999-1.tmp"), "other");
        AtomicFiles.write(out, o -> o.write("a,b\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals("a,b\n", Files.readString(out));
        assertEquals(List.of(".other.csv.ae4j-999999999-1.tmp", ".scores.csv.ae4j-1-3.tmp"), temps());
    }

    @Test
    void givenAWriteInProgress_whenSeen_thenItsTempFileNamesThisProcessAndIsRemovedOnFailure() throws IOException {
        Path out = dir.resolve("m.ae4j");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(out, o -> {
            List<String> t = temps();
            assertEquals(1, t.size());
            assertTrue(t.get(0).startsWith(".m.ae4j.ae4j-" + ProcessHandle.current().pid() + "-"), t.get(0));
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertTrue(temps().isEmpty());
        assertFalse(Files.exists(out));
    }
}
