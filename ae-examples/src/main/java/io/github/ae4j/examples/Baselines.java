package io.github.ae4j.examples;

import java.util.Arrays;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The classical baselines of the quality benchmark, as {@code anomaly_eval.py} defines them: features
 * standardised with the training rows' mean and (population) standard deviation, a constant column
 * divided by 1; PCA keeping the fewest components that hold 90% of the variance (at most d - 1),
 * scored by the squared reconstruction error; kNN: mean Euclidean distance to the 5 nearest training
 * rows (at most 4,000 of them, a seeded subsample beyond); and an isolation forest (Liu, Ting &amp;
 * Zhou, ICDM 2008: 100 trees on 256-row subsamples, path lengths normalised by c(256)), written here.
 */
public final class Baselines {

    private Baselines() {
    }

    /**
     * Baseline scores of test rows, higher = more anomalous.
     *
     * @param pca     PCA reconstruction error
     * @param knn     kNN mean distance
     * @param iforest isolation-forest score
     */
    public record Scores(double[] pca, double[] knn, double[] iforest) {
    }

    /**
     * Computes the three baselines.
     *
     * @param train training rows (raw)
     * @param test  test rows (raw)
     * @param seed  seed of the isolation forest and of the kNN subsample
     * @return the scores of the test rows
     */
    public static Scores compute(double[][] train, double[][] test, long seed) {
        return compute(train, test, seed, true);
    }

