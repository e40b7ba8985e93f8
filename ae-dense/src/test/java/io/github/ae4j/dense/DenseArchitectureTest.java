package io.github.ae4j.dense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.github.ae4j.core.ModelSpec;
import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.ReconstructionLosses;
import io.github.ae4j.core.data.DataKind;
import io.github.ae4j.core.plugin.ArchitectureRequest;
import io.github.ae4j.core.plugin.Architectures;
import io.github.ae4j.core.testing.Synthetic;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Issue 15: the data-sized dense model is the provider's, so {@code ae4j train}, {@code SparkMain train}
 * and a Java caller passing the rows get the same model.
 */
class DenseArchitectureTest {

    private static final INDArray ROWS = Nd4j.createFromArray(Synthetic.lowRank(300, 20, 4, 0.05, 7))
            .castTo(DataType.FLOAT);

    private static ModelSpec build(DataKind kind, Normalization n, Map<String, String> options, INDArray rows) {
        return Architectures.build("dense", new ArchitectureRequest(kind, 20, n, options, rows));
    }

    private static String graph(ModelSpec s) {
        return s.buildGraph(new Adam(1e-3), 1).toJson();
    }

    @Test
    void givenTrainingRowsOfATable_whenBuilding_thenSizedFromTheirVarianceAsTheDetectionPreset() {
        ModelSpec s = build(DataKind.table(), Normalization.STANDARD, Map.of(), ROWS);
        ModelSpec preset = DenseAutoencoder.forAnomalyDetection(ROWS).build();
        assertEquals(graph(preset), graph(s), "the same graph, hence the same training");
        assertEquals("dense", s.describe().get(Architectures.SPEC_KEY));
        assertNotEquals(graph(DenseAutoencoder.defaults(20).build()), graph(s));
    }

    @Test
    void givenNoRowsOrSizesOrImagesOrOtherScaling_whenBuilding_thenTheWidthRuleOrTheOptions() {
        String width = graph(DenseAutoencoder.defaults(20).build());
        assertEquals(width, graph(build(DataKind.table(), Normalization.STANDARD, Map.of(), null)));
        assertEquals(width, graph(build(DataKind.table(), Normalization.MINMAX, Map.of(), ROWS)));
        assertEquals(graph(DenseAutoencoder.defaults(20).latent(5).build()),
                graph(build(DataKind.table(), Normalization.STANDARD, Map.of(Architectures.LATENT, "5"), ROWS)));
        ModelSpec l = build(DataKind.table(), Normalization.STANDARD, Map.of(Architectures.LOSS, "mae"), ROWS);
        assertEquals(graph(DenseAutoencoder.forAnomalyDetection(ROWS).loss(ReconstructionLosses.mae()).build()),
                graph(l), "the loss option keeps the data-sized model");
        assertEquals("mae", l.loss().name());
    }

    @Test
    void givenRowCounts_whenAskingTrainingDefaults_thenBatchGrowsFrom2000RowsAndImagesHaveTheirOwn() {
        DenseArchitecture d = new DenseArchitecture();
        assertEquals(64, d.defaultTraining(DataKind.table(), 1999).batchSize());
        assertEquals(256, d.defaultTraining(DataKind.table(), 2000).batchSize());
        assertEquals(100, d.defaultTraining(DataKind.table(), 10).epochs());
        assertEquals(128, d.defaultTraining(DataKind.image(4, 5, 1), 10).batchSize());
        assertEquals(30, d.defaultTraining(DataKind.image(4, 5, 1), 10).epochs());
    }
}
