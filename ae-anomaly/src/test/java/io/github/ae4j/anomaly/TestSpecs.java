package io.github.ae4j.anomaly;

import io.github.ae4j.core.AutoencoderSpec;
import io.github.ae4j.core.Bottleneck;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Small dense autoencoder specs for this module's tests, built with lambdas (ae-anomaly depends on
 * ae-core only).
 */
public final class TestSpecs {

    private TestSpecs() {
    }

    /**
     * A dense autoencoder {@code input - hidden... - [latent] - ...hidden reversed - input} with tanh
     * hidden layers, a linear bottleneck and a linear output (MSE).
     *
     * @param input  values per row
     * @param latent bottleneck size
     * @param hidden hidden layer sizes of the encoder (the decoder mirrors them)
     * @return the spec
     */
    public static AutoencoderSpec dense(int input, int latent, int... hidden) {
        return AutoencoderSpec.of(input,
                (g, in, t) -> {
                    String prev = in;
                    for (int i = 0; i < hidden.length; i++) {
                        g.addLayer("enc" + i, new DenseLayer.Builder().nOut(hidden[i]).activation(Activation.TANH)
                                .build(), prev);
                        prev = "enc" + i;
                    }
                    return prev;
                },
                Bottleneck.dense(latent),
                (g, z, t) -> {
                    String prev = z;
                    for (int i = hidden.length - 1; i >= 0; i--) {
                        g.addLayer("dec" + i, new DenseLayer.Builder().nOut(hidden[i]).activation(Activation.TANH)
                                .build(), prev);
                        prev = "dec" + i;
                    }
                    g.addLayer("out", new DenseLayer.Builder().nOut(input).activation(Activation.IDENTITY).build(), prev);
                    return "out";
                }).withName("test dense " + input + "-" + java.util.Arrays.toString(hidden) + "-[" + latent + "]");
    }

    /**
     * Java rows as a float matrix.
     *
     * @param x rows
     * @return the matrix
     */
    public static INDArray matrix(double[][] x) {
        return Nd4j.createFromArray(x).castTo(DataType.FLOAT);
    }
}
