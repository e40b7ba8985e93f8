package io.github.ae4j.core.testing;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dimensionalityreduction.PCA;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The baseline every quality floor is measured against: PCA with k components, fitted on training
 * rows (centred, optionally standardised like the autoencoder), scoring held-out rows by their
 * reconstruction error.
 */
public final class Pca {

    private final INDArray mean;
    private final INDArray components; // [features, k]

    private Pca(INDArray mean, INDArray components) {
        this.mean = mean;
        this.components = components;
    }

    /**
     * Fits PCA.
     *
     * @param x rows, [n, features]
     * @param k number of components
     * @return the fitted PCA
     */
    public static Pca fit(INDArray x, int k) {
        INDArray d = x.castTo(DataType.DOUBLE);
        INDArray mean = d.mean(0).reshape(1, d.size(1));
        INDArray centred = d.subRowVector(mean);
        // pca_factor hands the array to LAPACK as column-major: a row-major copy gives wrong components
        INDArray factors = PCA.pca_factor(centred.dup('f'), k, false);
        return new Pca(mean, factors);
    }

    /**
     * Reconstructions through the k components.
     *
     * @param x rows
     * @return reconstructions
     */
    public INDArray reconstruct(INDArray x) {
        INDArray c = x.castTo(DataType.DOUBLE).subRowVector(mean);
        INDArray z = c.mmul(components);
        return z.mmul(components.transpose()).addRowVector(mean);
    }

    /**
     * 2-D (or k-D) projection.
     *
     * @param x rows
     * @return codes [n, k]
     */
    public INDArray project(INDArray x) {
        return x.castTo(DataType.DOUBLE).subRowVector(mean).mmul(components);
    }

    /**
     * Per-row mean squared reconstruction error.
     *
     * @param x rows
     * @return errors [n]
     */
    public double[] rowErrors(INDArray x) {
        INDArray d = reconstruct(x).subi(x.castTo(DataType.DOUBLE));
        return d.muli(d).mean(1).toDoubleVector();
    }

    /**
     * Mean squared reconstruction error over all values.
     *
     * @param x rows
     * @return the MSE
     */
    public double mse(INDArray x) {
        INDArray d = reconstruct(x).subi(x.castTo(DataType.DOUBLE));
        return d.muli(d).meanNumber().doubleValue();
    }

    /**
     * Convenience: a double matrix as an ND4J array.
     *
     * @param x rows
     * @return the array
     */
    public static INDArray matrix(double[][] x) {
        return Nd4j.createFromArray(x);
    }
}
