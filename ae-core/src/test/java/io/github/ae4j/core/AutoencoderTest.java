package io.github.ae4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.testing.Models;
import io.github.ae4j.core.testing.Pca;
import io.github.ae4j.core.testing.Synthetic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

class AutoencoderTest {

    static INDArray train;
    static INDArray heldOut;
    static Autoencoder model;
    static final TrainingConfig CONFIG = TrainingConfig.defaults().withEpochs(40).withBatchSize(32)
            .withUpdater(new org.nd4j.linalg.learning.config.Adam(3e-3));

    @TempDir
    Path tmp;

    @BeforeAll
    static void trainOnce() {
        double[][] x = Synthetic.manifold(1500, 16, 2, 0.02, 7);
        INDArray all = Nd4j.createFromArray(x).castTo(DataType.FLOAT);
        train = all.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1200), org.nd4j.linalg.indexing.NDArrayIndex.all());
        heldOut = all.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1200, 1500), org.nd4j.linalg.indexing.NDArrayIndex.all());
        model = Autoencoder.fit(Models.dense(16, 24, 3), train, CONFIG);
    }

    @Test
    void givenTrainedModel_whenDecodingItsCodes_thenEqualsReconstruct() {
        INDArray z = model.encode(heldOut);
        assertEquals(3, z.size(1));
        assertEquals(3, model.latentSize());
        INDArray viaCodes = model.decode(z);
        INDArray direct = model.reconstruct(heldOut);
        assertTrue(viaCodes.equalsWithEps(direct, 1e-5), "decode(encode(x)) must equal reconstruct(x)");
    }

    @Test
    void givenTrainedModel_whenReconstructing_thenBeatsPcaWithSameLatentSizeAndReturnsRawSpace() {
        // the model standardises internally; reconstructions come back in raw units
        INDArray rec = model.reconstruct(heldOut);
        double aeMse = rec.sub(heldOut).norm2Number().doubleValue();
        double pcaMse = Pca.fit(train, 3).reconstruct(heldOut).sub(heldOut.castTo(DataType.DOUBLE))
                .norm2Number().doubleValue();
        assertTrue(aeMse < pcaMse, "AE error " + aeMse + " should beat PCA(3) " + pcaMse + " on curved data");
        double[] perRow = model.reconstructionError(heldOut).toDoubleVector();
        assertEquals(heldOut.size(0), perRow.length);
        INDArray perFeature = model.featureErrors(heldOut);
        assertArrayEquals(perRow, perFeature.mean(1).toDoubleVector(), 1e-5,
                "per-row error is the mean of the per-feature errors");
    }

    @Test
    void givenSavedModel_whenLoaded_thenIdenticalOutputsAndMetadata() throws Exception {
        Path f = tmp.resolve("model.ae4j");
        model.save(f);
        Autoencoder loaded = Autoencoder.load(f);
        assertEquals(model.reconstruct(heldOut), loaded.reconstruct(heldOut));
        assertEquals(model.encode(heldOut), loaded.encode(heldOut));
        assertEquals(model.reconstructionError(heldOut), loaded.reconstructionError(heldOut));
        assertEquals(model.decode(model.encode(heldOut)), loaded.decode(loaded.encode(heldOut)));
        assertEquals(model.normalizer(), loaded.normalizer());
        assertEquals(model.info().history(), loaded.info().history());
        assertEquals(Ae4j.VERSION, loaded.info().ae4jVersion());
        assertEquals("test dense 16-24-[3]", loaded.info().spec().get("name"));
        assertEquals(16, loaded.inputSize());
    }

    @Test
    void givenSameSeedAndData_whenTrainedTwice_thenIdenticalWeights() {
        TrainingConfig c = CONFIG.withEpochs(3);
        Autoencoder a = Autoencoder.fit(Models.dense(16, 24, 3), train, c);
        Autoencoder b = Autoencoder.fit(Models.dense(16, 24, 3), train, c);
        assertEquals(a.graph().params(), b.graph().params());
        Autoencoder other = Autoencoder.fit(Models.dense(16, 24, 3), train, c.withSeed(99));
        assertNotEquals(a.graph().params(), other.graph().params());
    }

    @Test
    void givenSeedZero_whenTrainedTwice_thenIdenticalWeights() {
        // libnd4j takes a native seed of 0 as "seed from the clock": ae4j must not hand it 0
        TrainingConfig c = CONFIG.withEpochs(2).withSeed(0);
        Autoencoder a = Autoencoder.fit(Models.dense(16, 24, 3), train, c);
        Autoencoder b = Autoencoder.fit(Models.dense(16, 24, 3), train, c);
        assertEquals(a.graph().params(), b.graph().params());
        assertNotEquals(0, TrainingConfig.nativeSeed(0));
        assertEquals(7, TrainingConfig.nativeSeed(7));
    }

    @Test
    void givenPatience_whenValidationStopsImproving_thenStopsEarlyAndRestoresBestWeights() throws Exception {
        // a high learning rate makes the validation loss bounce, so the last epoch is rarely the best
        Path ckpt = tmp.resolve("best.ae4j");
        List<EpochReport> reports = new ArrayList<>();
        TrainingConfig c = CONFIG.withEpochs(200).withPatience(3).withMinDelta(0.0)
                .withUpdater(new Sgd(0.3)).withCheckpoint(ckpt);
        Autoencoder m = Autoencoder.fit(Models.dense(16, 24, 3), train, c, new TrainingListener() {
            @Override
            public void onEpochEnd(EpochReport r) {
                reports.add(r);
            }
        });
        assertEquals("early-stopping", m.info().stopReason());
        assertTrue(reports.size() < 200);
        int best = 0;
        for (int i = 0; i < reports.size(); i++) {
            if (reports.get(i).validationLoss() < reports.get(best).validationLoss()) {
                best = i;
            }
        }
        assertEquals(reports.size() - 1 - 3, best, "stops `patience` epochs after the best one");
        // the checkpoint holds the best epoch's weights, and so does the returned model
        assertEquals(Autoencoder.load(ckpt).graph().params(), m.graph().params());
    }

    @Test
    void givenHugeLearningRate_whenTraining_thenDivergenceIsReportedWithTheEpoch() {
        double[][] x = Synthetic.lowRank(400, 8, 2, 0.1, 3);
        for (double[] row : x) {
            for (int j = 0; j < row.length; j++) {
                row[j] *= 1e4;
            }
        }
        TrainingConfig c = TrainingConfig.defaults().withEpochs(20).withNormalization(Normalization.NONE)
                .withUpdater(new Sgd(10.0));
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> Autoencoder.fit(Models.dense(8, 8, 2), x, c));
        assertTrue(e.epoch() >= 1);
        assertTrue(e.getMessage().contains("epoch " + e.epoch()), e.getMessage());
    }

    @Test
    void givenDivergenceAfterGoodEpochs_whenTraining_thenTheBestWeightsBeforeItAreKept() {
        // epochs 1-3 train normally; at the start of epoch 4 the weights are poisoned, so the first batch
        // of epoch 4 gives a NaN loss. The exception must carry the weights of the best epoch among 1-3.
        List<INDArray> endOfEpoch = new ArrayList<>();
        List<Double> valLoss = new ArrayList<>();
        TrainingListener poison = new TrainingListener() {
            @Override
            public void onEpochStart(int epoch, org.deeplearning4j.nn.graph.ComputationGraph graph) {
                if (epoch > 1) {
                    endOfEpoch.add(graph.params().dup());
                }
                if (epoch == 4) {
                    graph.params().putScalar(0, Double.NaN);
                }
            }

            @Override
            public void onEpochEnd(EpochReport r) {
                valLoss.add(r.validationLoss());
            }
        };
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> Autoencoder.fit(Models.dense(16, 24, 3), train, CONFIG.withEpochs(10).withPatience(0), poison));
        assertEquals(4, e.epoch(), e.getMessage());
        assertTrue(e.getMessage().contains("best weights"), e.getMessage());
        assertEquals(3, endOfEpoch.size());
        int best = 0;   // the trainer's rule: an epoch is best when it improves by more than minDelta
        for (int i = 1; i < 3; i++) {
            double b = valLoss.get(best);
            if (valLoss.get(i) < b - CONFIG.minDelta() * Math.abs(b)) {
                best = i;
            }
        }
        Autoencoder kept = e.bestModel().orElseThrow();
        assertEquals(3, kept.info().history().size());
        INDArray keptParams = kept.graph().params();
        assertEquals(endOfEpoch.get(best), keptParams, "the weights at the end of epoch " + (best + 1)
                + " (validation losses " + valLoss + ")");
        double err = kept.reconstructionError(heldOut).meanNumber().doubleValue();
        assertTrue(Double.isFinite(err), "the kept model scores: " + err);
    }

    @Test
    void givenTrainedModel_whenContinuingOnNewData_thenWarmStartImprovesAndKeepsNormalizer() {
        Autoencoder first = Autoencoder.fit(Models.dense(16, 24, 3), train, CONFIG.withEpochs(2));
        double before = first.reconstructionError(heldOut).meanNumber().doubleValue();
        Autoencoder more = first.continueTraining(train, CONFIG.withEpochs(6));
        double after = more.reconstructionError(heldOut).meanNumber().doubleValue();
        assertTrue(after < before, "warm start should keep improving: " + before + " -> " + after);
        assertEquals(first.normalizer(), more.normalizer());
        assertEquals(first.info().history().size() + 6, more.info().history().size());
        // the original is untouched
        assertEquals(before, first.reconstructionError(heldOut).meanNumber().doubleValue(), 0.0);
    }

    @Test
    void givenBadInput_whenScoring_thenClearErrors() {
        IllegalArgumentException w = assertThrows(IllegalArgumentException.class,
                () -> model.reconstructionError(Nd4j.zeros(DataType.FLOAT, 4, 15)));
        assertTrue(w.getMessage().contains("expected 16 features per row, got 15"), w.getMessage());
        INDArray nan = heldOut.dup();
        nan.putScalar(2, 5, Double.NaN);
        IllegalArgumentException n = assertThrows(IllegalArgumentException.class, () -> model.encode(nan));
        assertTrue(n.getMessage().contains("row 2, column 5"), n.getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.reconstruct(Nd4j.zeros(DataType.FLOAT, 0, 16)));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        IllegalArgumentException j = assertThrows(IllegalArgumentException.class,
                () -> model.reconstructionError(new double[][] {new double[16], new double[3]}));
        assertTrue(j.getMessage().contains("row 1"), j.getMessage());
        IllegalArgumentException d = assertThrows(IllegalArgumentException.class,
                () -> model.decode(Nd4j.zeros(DataType.FLOAT, 2, 4)));
        assertTrue(d.getMessage().contains("expected 3 latent values per row, got 4"), d.getMessage());
    }

    @Test
    void givenBadTrainingData_whenFitting_thenClearErrors() {
        double[][] x = Synthetic.lowRank(50, 8, 2, 0.1, 3);
        x[7][3] = Double.POSITIVE_INFINITY;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Autoencoder.fit(Models.dense(8, 8, 2), x, CONFIG));
        assertTrue(e.getMessage().contains("row 7, column 3"), e.getMessage());
        IllegalArgumentException w = assertThrows(IllegalArgumentException.class,
                () -> Autoencoder.fit(Models.dense(9, 8, 2), Synthetic.lowRank(50, 8, 2, 0.1, 3), CONFIG));
        assertTrue(w.getMessage().contains("expected 9 values per row, got 8"), w.getMessage());
    }

    @Test
    void givenConstantColumn_whenStandardising_thenNoDivisionByZero() {
        double[][] x = Synthetic.lowRank(300, 8, 2, 0.1, 5);
        for (double[] row : x) {
            row[4] = 42.0;
        }
        Autoencoder m = Autoencoder.fit(Models.dense(8, 8, 2), x, CONFIG.withEpochs(2));
        assertEquals(1.0, m.normalizer().scale()[4]);
        double[] err = m.reconstructionError(x);
        for (double v : err) {
            assertTrue(Double.isFinite(v));
        }
    }

    @Test
    void givenBadSpecs_whenBuilding_thenClearErrors() {
        IllegalArgumentException wide = assertThrows(IllegalArgumentException.class,
                () -> AutoencoderSpec.of(8, (g, in, t) -> in, Bottleneck.dense(8), (g, z, t) -> z));
        assertTrue(wide.getMessage().contains("not smaller than the input"), wide.getMessage());
        AutoencoderSpec wrongDecoder = AutoencoderSpec.of(8,
                (g, in, t) -> {
                    g.addLayer("e", new DenseLayer.Builder().nOut(4).activation(Activation.RELU).build(), in);
                    return "e";
                },
                Bottleneck.dense(2),
                (g, z, t) -> {
                    g.addLayer("d", new DenseLayer.Builder().nOut(7).activation(Activation.IDENTITY).build(), z);
                    return "d";
                });
        IllegalArgumentException dec = assertThrows(IllegalArgumentException.class,
                () -> wrongDecoder.buildGraph(new Sgd(0.1), 1));
        assertTrue(dec.getMessage().contains("decoder output 'd' has 7 values"), dec.getMessage());
        AutoencoderSpec noVertex = AutoencoderSpec.of(8, (g, in, t) -> "nope", Bottleneck.dense(2), (g, z, t) -> z);
        IllegalArgumentException nv = assertThrows(IllegalArgumentException.class,
                () -> noVertex.buildGraph(new Sgd(0.1), 1));
        assertTrue(nv.getMessage().contains("'nope'"), nv.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Bottleneck.dense(0));
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.defaults().withEpochs(0));
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.defaults().withValidationFraction(1.5));
    }
}
