package io.github.ae4j.core;

import java.util.Objects;
import org.nd4j.linalg.activations.Activation;

/**
 * The latent representation between encoder and decoder.
 *
 * <p>Either a dense layer of {@code size} units with an activation ({@link #dense(int)}), or the
 * encoder's own output taken as the code ({@link #encoderOutput(Activation)}, e.g. a convolutional
 * bottleneck): {@code size} is then {@link #FROM_ENCODER} and the real size is known once the graph
 * is built.
 *
 * @param size       number of latent units, or {@link #FROM_ENCODER}
 * @param activation activation of the latent units (identity gives a linear code)
 */
public record Bottleneck(int size, Activation activation) {

    /** Marks a bottleneck that takes the encoder's output as the code. */
    public static final int FROM_ENCODER = -1;

    /** Validates the record. */
    public Bottleneck {
        Objects.requireNonNull(activation, "activation");
        if (size < 1 && size != FROM_ENCODER) {
            throw new IllegalArgumentException("bottleneck size must be >= 1, got " + size);
        }
    }

    /**
     * A dense bottleneck of {@code size} linear units (identity activation).
     *
     * @param size number of latent units, at least 1
     * @return the bottleneck
     */
    public static Bottleneck dense(int size) {
        return new Bottleneck(size, Activation.IDENTITY);
    }

    /**
     * A dense bottleneck with an activation.
     *
     * @param size       number of latent units, at least 1
     * @param activation their activation
     * @return the bottleneck
     */
    public static Bottleneck dense(int size, Activation activation) {
        return new Bottleneck(size, activation);
    }

    /**
     * The encoder's output, passed through {@code activation}, is the latent code.
     *
     * @param activation activation applied to the encoder's output
     * @return the bottleneck
     */
    public static Bottleneck encoderOutput(Activation activation) {
        return new Bottleneck(FROM_ENCODER, activation);
    }

    /** @return true when the bottleneck is a dense layer of its own */
    public boolean isDense() {
        return size != FROM_ENCODER;
    }

    /**
     * A copy with another activation.
     *
     * @param a the activation
     * @return the copy
     */
    public Bottleneck withActivation(Activation a) {
        return new Bottleneck(size, a);
    }
}
