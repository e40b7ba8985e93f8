package io.github.ae4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.ae4j.core.internal.Halves;
import io.github.ae4j.core.internal.OpenMp;
import io.github.ae4j.core.internal.Sgemm;
import io.github.ae4j.core.internal.Subgraphs;
import io.github.ae4j.core.layers.NativeDense;
import io.github.ae4j.core.testing.Models;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link DenseChainScorer}: the errors of the dense-chain batch path (products on oneDNN/OpenBLAS, errors in Java)
 * equal the previous path's (the graph's output, then {@link FusedErrors}) for every built-in loss, with and without
 * normalisation, over several chunks; graphs it does not cover keep the graph path.
 */
@Tag("onednn")   // the direct products need the CPU backend's natives (excluded under -Pcuda)
class DenseChainScorerTest {

    private static final ReconstructionLoss[] LOSSES = {ReconstructionLosses.mse(), ReconstructionLosses.mseSigmoid(),
        ReconstructionLosses.mae(), ReconstructionLosses.binaryCrossEntropy()};

    /** 16 - 10 (ReLU) - 6 (ELU) - [3] - 10 (tanh) - 16. */
    private static AutoencoderSpec net() {
        return AutoencoderSpec.of(16,
                (g, in, t) -> {
                    g.addLayer("e1", NativeDense.of(new DenseLayer.Builder().nOut(10).activation(Activation.RELU).build()), in);
                    g.addLayer("e2", new DenseLayer.Builder().nOut(6).activation(Activation.ELU).build(), "e1");
                    return "e2";
                },
                Bottleneck.dense(3),
                (g, z, t) -> {
                    g.addLayer("d1", NativeDense.of(new DenseLayer.Builder().nOut(10).activation(Activation.TANH).build()), z);
                    g.addLayer("out", NativeDense.of(new DenseLayer.Builder().nOut(16).activation(Activation.IDENTITY).build()), "d1");
                    return "out";
                });
    }

    /** The graph the model scores with: up to the vertex its loss layer reads (the loss's activation is applied after). */
    private static ComputationGraph reconstruction(Autoencoder m) {
        var conf = m.sharedGraph().getConfiguration();
        String out = m.info().decoderOutput();
        if (conf.getVertices().get(out) instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv
                && lv.getLayerConf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.LossLayer) {
            out = conf.getVertexInputs().get(out).get(0);
        }
        return Subgraphs.instantiate(Subgraphs.upTo(conf, out), m.sharedGraph());
    }

    @Test
    void givenDenseChains_whenScoringManyRows_thenErrorsEqualTheGraphPath() {
        Nd4j.getRandom().setSeed(4);
        INDArray data = Nd4j.rand(DataType.FLOAT, 2 * DenseChainScorer.CHUNK + 77, 16).muli(3).subi(1);
        for (Normalization norm : new Normalization[] {Normalization.NONE, Normalization.STANDARD}) {
            for (ReconstructionLoss loss : LOSSES) {
                INDArray train = loss == ReconstructionLosses.binaryCrossEntropy() || loss == ReconstructionLosses.mseSigmoid()
                        ? Nd4j.rand(DataType.FLOAT, 300, 16) : data.getRows(java.util.stream.IntStream.range(0, 300).toArray());
                Autoencoder m = Autoencoder.fit(net().withLoss(loss), train, TrainingConfig.defaults().withEpochs(2)
                        .withBatchSize(32).withValidationFraction(0).withPatience(0).withNormalization(norm));
                ComputationGraph g = reconstruction(m);
                assertNotNull(DenseChainScorer.of(g), "a dense chain is scored on the direct path");
                INDArray x = loss == ReconstructionLosses.binaryCrossEntropy() || loss == ReconstructionLosses.mseSigmoid()
                        ? Nd4j.rand(DataType.FLOAT, data.rows(), 16) : data;
                double[] direct = m.reconstructionError(x).toDoubleVector();
                INDArray xn = m.normalizer().transform(x);
                INDArray z = g.outputSingle(false, xn);
                double[] graph = FusedErrors.perRow(loss, m.scoringActivation(), xn.dup(), z).toDoubleVector();
                assertEquals(graph.length, direct.length);
                DenseChainScorer scorer = DenseChainScorer.of(g);
                double[] own = scorer.errors(xn, loss).toDoubleVector();
                assertEquals(Sgemm.library() == Sgemm.Library.ONEDNN, scorer.fusedInUse(),
                        "full chunks use oneDNN's fused primitives exactly when oneDNN is the product library");
                // many rows: the model scores MSE and MAE with this scorer; the losses with a logarithm or exponential
                // per value through the layers and FusedErrors' vectorised ops (faster in bulk)
                boolean cheap = loss == ReconstructionLosses.mse() || loss == ReconstructionLosses.mae();
                for (int i = 0; i < graph.length; i++) {
                    if (cheap) {
                        assertEquals(own[i], direct[i], 0, "the model's path is this scorer's, row " + i);
                    }
                    double tol = 2e-5 * Math.max(1, Math.abs(graph[i]));
                    assertEquals(graph[i], direct[i], tol, norm + " " + loss.name() + " row " + i + " (model)");
                    assertEquals(graph[i], own[i], tol, norm + " " + loss.name() + " row " + i + " (scorer)");
                }
            }
        }
    }

