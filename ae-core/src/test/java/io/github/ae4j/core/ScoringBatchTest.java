package io.github.ae4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.ae4j.core.testing.Models;
import io.github.ae4j.core.testing.Synthetic;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Reconstruction errors of a call larger than {@link Autoencoder#SCORING_BATCH} rows (scored in internal
 * batches) equal those of the same rows scored in separate small calls, in order, at the batch edges too.
 */
class ScoringBatchTest {

    @Test
    void givenMoreRowsThanOneScoringBatch_whenScored_thenErrorsEqualSeparateCalls() {
        double[][] x = Synthetic.lowRank(800, 12, 3, 0.05, 4);
        TrainingConfig tc = TrainingConfig.defaults().withEpochs(2).withBatchSize(64).withSeed(1)
                .withValidationFraction(0).withNormalization(Normalization.STANDARD);
        Autoencoder m = Autoencoder.fit(Models.dense(12, 16, 3), x, tc);
        int n = 2 * Autoencoder.SCORING_BATCH + 37;
        INDArray rows = Nd4j.createFromArray(java.util.Arrays.copyOf(x, n)).castTo(DataType.FLOAT);
        INDArray all = m.reconstructionError(rows);
        assertEquals(n, all.length());
        for (int from = 0; from < n; from += 100) {
            int to = Math.min(n, from + 100);
            INDArray part = m.reconstructionError(rows.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup());
            for (int i = from; i < to; i++) {
                assertEquals(part.getDouble(i - from), all.getDouble(i), 1e-6 * Math.abs(all.getDouble(i)), "row " + i);
            }
        }
    }
}
