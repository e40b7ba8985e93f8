package io.github.ae4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.ae4j.anomaly.AnomalyDetector;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ae4j train --epochs 1} on a 1 GB CSV in a child JVM with a 512 MB heap: the file streams, the detector is
 * saved. Slow (it writes the gigabyte first):
 * {@code mvn -pl ae-examples -am test -Dsurefire.excludedGroups= -Dsurefire.groups=slow -Dtest=LargeCsvTrainTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("slow")
class LargeCsvTrainTest {

    @TempDir
    Path dir;

    @Test
    void givenOneGigabyteCsv_whenTrainingOneEpochAt512MbHeap_thenItStreamsAndSavesADetector() throws Exception {
        Path csv = dir.resolve("huge.csv");
        long rows = StreamingTrainTest.writeRows(csv, 1L << 30);
        Path model = dir.resolve("huge.ae4j");
        String out = StreamingTrainTest.trainInChild(csv, model, "-Xmx512m", 45);
        AnomalyDetector det = AnomalyDetector.load(model);
        assertEquals(12, det.model().inputSize());
        System.err.printf("trained one epoch on %,d rows (%,d bytes) at -Xmx512m%n%s", rows, Files.size(csv),
                out.lines().filter(l -> l.startsWith("saved")).findFirst().orElse(""));
    }
}
