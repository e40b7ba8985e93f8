package io.github.ae4j.dense;

import java.util.Locale;
import java.util.Objects;

/**
 * An activity penalty on the bottleneck, which makes the latent code sparse: most units are (close
 * to) zero for any one input. Added to the training objective by an {@link ActivityPenalty} layer
 * placed right after the {@code latent} vertex.
 *
 * <ul>
 *   <li>{@link #l1(double)}: {@code weight * mean over rows of sum_j |z_j|}, the L1 activity
 *       regulariser of sparse autoencoders (Goodfellow, Bengio &amp; Courville, <i>Deep Learning</i>,
 *       MIT Press 2016, section 14.2.1). Pairs best with a ReLU bottleneck, which then outputs exact
 *       zeros; with a linear bottleneck the network can partly evade it by shrinking the code and
 *       growing the decoder's weights (add {@code l2}).</li>
 *   <li>{@link #kl(double, double)}: {@code weight * sum_j KL(rho || rhoHat_j)}, where
 *       {@code rhoHat_j} is unit j's mean activation over the mini-batch and {@code rho} the target
 *       (A. Ng, "Sparse autoencoder", CS294A lecture notes, Stanford 2011). Needs activations in
 *       (0, 1): a sigmoid bottleneck.</li>
 * </ul>
 *
 * <p>The penalty is part of the training objective, so the training and validation losses that
 * the trainer reports (and early stopping watches) include it; reconstruction errors and anomaly
 * scores never do.
 *
 * @param kind   which penalty
 * @param weight the penalty's weight in the loss (0 for {@link Kind#NONE})
 * @param target the KL target mean activation {@code rho} in (0, 1) (0 unless {@link Kind#KL})
 */
public record Sparsity(Kind kind, double weight, double target) {

    /** The kinds of activity penalty. */
    public enum Kind {
        /** No penalty. */
        NONE,
        /** Mean absolute activation (L1). */
        L1,
        /** Kullback-Leibler divergence of each unit's mean activation from a target. */
        KL
    }

    /**
     * Validates the record.
     *
     * @param kind   which penalty
     * @param weight the penalty's weight: 0 for {@link Kind#NONE}, otherwise &gt; 0 and finite
     * @param target the KL target in (0, 1) for {@link Kind#KL}, otherwise 0
     */
    public Sparsity {
        Objects.requireNonNull(kind, "kind");
        switch (kind) {
            case NONE -> {
                if (weight != 0 || target != 0) {
                    throw new IllegalArgumentException("no sparsity takes weight 0 and target 0, got weight "
                            + weight + ", target " + target);
                }
            }
            case L1 -> {
                requireWeight(weight);
                if (target != 0) {
                    throw new IllegalArgumentException("L1 sparsity has no target (expected 0), got " + target);
                }
            }
            case KL -> {
                requireWeight(weight);
                if (!(target > 0 && target < 1)) {
                    throw new IllegalArgumentException("KL sparsity target must be in (0, 1), got " + target);
                }
            }
            default -> throw new IllegalArgumentException("unknown sparsity kind " + kind);
        }
    }

    private static void requireWeight(double weight) {
        if (!(weight > 0) || !Double.isFinite(weight)) {
            throw new IllegalArgumentException("sparsity weight must be > 0 and finite, got " + weight);
        }
    }

    /** @return no penalty */
    public static Sparsity none() {
        return new Sparsity(Kind.NONE, 0, 0);
    }

    /**
     * An L1 penalty on the bottleneck activations.
     *
     * @param weight the penalty weight, &gt; 0 (e.g. 1e-3 to 1e-1 for standardised data)
     * @return the sparsity
     */
    public static Sparsity l1(double weight) {
        return new Sparsity(Kind.L1, weight, 0);
    }

    /**
     * A KL sparsity target (sigmoid bottleneck only).
     *
     * @param target the desired mean activation of each unit, in (0, 1) (e.g. 0.05)
     * @param weight the penalty weight {@code beta}, &gt; 0 (e.g. 0.1 to 3)
     * @return the sparsity
     */
    public static Sparsity kl(double target, double weight) {
        return new Sparsity(Kind.KL, weight, target);
    }

    /** @return true when there is no penalty */
    public boolean isNone() {
        return kind == Kind.NONE;
    }

    /** @return a short description, e.g. {@code l1(0.001)}, {@code kl(0.05, 0.1)}, {@code none} */
    public String describe() {
        return switch (kind) {
            case NONE -> "none";
            case L1 -> "l1(" + weight + ")";
            case KL -> "kl(" + target + ", " + weight + ")";
        };
    }

    /** @return the lower-case name of the kind ({@code none}, {@code l1}, {@code kl}) */
    public String id() {
        return kind.name().toLowerCase(Locale.ROOT);
    }
}
