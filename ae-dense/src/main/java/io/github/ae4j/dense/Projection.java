package io.github.ae4j.dense;

import io.github.ae4j.core.Autoencoder;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * 2-D coordinates of latent codes, for scatter plots: the codes themselves when the bottleneck has
 * two units, {@code (z, 0)} when it has one, otherwise their projection on the first two principal
 * components of the codes it was fitted on (Pearson 1901; Hotelling 1933).
 *
 * <p>Fit once (e.g. on the training codes) and {@link #transform(INDArray)} any codes, so that
 * several sets share the same axes. Components are sign-normalised (largest loading positive), so
 * the same codes always give the same picture. Immutable and thread-safe.
 *
 * <pre>{@code
 * double[][] xy = Projection.of(model, rows);          // encode + project
 * Projection p = Projection.fit(model.encode(train));  // or keep the axes for other data
 * double[][] testXy = p.transform(model.encode(test)).toDoubleMatrix();
 * }</pre>
 *
 * <p>The principal axes come from a Jacobi eigen-decomposition of the codes' covariance matrix in
 * plain Java (exact for any code width; its cost grows as the cube of the width, milliseconds for
 * the widths autoencoders use).
 */
public final class Projection {

    private final int dimension;
    private final double[] mean;       // empty unless PCA
    private final double[][] axes;     // [2][dimension], empty unless PCA
    private final double[] explained;  // variance ratio of the two output axes

    private Projection(int dimension, double[] mean, double[][] axes, double[] explained) {
        this.dimension = dimension;
        this.mean = mean;
        this.axes = axes;
        this.explained = explained;
    }

    /**
     * Fits a projection to codes.
     *
     * @param codes latent codes, shape [rows, d], at least one row
     * @return the projection (the identity for d &lt;= 2)
     * @throws IllegalArgumentException when {@code codes} is empty, not a matrix, or not finite
     */
    public static Projection fit(INDArray codes) {
        Objects.requireNonNull(codes, "codes");
        if (codes.rank() != 2 || codes.size(0) < 1 || codes.size(1) < 1) {
            throw new IllegalArgumentException("expected codes as a matrix [rows, latent] with at least one row, got shape "
                    + Arrays.toString(codes.shape()));
        }
        INDArray z = codes.castTo(DataType.DOUBLE);
        requireFinite(z);
        int d = (int) z.size(1);
        long n = z.size(0);
        if (d <= 2) {
            double[] explained = new double[2];
            if (n > 1) {
                double[] var = z.var(0).toDoubleVector();
                double total = Arrays.stream(var).sum();
                for (int k = 0; k < d && total > 0; k++) {
                    explained[k] = var[k] / total;
                }
            }
            return new Projection(d, new double[0], new double[0][], explained);
        }
        INDArray mu = z.mean(true, 0);
        INDArray c = z.subRowVector(mu);
        double[][] cov = c.transpose().mmul(c).divi(Math.max(1, n - 1)).toDoubleMatrix();
        double total = 0;
        for (int i = 0; i < d; i++) {
            total += cov[i][i];
        }
        double[][] vectors = new double[d][d];
        double[] values = jacobi(cov, vectors);
        Integer[] order = new Integer[d];
        for (int i = 0; i < d; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));
        double[][] axes = new double[2][d];
        double[] explained = new double[2];
        for (int k = 0; k < 2; k++) {
            int col = order[k];
            int arg = 0;
            for (int i = 0; i < d; i++) {
                axes[k][i] = vectors[i][col];
                if (Math.abs(axes[k][i]) > Math.abs(axes[k][arg])) {
                    arg = i;
                }
            }
            if (axes[k][arg] < 0) {
                for (int i = 0; i < d; i++) {
                    axes[k][i] = -axes[k][i];
                }
            }
            explained[k] = total > 0 ? Math.max(0, values[col]) / total : 0;
        }
        return new Projection(d, mu.toDoubleVector(), axes, explained);
    }

    /**
     * Fits a projection to codes given as Java arrays.
     *
     * @param codes latent codes, one row each
     * @return the projection
     */
    public static Projection fit(double[][] codes) {
        return fit(matrix(codes));
    }

    /**
     * Projects codes with a projection fitted on them.
     *
     * @param codes latent codes, one row each
     * @return 2-D coordinates, one {@code [x, y]} row per code
     */
    public static double[][] of(double[][] codes) {
        INDArray z = matrix(codes);
        return fit(z).transform(z).toDoubleMatrix();
    }

    /**
     * Encodes rows with a model and projects their codes to 2-D (fitted on these codes).
     *
     * @param model the trained autoencoder
     * @param rows  raw input rows, shape [rows, model.inputSize()]
     * @return 2-D coordinates, one {@code [x, y]} row per input row
     */
    public static double[][] of(Autoencoder model, INDArray rows) {
        Objects.requireNonNull(model, "model");
        INDArray z = model.encode(rows);
        return fit(z).transform(z).toDoubleMatrix();
    }

    /**
     * Projects codes.
     *
     * @param codes latent codes, shape [rows, {@link #dimension()}]
     * @return coordinates, shape [rows, 2], double
     * @throws IllegalArgumentException when the codes have another width
     */
    public INDArray transform(INDArray codes) {
        Objects.requireNonNull(codes, "codes");
        if (codes.rank() != 2 || codes.size(1) != dimension) {
            throw new IllegalArgumentException("expected codes of shape [rows, " + dimension + "], got "
                    + Arrays.toString(codes.shape()));
        }
        INDArray z = codes.castTo(DataType.DOUBLE);
        if (dimension == 2) {
            return z.dup();
        }
        if (dimension == 1) {
            return Nd4j.hstack(z.dup(), Nd4j.zeros(DataType.DOUBLE, z.size(0), 1));
        }
        INDArray w = Nd4j.createFromArray(axes).transpose();                   // [d, 2]
        return z.subRowVector(Nd4j.createFromArray(mean).reshape(1, dimension)).mmul(w);
    }

    /** @return the code width this projection takes */
    public int dimension() {
        return dimension;
    }

    /** @return true when the codes are used as they are (width 1 or 2) */
    public boolean isIdentity() {
        return dimension <= 2;
    }

    /**
     * The fraction of the fitted codes' total variance along each output axis ({@code [1, 0]} for
     * width 1; zeros when the codes do not vary).
     *
     * @return two ratios
     */
    public double[] explainedVarianceRatio() {
        return explained.clone();
    }

    private static INDArray matrix(double[][] codes) {
        Objects.requireNonNull(codes, "codes");
        if (codes.length == 0) {
            throw new IllegalArgumentException("expected at least one code, got none");
        }
        int d = Objects.requireNonNull(codes[0], "codes[0]").length;
        for (int i = 0; i < codes.length; i++) {
            if (Objects.requireNonNull(codes[i], "codes[" + i + "]").length != d) {
                throw new IllegalArgumentException("expected " + d + " values per code, got "
                        + codes[i].length + " at row " + i);
            }
        }
        return Nd4j.createFromArray(codes);
    }

    private static void requireFinite(INDArray z) {
        double s = z.sumNumber().doubleValue();
        if (!Double.isFinite(s)) {
            throw new IllegalArgumentException("codes contain NaN or infinite values");
        }
    }

    /**
     * Cyclic Jacobi eigen-decomposition of a symmetric matrix (Golub &amp; Van Loan, Matrix
     * Computations, section 8.5).
     *
     * @param a       the matrix, destroyed
     * @param vectors receives the eigenvectors as columns
     * @return the eigenvalues, in column order
     */
    static double[] jacobi(double[][] a, double[][] vectors) {
        int n = a.length;
        for (int i = 0; i < n; i++) {
            Arrays.fill(vectors[i], 0);
            vectors[i][i] = 1;
        }
        double scale = 0;
        for (double[] row : a) {
            for (double v : row) {
                scale += v * v;
            }
        }
        double tol = 1e-24 * Math.max(scale, Double.MIN_NORMAL);
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off <= tol) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (a[p][q] == 0) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < n; k++) {
                        double vkp = vectors[k][p];
                        double vkq = vectors[k][q];
                        vectors[k][p] = c * vkp - s * vkq;
                        vectors[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = a[i][i];
        }
        return values;
    }
}
