package io.github.ae4j.anomaly;

import java.util.List;
import java.util.Objects;

/**
 * Why a row scored as it did: the features with the largest share of its reconstruction error
 * (per-feature errors in the model's normalised space, divided by their sum).
 *
 * @param row      the row's index in the batch explained
 * @param score    the detector's anomaly score of the row
 * @param anomaly  whether the row is flagged ({@code score >= threshold})
 * @param features the top features, largest share first
 * @param latent      the latent term's part of the score (0 for scorers without one; see
 *                    {@link StandardizedScorer})
 * @param latentShare {@code latent} divided by the summed parts of the score, in [0, 1]
 */
public record Explanation(int row, double score, boolean anomaly, List<Contribution> features, double latent,
                          double latentShare) {

    /** Validates the record. */
    public Explanation {
        features = List.copyOf(Objects.requireNonNull(features, "features"));
    }

    /**
     * An explanation without a latent term.
     *
     * @param row      the row's index in the batch explained
     * @param score    the score
     * @param anomaly  whether the row is flagged
     * @param features the top features
     */
    public Explanation(int row, double score, boolean anomaly, List<Contribution> features) {
        this(row, score, anomaly, features, 0, 0);
    }

    /**
     * One feature's part of a row's reconstruction error.
     *
     * @param feature the feature's index in the row
     * @param name    its name: from the model's tabular schema, else {@code f<index>}
     * @param error   its reconstruction error (the loss's per-feature error, normalised space); with
     *                the {@link StandardizedScorer}, its part of the score (standardised error)
     * @param share   {@code error} divided by the row's summed error, in [0, 1] (0 for a row
     *                reconstructed exactly); with the {@link StandardizedScorer}, divided by the score
     */
    public record Contribution(int feature, String name, double error, double share) {
        /** Validates the record. */
        public Contribution {
            Objects.requireNonNull(name, "name");
        }
    }

    /** @return the feature indices, largest share first */
    public int[] featureIndices() {
        return features.stream().mapToInt(Contribution::feature).toArray();
    }
}
