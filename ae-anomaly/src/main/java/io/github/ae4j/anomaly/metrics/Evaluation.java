package io.github.ae4j.anomaly.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A summary of scores against labels at one threshold (what {@code ae4j evaluate} reports), from
 * {@link Metrics#evaluate(double[], int[], double)}.
 *
 * @param n               number of rows
 * @param anomalies       number of rows labelled 1
 * @param auroc           area under the ROC curve
 * @param auprc           average precision
 * @param threshold       the threshold ({@code score >= threshold} is flagged)
 * @param confusion       confusion counts at the threshold
 * @param bestF1          the best F1 over all thresholds
 * @param bestF1Threshold the threshold reaching {@code bestF1}
 */
public record Evaluation(int n, int anomalies, double auroc, double auprc, double threshold, Confusion confusion,
                         double bestF1, double bestF1Threshold) {

    /** Validates the record. */
    public Evaluation {
        java.util.Objects.requireNonNull(confusion, "confusion");
    }

    /** @return precision at the threshold */
    public double precision() {
        return confusion.precision();
    }

    /** @return recall at the threshold */
    public double recall() {
        return confusion.recall();
    }

    /** @return F1 at the threshold */
    public double f1() {
        return confusion.f1();
    }

    /**
     * The values as a flat, ordered map of plain numbers (for JSON output): {@code n, anomalies,
     * auroc, auprc, threshold, precision, recall, f1, tp, fp, tn, fn, falsePositiveRate, bestF1,
     * bestF1Threshold}.
     *
     * @return the map
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", n);
        m.put("anomalies", anomalies);
        m.put("auroc", auroc);
        m.put("auprc", auprc);
        m.put("threshold", threshold);
        m.put("precision", precision());
        m.put("recall", recall());
        m.put("f1", f1());
        m.put("tp", confusion.tp());
        m.put("fp", confusion.fp());
        m.put("tn", confusion.tn());
        m.put("fn", confusion.fn());
        m.put("falsePositiveRate", confusion.falsePositiveRate());
        m.put("bestF1", bestF1);
        m.put("bestF1Threshold", bestF1Threshold);
        return m;
    }
}
