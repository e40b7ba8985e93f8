package io.github.ae4j.core.testing;

import io.github.ae4j.core.AutoencoderSpec;
import io.github.ae4j.core.Bottleneck;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.nd4j.linalg.activations.Activation;

/** Small architectures for tests that must not depend on ae-dense. */
public final class Models {

    private Models() {
    }

    /**
     * A dense autoencoder width - hidden - latent - hidden - width, written with core lambdas only.
     *
     * @param width  input width
     * @param hidden hidden units
     * @param latent bottleneck units
     * @return the spec (MSE loss)
     */
    public static AutoencoderSpec dense(int width, int hidden, int latent) {
        return AutoencoderSpec.of(width,
                (g, in, t) -> {
                    g.addLayer("enc", new DenseLayer.Builder().nOut(hidden).activation(Activation.TANH).build(), in);
                    return "enc";
                },
                Bottleneck.dense(latent),
                (g, z, t) -> {
                    g.addLayer("dec", new DenseLayer.Builder().nOut(hidden).activation(Activation.TANH).build(), z);
                    g.addLayer("out", new DenseLayer.Builder().nOut(width).activation(Activation.IDENTITY).build(), "dec");
                    return "out";
                }).withName("test dense " + width + "-" + hidden + "-[" + latent + "]");
    }
}
