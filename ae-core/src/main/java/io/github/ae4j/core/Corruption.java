package io.github.ae4j.core;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Input corruption for denoising autoencoders: applied to training batches only (the target stays
 * the clean input); scoring always sees clean input.
 *
 * <p>Built-ins: {@link #none()}, {@link #gaussian(double)} (additive noise on the normalised
 * input), {@link #masking(double)} (each value set to zero with a probability).
 */
public interface Corruption {

    /**
     * Corrupts a batch.
     *
     * @param clean the clean, normalised batch; must not be modified
     * @param rng   the random generator to draw from (seeded by the trainer)
     * @return the corrupted batch, a new array
     */
    INDArray apply(INDArray clean, Random rng);

    /** @return a short description stored in model metadata, e.g. {@code gaussian(0.3)} */
    String describe();

    /** @return true for the no-op corruption */
    default boolean isNone() {
        return false;
    }

    /** @return no corruption */
    static Corruption none() {
        return None.INSTANCE;
    }

    /**
     * Additive Gaussian noise.
     *
     * @param stddev standard deviation, in normalised units; > 0
     * @return the corruption
     */
    static Corruption gaussian(double stddev) {
        if (!(stddev > 0) || !Double.isFinite(stddev)) {
            throw new IllegalArgumentException("gaussian noise stddev must be > 0, got " + stddev);
        }
        return new Corruption() {
            @Override
            public INDArray apply(INDArray clean, Random rng) {
                INDArray noise = Nd4j.randn(0.0, stddev, clean.ulike(), rng);
                return noise.addi(clean);
            }

            @Override
            public String describe() {
                return "gaussian(" + stddev + ")";
            }
        };
    }

    /**
     * Masking noise: each value is set to 0 with probability {@code p} (no rescaling).
     *
     * @param p the masking probability, in (0, 1)
     * @return the corruption
     */
    static Corruption masking(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("masking probability must be in (0, 1), got " + p);
        }
        return new Corruption() {
            @Override
            public INDArray apply(INDArray clean, Random rng) {
                INDArray u = Nd4j.rand(clean.ulike(), rng);
                INDArray keep = u.gt(p).castTo(clean.dataType());
                return keep.muli(clean);
            }

            @Override
            public String describe() {
                return "masking(" + p + ")";
            }
        };
    }

    /** The no-op corruption. */
    final class None implements Corruption {
        static final None INSTANCE = new None();

        private None() {
        }

        @Override
        public INDArray apply(INDArray clean, Random rng) {
            return clean;
        }

        @Override
        public String describe() {
            return "none";
        }

        @Override
        public boolean isNone() {
            return true;
        }
    }
}
