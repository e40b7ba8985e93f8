package io.github.ae4j.conv.layers;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.activations.Activation;

/** Activation functions inside SameDiff layers (a subset of DL4J's {@link Activation}). */
final class SdActivations {

    /** The activations these layers support. */
    static final Set<Activation> SUPPORTED = EnumSet.of(Activation.IDENTITY, Activation.RELU, Activation.LEAKYRELU,
            Activation.ELU, Activation.SELU, Activation.GELU, Activation.SWISH, Activation.TANH, Activation.SIGMOID,
            Activation.SOFTPLUS, Activation.SOFTSIGN, Activation.HARDTANH, Activation.CUBE);

    /** The supported activations that never decrease, so that max(f(a), f(b)) = f(max(a, b)). */
    static final Set<Activation> MONOTONE = EnumSet.of(Activation.IDENTITY, Activation.RELU, Activation.LEAKYRELU,
            Activation.ELU, Activation.SELU, Activation.TANH, Activation.SIGMOID, Activation.SOFTPLUS,
            Activation.SOFTSIGN, Activation.HARDTANH, Activation.CUBE);

    /** Slope of the leaky ReLU for negative inputs (DL4J's default). */
    static final double LEAKY_ALPHA = 0.01;

    private SdActivations() {
    }

    static Activation require(Activation a, String what) {
        Objects.requireNonNull(a, what);
        if (!SUPPORTED.contains(a)) {
            throw new IllegalArgumentException(what + " " + a + " is not supported in convolution layers: expected one of "
                    + SUPPORTED);
        }
        return a;
    }

    static SDVariable apply(SameDiff sd, SDVariable x, Activation a) {
        switch (a) {
            case IDENTITY:
                return x;
            case LEAKYRELU:
                return sd.nn().leakyRelu(x, LEAKY_ALPHA);
            case SELU:
                return sd.nn().selu(x);
            case SWISH:
                return sd.nn().swish(x);
            default:
                return a.asSameDiff(sd, x);
        }
    }
}
