package io.github.ae4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.ae4j.anomaly.Detection;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one row format of score, stream and serve: extra fields, and values that do not exist. */
class RowWriterTest {

    @Test
    void givenAnExtraField_whenRowsAreWritten_thenCsvAndJsonHaveScoresFieldsThenTheExtra() throws IOException {
        StringWriter csv = new StringWriter();
        RowWriter c = new RowWriter(csv, RowWriter.Format.CSV, false, false, 0, List.of("threshold"));
        c.header();
        c.write(0, Double.NaN, 0, Double.NaN, 1.5);
        c.write(1, 2.25, 1, 0.125, 1.75);
        assertEquals("row,score,anomaly,p_value,threshold\n0,,0,,1.5\n1,2.25,1,0.125,1.75\n", csv.toString());

        StringWriter json = new StringWriter();
        RowWriter j = new RowWriter(json, RowWriter.Format.JSON, false, false, 0, List.of("threshold"));
        j.header();
        j.write(0, Double.NaN, 0, Double.NaN, 1.5);
        j.write(1, 2.25, 1, 0.125, 1.75);
        assertEquals("{\"row\":0,\"score\":null,\"anomaly\":0,\"p_value\":null,\"threshold\":1.5}\n"
                + "{\"row\":1,\"score\":2.25,\"anomaly\":1,\"p_value\":0.125,\"threshold\":1.75}\n", json.toString());
    }

    @Test
    void givenScoredRows_whenWritten_thenScoresFormatIsUnchanged() throws IOException {
        Detection r = new Detection(new double[] {0.5, 3.0}, new int[] {0, 1}, new double[] {0.5, 0.01}, null);
        StringWriter csv = new StringWriter();
        RowWriter c = new RowWriter(csv, RowWriter.Format.CSV, true, true, 0);
        c.header();
        c.write(r, 10, new String[] {"a", "b,c"}, new int[] {0, 1});
        assertEquals("row,score,anomaly,p_value,id,label\n10,0.5,0,0.5,a,0\n11,3.0,1,0.01,\"b,c\",1\n", csv.toString());
        StringWriter json = new StringWriter();
        new RowWriter(json, RowWriter.Format.JSON, true, false, 0).write(r, 0, new String[] {"a", "b"}, null);
        assertEquals("{\"row\":0,\"score\":0.5,\"anomaly\":0,\"p_value\":0.5,\"id\":\"a\"}\n"
                + "{\"row\":1,\"score\":3.0,\"anomaly\":1,\"p_value\":0.01,\"id\":\"b\"}\n", json.toString());
    }

    @Test
    void givenAWriterWithExtras_whenABatchWithoutThemIsWritten_thenRefused() {
        RowWriter w = new RowWriter(new StringWriter(), RowWriter.Format.CSV, false, false, 0, List.of("threshold"));
        Detection r = new Detection(new double[] {1}, new int[] {0}, new double[] {1}, null);
        assertThrows(IllegalStateException.class, () -> w.write(r, 0, null, null));
        RowWriter ids = new RowWriter(new StringWriter(), RowWriter.Format.CSV, true, false, 0, List.of("threshold"));
        assertThrows(IllegalStateException.class, () -> ids.write(0, 1, 0, 1, 2));
    }
}