    /**
     * Scoring reads the caller's rows without normalisation (no copy): no path may write into them. Until this
     * test, the graph path's binary cross-entropy turned them into {@code 1 - x} (FusedErrors' scratch use).
     */
    @Test
    void givenEveryLossAndBothPaths_whenScoringWithoutNormalisation_thenTheCallersRowsAreUnchanged() {
        AutoencoderSpec softplus = AutoencoderSpec.of(16,
                (g, in, t) -> {
                    g.addLayer("e", new DenseLayer.Builder().nOut(6).activation(Activation.SOFTPLUS).build(), in);
                    return "e";
                },
                Bottleneck.dense(3),
                (g, z, t) -> {
                    g.addLayer("out", new DenseLayer.Builder().nOut(16).activation(Activation.IDENTITY).build(), z);
                    return "out";
                });
        for (AutoencoderSpec spec : new AutoencoderSpec[] {net(), softplus}) {
            for (ReconstructionLoss loss : LOSSES) {
                INDArray x = Nd4j.rand(DataType.FLOAT, 1100, 16);
                Autoencoder m = Autoencoder.fit(spec.withLoss(loss), x, TrainingConfig.defaults().withEpochs(1)
                        .withValidationFraction(0).withPatience(0).withNormalization(Normalization.NONE));
                INDArray before = x.dup();
                m.reconstructionError(x);
                m.reconstructionError(x.getRows(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
                assertEquals(before, x, loss.name() + (spec == softplus ? " (graph path)" : " (dense chain)"));
            }
        }
    }

    @Test
    void givenANonFiniteValueDeepInABatch_whenScoring_thenTheErrorNamesItsRowAndColumn() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 2500, 16);
        Autoencoder m = Autoencoder.fit(net(), x, TrainingConfig.defaults().withEpochs(1).withValidationFraction(0)
                .withPatience(0).withNormalization(Normalization.NONE));
        // row 1900 lies in the second half of a full chunk (computed on the pool thread), 2100 in a partial chunk
        for (int row : new int[] {1900, 2100}) {
            for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                INDArray y = x.dup();
                y.putScalar(row, 3, bad);
                IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                        IllegalArgumentException.class, () -> m.reconstructionError(y));
                org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("row " + row + ", column 3"),
                        e.getMessage());
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(DenseChainScorer.finite(new float[] {Float.MAX_VALUE, -Float.MAX_VALUE,
            Float.MIN_VALUE, 0f, -0f}));
        org.junit.jupiter.api.Assertions.assertFalse(DenseChainScorer.finite(new float[] {1f, Float.NaN}));
        org.junit.jupiter.api.Assertions.assertFalse(DenseChainScorer.finite(new float[] {Float.NEGATIVE_INFINITY, 1f}));
    }

    /**
     * The fused path hands oneDNN raw addresses: many calls with collections in between (ND4J's deallocator thread
     * freeing buffers) must neither crash the JVM nor change the scores. A scratch variant of these primitives that
     * let a temporary handle be collected corrupted the native heap within ~1,800 calls (see OneDnnChain).
     */
    @Test
    void givenManyFusedCallsWithCollectionsBetween_whenScoring_thenSameScoresAndNoNativeFault() {
        INDArray x = Nd4j.rand(DataType.FLOAT, DenseChainScorer.CHUNK, 16);
        Autoencoder m = Autoencoder.fit(net(), x, TrainingConfig.defaults().withEpochs(1).withValidationFraction(0)
                .withPatience(0).withNormalization(Normalization.NONE));
        INDArray first = m.reconstructionError(x);
        for (int i = 0; i < 400; i++) {
            Nd4j.rand(DataType.FLOAT, 256, 256).mmul(Nd4j.rand(DataType.FLOAT, 256, 256));   // garbage to free
            INDArray e = m.reconstructionError(x);
            if (i % 50 == 0) {
                System.gc();
                assertEquals(first, e, "call " + i);
            }
        }
    }

    /**
     * A write into the parameters between two calls, even of one weight, reaches the next call's scores on both
     * paths (a full chunk and a partial one). It guards any cache of the weights: a scratch variant that multiplied
     * a packed copy of them, refreshed only when they differ, was measured (~1% faster, not kept).
     */
    @Test
    void givenParametersWrittenBetweenCalls_whenScoring_thenTheScoresFollowThem() {
        Nd4j.getRandom().setSeed(9);
        INDArray x = Nd4j.rand(DataType.FLOAT, DenseChainScorer.CHUNK + 5, 16);
        Autoencoder m = Autoencoder.fit(net(), x, TrainingConfig.defaults().withEpochs(1).withValidationFraction(0)
                .withPatience(0).withNormalization(Normalization.NONE));
        ComputationGraph g = reconstruction(m);
        DenseChainScorer scorer = DenseChainScorer.of(g);
        ReconstructionLoss mse = ReconstructionLosses.mse();
        double[] first = scorer.errors(x, mse).toDoubleVector();
        INDArray params = g.params();
        for (Runnable write : new Runnable[] {
            () -> params.putScalar(5, params.getFloat(5) + 1f),          // one weight of the first layer
            () -> params.muli(0.5),                                      // every parameter
            () -> params.putScalar(params.length() - 20, 3f)}) {         // one weight of the last layer
            write.run();
            double[] own = scorer.errors(x, mse).toDoubleVector();
            double[] graph = FusedErrors.perRow(mse, m.scoringActivation(), x.dup(), g.outputSingle(false, x))
                    .toDoubleVector();
            for (int i = 0; i < graph.length; i++) {
                assertEquals(graph[i], own[i], 2e-5 * Math.max(1, Math.abs(graph[i])), "row " + i);
            }
            org.junit.jupiter.api.Assertions.assertFalse(java.util.Arrays.equals(first, own), "the write changed the scores");
            first = own;
        }
    }

    /**
     * On a two-thread process full chunks run as two single-threaded halves side by side: their primitives are
     * created with the creating thread's OpenMP count set to 1, which must be restored (else every later ND4J op on
     * that thread would run on one core), and their scores equal the graph path's.
     */
    @Test
    void givenTwoThreads_whenScoringFullChunks_thenTwoHalvesAndTheThreadCountIsRestored() throws InterruptedException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Sgemm.library() == Sgemm.Library.ONEDNN && Halves.PARALLEL,
                "the halves need oneDNN and two processors");
        // a new thread's count is the process's; this thread's must still equal it after every earlier test
        int[] fresh = new int[1];
        Thread t = new Thread(() -> fresh[0] = OpenMp.threads());
        t.start();
        t.join();
        assertEquals(fresh[0], OpenMp.threads(), "no earlier scoring left this thread's OpenMP count changed");
        org.junit.jupiter.api.Assumptions.assumeTrue(fresh[0] == 2, "the halves apply to a two-thread process");
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2 * DenseChainScorer.CHUNK, 16);
        Autoencoder m = Autoencoder.fit(net(), x, TrainingConfig.defaults().withEpochs(1).withValidationFraction(0)
                .withPatience(0).withNormalization(Normalization.NONE));
        ComputationGraph g = reconstruction(m);
        DenseChainScorer scorer = DenseChainScorer.of(g);
        double[] halves = scorer.errors(x, ReconstructionLosses.mse()).toDoubleVector();
        org.junit.jupiter.api.Assertions.assertTrue(scorer.halvesInUse());
        assertEquals(2, OpenMp.threads(), "the creating thread's OpenMP thread count is restored");
        double[] graph = FusedErrors.perRow(ReconstructionLosses.mse(), m.scoringActivation(), x.dup(),
                g.outputSingle(false, x)).toDoubleVector();
        for (int i = 0; i < graph.length; i++) {
            assertEquals(graph[i], halves[i], 2e-5 * Math.max(1, Math.abs(graph[i])), "row " + i);
        }
    }

    /** A call of a few rows runs on one OpenMP thread and gives the calling thread its count back. */
    @Test
    void givenOneRow_whenScoring_thenTheSameScoreAndTheThreadCountIsRestored() throws InterruptedException {
        org.junit.jupiter.api.Assumptions.assumeTrue(OpenMp.cpu(), "the CPU backend's OpenMP count");
        int[] fresh = new int[1];
        Thread t = new Thread(() -> fresh[0] = OpenMp.threads());
        t.start();
        t.join();
        INDArray x = Nd4j.rand(DataType.FLOAT, 20, 16);
        Autoencoder m = Autoencoder.fit(net(), x, TrainingConfig.defaults().withEpochs(1).withValidationFraction(0)
                .withPatience(0).withNormalization(Normalization.STANDARD));
        double batch = m.reconstructionError(x).getDouble(7);
        assertEquals(fresh[0], OpenMp.threads());
        double one = m.reconstructionError(x.getRow(7, true)).getDouble(0);
        assertEquals(fresh[0], OpenMp.threads(), "the thread count is restored after a few-row call");
        assertEquals(batch, one, 1e-5 * Math.max(1, Math.abs(batch)));
    }

    @Test
    void givenALayerOutsideTheChain_whenBuilt_thenNoScorer() {
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
        Autoencoder m = Autoencoder.fit(softplus, Nd4j.rand(DataType.FLOAT, 64, 8), TrainingConfig.defaults().withEpochs(1)
                .withValidationFraction(0).withPatience(0));
        assertNull(DenseChainScorer.of(reconstruction(m)));
        assertNotNull(DenseChainScorer.of(reconstruction(Autoencoder.fit(Models.dense(8, 4, 2), Nd4j.rand(DataType.FLOAT, 64, 8),
                TrainingConfig.defaults().withEpochs(1).withValidationFraction(0).withPatience(0)))));
    }
}
