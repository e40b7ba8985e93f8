package io.github.ae4j.core.testing;

import java.util.Random;

/**
 * Synthetic data generators shared by the tests of every module (through ae-core's test jar).
 * All are deterministic for a given seed.
 */
public final class Synthetic {

    private Synthetic() {
    }

    /**
     * Rows near a random {@code rank}-dimensional linear subspace of {@code dims} dimensions, plus
     * small isotropic noise: the data an autoencoder with a bottleneck of {@code rank} compresses well.
     *
     * @param rows  number of rows
     * @param dims  values per row
     * @param rank  dimension of the subspace
     * @param noise standard deviation of the added noise
     * @param seed  the seed
     * @return the rows
     */
    public static double[][] lowRank(int rows, int dims, int rank, double noise, long seed) {
        Random r = new Random(seed);
        double[][] basis = new double[rank][dims];
        for (double[] b : basis) {
            for (int j = 0; j < dims; j++) {
                b[j] = r.nextGaussian();
            }
        }
        return lowRank(rows, basis, noise, r);
    }

    private static double[][] lowRank(int rows, double[][] basis, double noise, Random r) {
        int dims = basis[0].length;
        double[][] x = new double[rows][dims];
        for (int i = 0; i < rows; i++) {
            for (double[] b : basis) {
                double c = r.nextGaussian();
                for (int j = 0; j < dims; j++) {
                    x[i][j] += c * b[j];
                }
            }
            for (int j = 0; j < dims; j++) {
                x[i][j] += noise * r.nextGaussian();
            }
        }
        return x;
    }

    /**
     * Rows on a curved low-dimensional manifold (nonlinear: sines and products of {@code latent}
     * hidden factors), plus noise: where a nonlinear autoencoder beats PCA.
     *
     * @param rows   number of rows
     * @param dims   values per row
     * @param latent number of hidden factors
     * @param noise  noise standard deviation
     * @param seed   the seed
     * @return the rows
     */
    public static double[][] manifold(int rows, int dims, int latent, double noise, long seed) {
        Random r = new Random(seed);
        double[][] w = new double[dims][latent];
        double[] phase = new double[dims];
        for (int j = 0; j < dims; j++) {
            for (int k = 0; k < latent; k++) {
                w[j][k] = r.nextGaussian();
            }
            phase[j] = r.nextDouble() * Math.PI;
        }
        double[][] x = new double[rows][dims];
        for (int i = 0; i < rows; i++) {
            double[] z = new double[latent];
            for (int k = 0; k < latent; k++) {
                z[k] = r.nextGaussian();
            }
            for (int j = 0; j < dims; j++) {
                double s = 0;
                for (int k = 0; k < latent; k++) {
                    s += w[j][k] * z[k];
                }
                x[i][j] = Math.sin(s + phase[j]) + 0.3 * s + noise * r.nextGaussian();
            }
        }
        return x;
    }

    /**
     * Labelled data: normal rows from {@link #manifold} and anomalies in which {@code k} randomly
     * chosen features (or the given ones) are shifted by {@code shift} standard units.
     *
     * @param rows      total rows
     * @param dims      values per row
     * @param fraction  fraction of anomalies
     * @param shift     size of the shift
     * @param features  the features to shift in every anomaly (null: 2 random ones per anomaly)
     * @param seed      the seed
     * @return the data and labels
     */
    public static Labelled planted(int rows, int dims, double fraction, double shift, int[] features, long seed) {
        double[][] x = manifold(rows, dims, 3, 0.05, seed);
        Random r = new Random(seed + 1);
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            if (r.nextDouble() < fraction) {
                y[i] = 1;
                int[] f = features != null ? features : new int[] {r.nextInt(dims), r.nextInt(dims)};
                for (int j : f) {
                    x[i][j] += (r.nextBoolean() ? shift : -shift);
                }
            }
        }
        return new Labelled(x, y);
    }

    /**
     * Rows with labels (1 = anomaly).
     *
     * @param x the rows
     * @param y the labels
     */
    public record Labelled(double[][] x, int[] y) {
    }
}
