package io.github.ae4j.anomaly.metrics;

import java.util.Arrays;
import java.util.Objects;

/**
 * Metrics of anomaly scores against 0/1 labels (1 = anomaly), in plain Java.
 *
 * <p>Conventions: a higher score means more anomalous; a row is flagged when
 * {@code score >= threshold}. Tied scores are indistinguishable: the ROC area counts a tied
 * (anomaly, normal) pair as half ordered (the Mann-Whitney statistic); average precision and the
 * best F1 only consider thresholds between distinct scores (all tied rows enter together, as in
 * scikit-learn); precision at k takes the expectation over the orders of the tied rows at the k-th
 * place.
 *
 * <p>Every method checks its input: non-null arrays of the same, non-zero length, scores that are
 * not NaN (infinite scores are allowed) and labels that are 0 or 1, or an
 * {@link IllegalArgumentException} names what is wrong.
 */
public final class Metrics {

    private Metrics() {
    }

    /**
     * The scores grouped by distinct value, highest first, with the number of anomalies and normal
     * rows at each value.
     */
    private record Groups(double[] value, long[] pos, long[] neg, long positives, long negatives) {
        int size() {
            return value.length;
        }
    }

    private static Groups groups(double[] scores, int[] labels) {
        check(scores, labels);
        int n = scores.length;
        double[] all = new double[n];
        int nPos = 0;
        for (int i = 0; i < n; i++) {
            all[i] = scores[i] + 0.0; // -0.0 becomes 0.0, so that equal values sort together
            nPos += labels[i];
        }
        double[] pos = new double[nPos];
        for (int i = 0, j = 0; i < n; i++) {
            if (labels[i] == 1) {
                pos[j++] = all[i];
            }
        }
        Arrays.sort(all);
        Arrays.sort(pos);
        double[] v = new double[n];
        long[] gp = new long[n];
        long[] gn = new long[n];
        int g = 0;
        int i = n - 1;
        int j = nPos - 1;
        while (i >= 0) {
            double x = all[i];
            long c = 0;
            while (i >= 0 && all[i] == x) {
                c++;
                i--;
            }
            long p = 0;
            while (j >= 0 && pos[j] == x) {
                p++;
                j--;
            }
            v[g] = x;
            gp[g] = p;
            gn[g] = c - p;
            g++;
        }
        return new Groups(Arrays.copyOf(v, g), Arrays.copyOf(gp, g), Arrays.copyOf(gn, g), nPos, n - nPos);
    }

    /**
     * The area under the ROC curve: the probability that a random anomaly scores higher than a
     * random normal row, ties counting one half (the Mann-Whitney U statistic divided by the number
     * of pairs). 1 is a perfect ranking, 0.5 a random one.
     *
     * @param scores one score per row, higher = more anomalous
     * @param labels one 0/1 label per row, 1 = anomaly
     * @return the AUROC in [0, 1]
     * @throws IllegalArgumentException on invalid input, or when one of the two classes is absent
     */
    public static double auroc(double[] scores, int[] labels) {
        Groups g = groups(scores, labels);
        requireBothClasses(g, "AUROC");
        double ordered = 0;
        long negAbove = 0;
        for (int k = 0; k < g.size(); k++) {
            long negBelow = g.negatives() - negAbove - g.neg()[k];
            ordered += g.pos()[k] * (negBelow + 0.5 * g.neg()[k]);
            negAbove += g.neg()[k];
        }
        return ordered / ((double) g.positives() * g.negatives());
    }

    /**
     * Average precision, the usual estimate of the area under the precision-recall curve:
     * {@code sum over thresholds of (R_k - R_{k-1}) * P_k}, with one threshold per distinct score
     * (as scikit-learn's {@code average_precision_score}). A random ranking scores about the
     * fraction of anomalies.
     *
     * @param scores one score per row, higher = more anomalous
     * @param labels one 0/1 label per row, 1 = anomaly
     * @return the average precision in [0, 1]
     * @throws IllegalArgumentException on invalid input, or when there is no anomaly
     */
    public static double auprc(double[] scores, int[] labels) {
        Groups g = groups(scores, labels);
        if (g.positives() == 0) {
            throw new IllegalArgumentException("average precision needs at least one anomaly (label 1), got none among "
                    + scores.length + " rows");
        }
        double ap = 0;
        long tp = 0;
        long fp = 0;
        for (int k = 0; k < g.size(); k++) {
            if (g.pos()[k] == 0) {
                fp += g.neg()[k];
                continue; // recall does not change: no contribution
            }
            tp += g.pos()[k];
            fp += g.neg()[k];
            double precision = (double) tp / (tp + fp);
            ap += precision * g.pos()[k] / g.positives();
        }
        return ap;
    }

