package io.github.ae4j.core.testing;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Rank statistics for tests of modules that do not depend on ae-anomaly (which has the full
 * metrics): the area under the ROC curve as the Mann-Whitney statistic, ties counted as half.
 */
public final class Ranks {

    private Ranks() {
    }

    /**
     * AUROC of scores against 0/1 labels (1 = positive/anomaly).
     *
     * @param scores higher = more likely positive
     * @param labels 0/1
     * @return the AUROC
     */
    public static double auroc(double[] scores, int[] labels) {
        Integer[] idx = new Integer[scores.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, Comparator.comparingDouble(i -> scores[i]));
        double rankSumPos = 0;
        long pos = 0;
        int i = 0;
        while (i < idx.length) {
            int j = i;
            while (j + 1 < idx.length && scores[idx[j + 1]] == scores[idx[i]]) {
                j++;
            }
            double avgRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (labels[idx[k]] == 1) {
                    rankSumPos += avgRank;
                    pos++;
                }
            }
            i = j + 1;
        }
        long neg = scores.length - pos;
        if (pos == 0 || neg == 0) {
            throw new IllegalArgumentException("AUROC needs both classes");
        }
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }
}
