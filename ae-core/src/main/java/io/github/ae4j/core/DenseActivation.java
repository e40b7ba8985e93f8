package io.github.ae4j.core;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;

/**
 * The activations the plain-Java dense paths ({@link JavaChain}, {@link DenseChainStep}) compute
 * themselves, each with its derivative written in terms of its output (what a backward pass that kept
 * only the activations needs). Same definitions as libnd4j's ops, in float.
 */
enum DenseActivation {
    IDENTITY, RELU, ELU, SIGMOID, TANH;

    /**
     * The activation matching a DL4J activation function exactly, or null (a ReLU with a threshold,
     * cut-off or negative slope, an ELU whose alpha is not 1, any other function).
     *
     * @param a DL4J's activation function
     * @return the activation, or null
     */
    static DenseActivation of(IActivation a) {
        if (a instanceof ActivationIdentity) {
            return IDENTITY;
        }
        if (a != null && a.getClass() == ActivationReLU.class && a.equals(new ActivationReLU())) {
            return RELU;
        }
        if (a != null && a.getClass() == ActivationELU.class && ((ActivationELU) a).getAlpha() == 1.0) {
            return ELU;
        }
        if (a instanceof ActivationSigmoid) {
            return SIGMOID;
        }
        if (a instanceof ActivationTanH) {
            return TANH;
        }
        return null;
    }

    /** @return the activation of one value */
    float apply(float z) {
        return switch (this) {
            case IDENTITY -> z;
            case RELU -> Math.max(z, 0f);
            case ELU -> z > 0f ? z : (float) Math.expm1(z);
            case SIGMOID -> (float) (1 / (1 + Math.exp(-z)));
            case TANH -> (float) Math.tanh(z);
        };
    }

    /** @return the derivative at the input whose activation is {@code y} */
    float derivativeAt(float y) {
        return switch (this) {
            case IDENTITY -> 1f;
            case RELU -> y > 0f ? 1f : 0f;
            case ELU -> y > 0f ? 1f : y + 1f;
            case SIGMOID -> y * (1f - y);
            case TANH -> 1f - y * y;
        };
    }
}
