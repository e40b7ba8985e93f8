package io.github.ae4j.anomaly.metrics;

/**
 * The best F1 over all thresholds of a set of scores (see {@link Metrics#bestF1(double[], int[])}).
 *
 * @param f1        the best F1
 * @param threshold the threshold reaching it: rows with {@code score >= threshold} are flagged;
 *                  always one of the scores (the highest one reaching the best F1)
 * @param confusion the confusion counts at that threshold
 */
public record BestF1(double f1, double threshold, Confusion confusion) {

    /** Validates the record. */
    public BestF1 {
        java.util.Objects.requireNonNull(confusion, "confusion");
    }

    /** @return the precision at the best threshold */
    public double precision() {
        return confusion.precision();
    }

    /** @return the recall at the best threshold */
    public double recall() {
        return confusion.recall();
    }
}
