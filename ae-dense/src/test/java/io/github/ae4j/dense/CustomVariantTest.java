package io.github.ae4j.dense;

import static io.github.ae4j.dense.Digits.HELD_OUT;
import static io.github.ae4j.dense.Digits.TRAIN;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.AutoencoderSpec;
import io.github.ae4j.core.Encoder;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;

/** A custom dense variant built only from public API: a residual encoder with the standard dense decoder. */
class CustomVariantTest {

    @Test
    void givenResidualEncoder_whenTrainedOnDigits_thenHeldOutMseAtMostPca8() {
        // input -> proj(32) -> [fc(32, elu) -> fc(32)] + proj -> elu -> latent(8)
        Encoder residual = (g, input, in) -> {
            g.addLayer("proj", new DenseLayer.Builder().nOut(32).activation(Activation.IDENTITY).build(), input);
            g.addLayer("fc1", new DenseLayer.Builder().nOut(32).activation(Activation.ELU).build(), "proj");
            g.addLayer("fc2", new DenseLayer.Builder().nOut(32).activation(Activation.IDENTITY).build(), "fc1");
            g.addVertex("sum", new ElementWiseVertex(ElementWiseVertex.Op.Add), "proj", "fc2");
            g.addLayer("res", new ActivationLayer(Activation.ELU), "sum");
            return "res";
        };
        DenseAutoencoder.Builder dense = DenseAutoencoder.builder(64).hidden(32).latent(8);
        AutoencoderSpec spec = AutoencoderSpec.of(64, residual, dense.bottleneck(), dense.decoder())
                .withName("residual 64-32r-[8]-32-64");

        Autoencoder model = Autoencoder.fit(spec, TRAIN, Digits.config(120));

        double ae = model.reconstructionError(HELD_OUT).meanNumber().doubleValue();
        double pca = Digits.pcaMse(model.normalize(TRAIN), model.normalize(HELD_OUT), 8);
        DigitsQualityTest.report("residual 64-32r-[8]-32-64 held-out MSE %.5f, PCA(8) %.5f, ratio %.3f", ae, pca, ae / pca);
        assertTrue(ae <= pca, "residual autoencoder MSE " + ae + " should be at most PCA(8)'s " + pca);
    }
}
