package io.github.ae4j.anomaly.metrics;

/**
 * Confusion counts of 0/1 predictions against 0/1 labels (1 = anomaly = positive), with the rates
 * derived from them.
 *
 * <p>Rates whose denominator is zero are 0 (as scikit-learn's {@code zero_division=0}): precision
 * when nothing is flagged, recall when there are no anomalies, F1 when precision and recall are
 * both 0, the false-positive rate when there are no normal rows.
 *
 * @param tp anomalies flagged
 * @param fp normal rows flagged
 * @param tn normal rows not flagged
 * @param fn anomalies not flagged
 */
public record Confusion(int tp, int fp, int tn, int fn) {

    /** Validates the record. */
    public Confusion {
        if (tp < 0 || fp < 0 || tn < 0 || fn < 0) {
            throw new IllegalArgumentException("confusion counts must be >= 0, got tp=" + tp + ", fp=" + fp
                    + ", tn=" + tn + ", fn=" + fn);
        }
    }

    /** @return tp / (tp + fp), or 0 when nothing is flagged */
    public double precision() {
        return ratio(tp, tp + fp);
    }

    /** @return tp / (tp + fn) (true-positive rate), or 0 when there are no anomalies */
    public double recall() {
        return ratio(tp, tp + fn);
    }

    /** @return the harmonic mean of precision and recall, 2tp / (2tp + fp + fn), or 0 when tp = 0 */
    public double f1() {
        return ratio(2L * tp, 2L * tp + fp + fn);
    }

    /** @return fp / (fp + tn), or 0 when there are no normal rows */
    public double falsePositiveRate() {
        return ratio(fp, (long) fp + tn);
    }

    /** @return (tp + tn) / total, or 0 when there are no rows */
    public double accuracy() {
        return ratio((long) tp + tn, total());
    }

    /** @return the number of rows */
    public long total() {
        return (long) tp + fp + tn + fn;
    }

    /** @return the number of anomalies (label 1) */
    public long positives() {
        return (long) tp + fn;
    }

    /** @return the number of flagged rows (prediction 1) */
    public long flagged() {
        return (long) tp + fp;
    }

    private static double ratio(long num, long den) {
        return den == 0 ? 0.0 : (double) num / den;
    }
}
