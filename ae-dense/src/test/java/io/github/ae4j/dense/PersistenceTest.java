package io.github.ae4j.dense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.AutoencoderSpec;
import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.testing.Synthetic;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Save/load round trips of models using every dense option, including the custom penalty layer. */
class PersistenceTest {

    @TempDir
    Path tmp;

    private static final INDArray X = Nd4j.createFromArray(Synthetic.lowRank(600, 20, 3, 0.05, 11))
            .castTo(DataType.FLOAT);
    private static final TrainingConfig CONFIG = TrainingConfig.defaults().withEpochs(4).withBatchSize(32)
            .withNormalization(Normalization.STANDARD);

    @Test
    void givenSparseModelWithEveryOption_whenSavedAndLoaded_thenSameOutputsAndPenalty() throws Exception {
        Sparsity kl = Sparsity.kl(0.1, 0.5);
        AutoencoderSpec spec = DenseAutoencoder.builder(20).hidden(16).latent(6).latentActivation(Activation.SIGMOID)
                .sparsity(kl).batchNorm(true).dropout(0.1).l2(1e-4).build();
        Autoencoder model = Autoencoder.fit(spec, X, CONFIG);
        Path file = tmp.resolve("sparse.ae4j");
        model.save(file);

        Autoencoder loaded = Autoencoder.load(file);

        assertEquals(spec.name(), loaded.info().spec().get("name"));
        LayerVertex v = (LayerVertex) loaded.sharedGraph().getConfiguration().getVertices().get(DenseAutoencoder.SPARSITY);
        assertEquals(kl, assertInstanceOf(ActivityPenalty.class, v.getLayerConf().getLayer()).sparsity());
        assertEquals(model.encode(X), loaded.encode(X));
        assertEquals(model.reconstruct(X), loaded.reconstruct(X));
        INDArray z = model.encode(X);
        assertEquals(model.decode(z), loaded.decode(z));
        assertEquals(model.reconstruct(X), model.decode(z), "the penalty layer is the identity when decoding");
        DataSet ds = new DataSet(model.normalize(X), model.normalize(X));
        assertEquals(model.sharedGraph().score(ds, false), loaded.sharedGraph().score(ds, false), 1e-6,
                "the loaded graph's score includes the same penalty");

        Autoencoder further = loaded.continueTraining(X, CONFIG.withEpochs(2));
        assertTrue(Double.isFinite(further.reconstructionError(X).meanNumber().doubleValue()));
        assertEquals(6, further.encode(X).size(1));
    }

    @Test
    void givenL1SparseShallowModel_whenSavedAndLoaded_thenSameOutputs() throws Exception {
        AutoencoderSpec spec = DenseAutoencoder.builder(20).hidden().latent(5).latentActivation(Activation.RELU)
                .sparsity(Sparsity.l1(0.01)).build();
        Autoencoder model = Autoencoder.fit(spec, X, CONFIG);
        Path file = tmp.resolve("l1.ae4j");
        model.save(file);
        Autoencoder loaded = Autoencoder.load(file);
        assertEquals(model.reconstructionError(X), loaded.reconstructionError(X));
        assertEquals(model.encode(X), loaded.encode(X));
    }
}