    /**
     * Computes PCA and kNN, and the isolation forest when asked.
     *
     * @param train   training rows (raw)
     * @param test    test rows (raw)
     * @param seed    seed of the isolation forest and of the kNN subsample
     * @param iforest whether to fit the isolation forest (else its scores are all 0)
     * @return the scores of the test rows
     */
    public static Scores compute(double[][] train, double[][] test, long seed, boolean iforest) {
        int d = train[0].length;
        double[] mu = new double[d];
        double[] sd = new double[d];
        for (double[] r : train) {
            for (int j = 0; j < d; j++) {
                mu[j] += r[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mu[j] /= train.length;
        }
        for (double[] r : train) {
            for (int j = 0; j < d; j++) {
                sd[j] += (r[j] - mu[j]) * (r[j] - mu[j]);
            }
        }
        for (int j = 0; j < d; j++) {
            sd[j] = Math.sqrt(sd[j] / train.length);
            if (sd[j] == 0) {
                sd[j] = 1;
            }
        }
        double[][] a = standardise(train, mu, sd);
        double[][] b = standardise(test, mu, sd);
        return new Scores(pca(a, b), knn(a, b, 5, seed),
                iforest ? IsolationForest.fit(a, 100, 256, seed).score(b) : new double[b.length]);
    }

    private static double[][] standardise(double[][] x, double[] mu, double[] sd) {
        double[][] o = new double[x.length][mu.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < mu.length; j++) {
                o[i][j] = (x[i][j] - mu[j]) / sd[j];
            }
        }
        return o;
    }

    static double[] pca(double[][] a, double[][] b) {
        int d = a[0].length;
        int n = a.length;
        double[] c = new double[d];
        for (double[] r : a) {
            for (int j = 0; j < d; j++) {
                c[j] += r[j] / n;
            }
        }
        double[][] cov = new double[d][d];
        for (double[] r : a) {
            for (int i = 0; i < d; i++) {
                double vi = r[i] - c[i];
                for (int j = i; j < d; j++) {
                    cov[i][j] += vi * (r[j] - c[j]);
                }
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                cov[j][i] = cov[i][j];
            }
        }
        INDArray m = Nd4j.createFromArray(cov);
        INDArray ev = Eigen.symmetricGeneralizedEigenvalues(m, true);   // m now holds eigenvectors (columns)
        double[] vals = ev.toDoubleVector();
        Integer[] order = new Integer[d];
        for (int i = 0; i < d; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(vals[y], vals[x]));
        double total = 0;
        for (double v : vals) {
            total += Math.max(0, v);
        }
        int k = 0;
        double acc = 0;
        while (k < d) {
            acc += Math.max(0, vals[order[k]]);
            k++;
            if (acc / total >= 0.90) {
                break;
            }
        }
        k = d > 1 ? Math.min(k, d - 1) : 1;
        double[][] vec = m.toDoubleMatrix();
        double[] out = new double[b.length];
        for (int i = 0; i < b.length; i++) {
            double[] x = new double[d];
            for (int j = 0; j < d; j++) {
                x[j] = b[i][j] - c[j];
            }
            double[] res = x.clone();
            for (int p = 0; p < k; p++) {
                int col = order[p];
                double dot = 0;
                for (int j = 0; j < d; j++) {
                    dot += x[j] * vec[j][col];
                }
                for (int j = 0; j < d; j++) {
                    res[j] -= dot * vec[j][col];
                }
            }
            double s = 0;
            for (double v : res) {
                s += v * v;
            }
            out[i] = s;
        }
        return out;
    }

    static double[] knn(double[][] a, double[][] b, int k, long seed) {
        double[][] ref = a;
        if (a.length > 4000) {
            int[] idx = new int[a.length];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
            Random r = new Random(seed);
            for (int i = idx.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
            ref = new double[4000][];
            for (int i = 0; i < 4000; i++) {
                ref[i] = a[idx[i]];
            }
        }
        // squared distances |x|^2 + |r|^2 - 2 x.r, by blocks of 1,000 test rows (one matrix product each)
        INDArray refM = Nd4j.createFromArray(ref);
        INDArray refSq = refM.mul(refM).sum(1).reshape(1, ref.length);
        double[] out = new double[b.length];
        for (int from = 0; from < b.length; from += 1000) {
            int to = Math.min(b.length, from + 1000);
            INDArray x = Nd4j.createFromArray(Arrays.copyOfRange(b, from, to));
            INDArray xSq = x.mul(x).sum(1).reshape(to - from, 1);
            double[][] dist = x.mmul(refM.transpose()).muli(-2).addiColumnVector(xSq).addiRowVector(refSq)
                    .toDoubleMatrix();
            for (int i = 0; i < dist.length; i++) {
                double[] best = new double[k];
                Arrays.fill(best, Double.POSITIVE_INFINITY);
                for (double dd : dist[i]) {
                    if (dd < best[k - 1]) {
                        int p = k - 1;
                        while (p > 0 && best[p - 1] > dd) {
                            best[p] = best[p - 1];
                            p--;
                        }
                        best[p] = dd;
                    }
                }
                double sum = 0;
                for (double v : best) {
                    sum += Math.sqrt(Math.max(0, v));
                }
                out[from + i] = sum / k;
            }
        }
        return out;
    }

    /** A plain isolation forest. */
    static final class IsolationForest {
        private final Node[] trees;
        private final double c;

        private IsolationForest(Node[] trees, int sample) {
            this.trees = trees;
            this.c = averagePath(sample);
        }

        private record Node(int feature, double split, Node left, Node right, int size) {
        }

        static IsolationForest fit(double[][] a, int nTrees, int sampleSize, long seed) {
            Random r = new Random(seed * 7919 + 17);
            int psi = Math.min(sampleSize, a.length);
            int limit = (int) Math.ceil(Math.log(Math.max(2, psi)) / Math.log(2));
            Node[] trees = new Node[nTrees];
            for (int t = 0; t < nTrees; t++) {
                int[] idx = new int[a.length];
                for (int i = 0; i < idx.length; i++) {
                    idx[i] = i;
                }
                for (int i = 0; i < psi; i++) {
                    int j = i + r.nextInt(idx.length - i);
                    int tmp = idx[i];
                    idx[i] = idx[j];
                    idx[j] = tmp;
                }
                trees[t] = grow(a, Arrays.copyOf(idx, psi), 0, limit, r);
            }
            return new IsolationForest(trees, psi);
        }

        private static Node grow(double[][] a, int[] rows, int depth, int limit, Random r) {
            if (depth >= limit || rows.length <= 1) {
                return new Node(-1, 0, null, null, rows.length);
            }
            int d = a[0].length;
            int[] feats = new int[d];
            for (int j = 0; j < d; j++) {
                feats[j] = j;
            }
            for (int tries = 0; tries < d; tries++) {
                int pick = tries + r.nextInt(d - tries);
                int f = feats[pick];
                feats[pick] = feats[tries];
                feats[tries] = f;
                double lo = Double.POSITIVE_INFINITY;
                double hi = Double.NEGATIVE_INFINITY;
                for (int i : rows) {
                    lo = Math.min(lo, a[i][f]);
                    hi = Math.max(hi, a[i][f]);
                }
                if (hi > lo) {
                    double split = lo + r.nextDouble() * (hi - lo);
                    int[] left = Arrays.stream(rows).filter(i -> a[i][f] < split).toArray();
                    int[] right = Arrays.stream(rows).filter(i -> a[i][f] >= split).toArray();
                    return new Node(f, split, grow(a, left, depth + 1, limit, r), grow(a, right, depth + 1, limit, r),
                            rows.length);
                }
            }
            return new Node(-1, 0, null, null, rows.length);
        }

        double[] score(double[][] b) {
            double[] out = new double[b.length];
            for (int i = 0; i < b.length; i++) {
                double h = 0;
                for (Node t : trees) {
                    h += path(t, b[i], 0);
                }
                out[i] = Math.pow(2, -(h / trees.length) / c);
            }
            return out;
        }

        private static double path(Node n, double[] x, int depth) {
            if (n.feature() < 0) {
                return depth + averagePath(n.size());
            }
            return path(x[n.feature()] < n.split() ? n.left() : n.right(), x, depth + 1);
        }

        static double averagePath(int n) {
            if (n <= 1) {
                return 0;
            }
            if (n == 2) {
                return 1;
            }
            return 2 * (Math.log(n - 1) + 0.5772156649) - 2.0 * (n - 1) / n;
        }
    }
}
