package io.github.ae4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.internal.Subgraphs;
import io.github.ae4j.core.layers.NativeDense;
import io.github.ae4j.core.testing.Models;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The plain-Java path for one to {@link JavaChain#MAX_ROWS} rows: taken for chains of dense layers,
 * gives the batch path's errors for every built-in loss, and checks its input as the other paths do.
 */
class JavaChainTest {

    private static final ReconstructionLoss[] LOSSES = {ReconstructionLosses.mse(), ReconstructionLosses.mseSigmoid(),
        ReconstructionLosses.mae(), ReconstructionLosses.binaryCrossEntropy()};

    /** 16 - 10 (ReLU, NativeDense) - 6 (sigmoid) - [3] - 10 (ReLU) - 16. */
    private static AutoencoderSpec reluNet() {
        return AutoencoderSpec.of(16,
                (g, in, t) -> {
                    g.addLayer("e1", NativeDense.of(new DenseLayer.Builder().nOut(10).activation(Activation.RELU).build()), in);
                    g.addLayer("e2", new DenseLayer.Builder().nOut(6).activation(Activation.SIGMOID).build(), "e1");
                    return "e2";
                },
                Bottleneck.dense(3),
                (g, z, t) -> {
                    g.addLayer("d1", NativeDense.of(new DenseLayer.Builder().nOut(10).activation(Activation.RELU).build()), z);
                    g.addLayer("out", NativeDense.of(new DenseLayer.Builder().nOut(16).activation(Activation.IDENTITY).build()), "d1");
                    return "out";
                });
    }

    private static JavaChain javaChain(Autoencoder m) {
        ComputationGraph g = Subgraphs.instantiate(Subgraphs.upTo(m.sharedGraph().getConfiguration(),
                m.info().decoderOutput()), m.sharedGraph());
        LayerChain c = LayerChain.of(g);
        return c == null ? null : c.java();
    }

    @Test
    void givenDenseChains_whenScoringUpToFourRows_thenJavaPathEqualsBatchPath() {
        Nd4j.getRandom().setSeed(9);
        for (boolean relu : new boolean[] {false, true}) {
            int w = relu ? 16 : 12;
            INDArray data = Nd4j.rand(DataType.FLOAT, 200, w);
            for (ReconstructionLoss loss : LOSSES) {
                AutoencoderSpec spec = (relu ? reluNet() : Models.dense(12, 8, 3)).withLoss(loss);
                Autoencoder m = Autoencoder.fit(spec, data, TrainingConfig.defaults().withEpochs(2).withBatchSize(32)
                        .withValidationFraction(0).withPatience(0).withNormalization(Normalization.STANDARD));
                assertNotNull(javaChain(m), "a dense chain has a Java path");
                double[] batch = m.reconstructionError(data).toDoubleVector();   // 200 rows: the batch path
                for (int i = 0; i < 12; i++) {
                    double one = m.reconstructionError(data.getRow(i, true)).getDouble(0);
                    assertEquals(batch[i], one, 2e-6 * Math.max(1, Math.abs(batch[i])), loss.name() + " row " + i);
                    double vector = m.reconstructionError(data.getRow(i)).getDouble(0);   // a rank-1 row
                    assertEquals(one, vector, 0, loss.name() + " rank-1 row " + i);
                }
                INDArray four = m.reconstructionError(data.get(NDArrayIndex.interval(40, 44), NDArrayIndex.all()));
                assertEquals(4, four.length());
                for (int i = 0; i < 4; i++) {
                    assertEquals(batch[40 + i], four.getDouble(i), 2e-6 * Math.max(1, Math.abs(batch[40 + i])));
                }
                double[][] asArrays = {data.getRow(7).toDoubleVector()};
                assertEquals(batch[7], m.reconstructionError(asArrays)[0], 2e-6 * Math.max(1, Math.abs(batch[7])));
            }
        }
    }

    @Test
    void givenNonFiniteOrWrongWidthRow_whenScoring_thenSameErrorsAsOtherPaths() {
        INDArray data = Nd4j.rand(DataType.FLOAT, 100, 12);
        Autoencoder m = Autoencoder.fit(Models.dense(12, 8, 3), data, TrainingConfig.defaults().withEpochs(1)
                .withValidationFraction(0).withPatience(0));
        INDArray bad = data.getRow(0, true).dup();
        bad.putScalar(0, 5, Float.NaN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.reconstructionError(bad));
        assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
        IllegalArgumentException w = assertThrows(IllegalArgumentException.class,
                () -> m.reconstructionError(Nd4j.rand(DataType.FLOAT, 1, 11)));
        assertTrue(w.getMessage().contains("expected 12 features per row"), w.getMessage());
    }

    /**
     * MSE and MAE sum in eight float partial sums: equal to the sum in double within float rounding on ordinary rows,
     * and exact (the double sum) where a float partial sum would overflow.
     */
    @Test
    void givenOrdinaryAndHugeRows_whenRowErrorsAreSummed_thenTheyEqualTheSumInDouble() {
        java.util.Random r = new java.util.Random(3);
        for (int f : new int[] {1, 7, 8, 9, 784, 1001}) {
            float[] x = new float[f];
            float[] z = new float[f];
            for (int j = 0; j < f; j++) {
                x[j] = (float) r.nextGaussian();
                z[j] = (float) r.nextGaussian();
            }
            assertEquals(doubleSum(x, z, true) / f, JavaChain.rowError(x, z, ReconstructionLosses.mse()),
                    1e-6 * doubleSum(x, z, true) / f, "mse, " + f + " values");
            assertEquals(doubleSum(x, z, false) / f, JavaChain.rowError(x, z, ReconstructionLosses.mae()),
                    1e-6 * doubleSum(x, z, false) / f, "mae, " + f + " values");
            java.util.Arrays.fill(x, 3e19f);   // squares overflow the float range; the double sum does not
            double exact = doubleSum(x, z, true) / f;
            assertTrue(Double.isFinite(exact));
            assertEquals(exact, JavaChain.rowError(x, z, ReconstructionLosses.mse()), 1e-12 * exact, "huge, " + f);
        }
    }

    private static double doubleSum(float[] x, float[] z, boolean square) {
        double s = 0;
        for (int j = 0; j < x.length; j++) {
            double d = (double) x[j] - z[j];
            s += square ? d * d : Math.abs(d);
        }
        return s;
    }

    @Test
    void givenActivationOutsideTheJavaPath_whenBuilt_thenNoJavaChain() {
        AutoencoderSpec softplus = AutoencoderSpec.of(8,
                (g, in, t) -> {
                    g.addLayer("e", new DenseLayer.Builder().nOut(4).activation(Activation.SOFTPLUS).build(), in);
                    return "e";
                },
                Bottleneck.dense(2),
                (g, z, t) -> {
                    g.addLayer("out", new DenseLayer.Builder().nOut(8).activation(Activation.IDENTITY).build(), z);
                    return "out";
                });
        INDArray data = Nd4j.rand(DataType.FLOAT, 64, 8);
        Autoencoder m = Autoencoder.fit(softplus, data, TrainingConfig.defaults().withEpochs(1)
                .withValidationFraction(0).withPatience(0));
        assertNull(javaChain(m));
        double[] batch = m.reconstructionError(data).toDoubleVector();
        assertEquals(batch[3], m.reconstructionError(data.getRow(3, true)).getDouble(0), 1e-6);
    }
}
