package io.github.ae4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.ModelFile;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Every released model-file format keeps loading and giving the same results (see {@link GoldenFiles}). */
class GoldenFilesTest {

    @TempDir
    Path tmp;

    @Test
    void givenModelSavedInFormatV1_whenLoaded_thenSameErrorsAndCodesAsWhenSaved() throws Exception {
        Path model = tmp.resolve("model-v1.ae4j");
        try (InputStream in = getClass().getResourceAsStream("/golden/model-v1.ae4j")) {
            Files.copy(in, model);
        }
        Map<String, Object> expected;
        try (InputStream in = getClass().getResourceAsStream("/golden/model-v1-expected.json")) {
            expected = ModelFile.readJsonMap(in.readAllBytes());
        }
        double[][] inputs = toMatrix(expected.get("inputs"));
        Autoencoder m = Autoencoder.load(model);
        assertEquals(1, m.info().formatVersion());
        assertEquals(null, m.info().provenance(), "written before provenance was recorded");
        assertArrayEquals(toVector(expected.get("reconstructionErrors")), m.reconstructionError(inputs), 1e-6);
        double[][] codes = m.encode(Nd4j.createFromArray(inputs).castTo(DataType.FLOAT)).toDoubleMatrix();
        double[][] want = toMatrix(expected.get("codes"));
        for (int i = 0; i < want.length; i++) {
            assertArrayEquals(want[i], codes[i], 1e-6);
        }
    }

    @SuppressWarnings("unchecked")
    private static double[][] toMatrix(Object o) {
        List<List<Number>> rows = (List<List<Number>>) o;
        return rows.stream().map(r -> r.stream().mapToDouble(Number::doubleValue).toArray()).toArray(double[][]::new);
    }

    @SuppressWarnings("unchecked")
    private static double[] toVector(Object o) {
        return ((List<Number>) o).stream().mapToDouble(Number::doubleValue).toArray();
    }
}