    /**
     * Confusion counts when rows with {@code score >= threshold} are flagged.
     *
     * @param scores    one score per row
     * @param labels    one 0/1 label per row, 1 = anomaly
     * @param threshold the threshold (may be infinite)
     * @return the counts
     * @throws IllegalArgumentException on invalid input or a NaN threshold
     */
    public static Confusion confusion(double[] scores, int[] labels, double threshold) {
        check(scores, labels);
        if (Double.isNaN(threshold)) {
            throw new IllegalArgumentException("threshold is NaN");
        }
        int tp = 0;
        int fp = 0;
        int tn = 0;
        int fn = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean flagged = scores[i] >= threshold;
            if (labels[i] == 1) {
                if (flagged) {
                    tp++;
                } else {
                    fn++;
                }
            } else if (flagged) {
                fp++;
            } else {
                tn++;
            }
        }
        return new Confusion(tp, fp, tn, fn);
    }

    /**
     * Confusion counts of 0/1 predictions.
     *
     * @param predictions one 0/1 prediction per row, 1 = flagged
     * @param labels      one 0/1 label per row, 1 = anomaly
     * @return the counts
     * @throws IllegalArgumentException on arrays of different lengths or values other than 0/1
     */
    public static Confusion confusion(int[] predictions, int[] labels) {
        Objects.requireNonNull(predictions, "predictions");
        Objects.requireNonNull(labels, "labels");
        if (predictions.length != labels.length) {
            throw new IllegalArgumentException("expected as many labels as predictions, got " + labels.length
                    + " labels for " + predictions.length + " predictions");
        }
        requireBinary(predictions, "predictions");
        requireBinary(labels, "labels");
        int[] c = new int[4];
        for (int i = 0; i < labels.length; i++) {
            c[labels[i] * 2 + predictions[i]]++;
        }
        return new Confusion(c[3], c[1], c[0], c[2]);
    }

    /**
     * The best F1 over all thresholds: every distinct score is tried as a threshold
     * ({@code score >= threshold} flagged). Among thresholds with the same F1 the highest is chosen
     * (fewest flags).
     *
     * @param scores one score per row, higher = more anomalous
     * @param labels one 0/1 label per row, 1 = anomaly
     * @return the best F1, its threshold and its confusion counts
     * @throws IllegalArgumentException on invalid input, or when there is no anomaly
     */
    public static BestF1 bestF1(double[] scores, int[] labels) {
        Groups g = groups(scores, labels);
        if (g.positives() == 0) {
            throw new IllegalArgumentException("the best F1 needs at least one anomaly (label 1), got none among "
                    + scores.length + " rows");
        }
        long tp = 0;
        long fp = 0;
        double best = -1;
        int bestK = -1;
        long bestTp = 0;
        long bestFp = 0;
        for (int k = 0; k < g.size(); k++) {
            tp += g.pos()[k];
            fp += g.neg()[k];
            double f1 = 2.0 * tp / (2.0 * tp + fp + (g.positives() - tp));
            if (f1 > best) {
                best = f1;
                bestK = k;
                bestTp = tp;
                bestFp = fp;
            }
        }
        Confusion c = new Confusion((int) bestTp, (int) bestFp, (int) (g.negatives() - bestFp),
                (int) (g.positives() - bestTp));
        return new BestF1(c.f1(), g.value()[bestK], c);
    }

    /**
     * Precision at k: the fraction of anomalies among the k highest-scoring rows. When rows tied
     * with the k-th score straddle the cut, the tied rows count in proportion (the expected
     * precision over all orders of the tied rows), so the result never depends on input order.
     *
     * @param scores one score per row, higher = more anomalous
     * @param labels one 0/1 label per row, 1 = anomaly
     * @param k      how many rows, in [1, rows]
     * @return the precision at k in [0, 1]
     * @throws IllegalArgumentException on invalid input or k out of range
     */
    public static double precisionAtK(double[] scores, int[] labels, int k) {
        Groups g = groups(scores, labels);
        if (k < 1 || k > scores.length) {
            throw new IllegalArgumentException("k must be in [1, " + scores.length + "] (the number of rows), got " + k);
        }
        long taken = 0;
        double hits = 0;
        for (int i = 0; i < g.size() && taken < k; i++) {
            long size = g.pos()[i] + g.neg()[i];
            long take = Math.min(size, k - taken);
            hits += take == size ? g.pos()[i] : (double) g.pos()[i] * take / size;
            taken += take;
        }
        return hits / k;
    }

    /**
     * Everything {@code ae4j evaluate} reports, at one threshold.
     *
     * @param scores    one score per row, higher = more anomalous
     * @param labels    one 0/1 label per row, 1 = anomaly
     * @param threshold the detector's threshold ({@code score >= threshold} flagged)
     * @return the evaluation
     * @throws IllegalArgumentException on invalid input, or when one of the two classes is absent
     */
    public static Evaluation evaluate(double[] scores, int[] labels, double threshold) {
        Groups g = groups(scores, labels);
        requireBothClasses(g, "evaluation");
        BestF1 best = bestF1(scores, labels);
        return new Evaluation(scores.length, (int) g.positives(), auroc(scores, labels), auprc(scores, labels),
                threshold, confusion(scores, labels, threshold), best.f1(), best.threshold());
    }

    private static void requireBothClasses(Groups g, String what) {
        if (g.positives() == 0 || g.negatives() == 0) {
            throw new IllegalArgumentException(what + " needs both anomalies (label 1) and normal rows (label 0), got "
                    + g.positives() + " anomalies and " + g.negatives() + " normal rows");
        }
    }

    private static void check(double[] scores, int[] labels) {
        Objects.requireNonNull(scores, "scores");
        Objects.requireNonNull(labels, "labels");
        if (scores.length != labels.length) {
            throw new IllegalArgumentException("expected as many labels as scores, got " + labels.length
                    + " labels for " + scores.length + " scores");
        }
        if (scores.length == 0) {
            throw new IllegalArgumentException("scores are empty: expected at least one row");
        }
        for (int i = 0; i < scores.length; i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("scores must not be NaN, got NaN at index " + i);
            }
        }
        requireBinary(labels, "labels");
    }

    private static void requireBinary(int[] v, String what) {
        for (int i = 0; i < v.length; i++) {
            if (v[i] != 0 && v[i] != 1) {
                throw new IllegalArgumentException(what + " must be 0 or 1, got " + v[i] + " at index " + i);
            }
        }
    }
}
