package io.github.ae4j.dense;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.testing.Synthetic;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dimensionalityreduction.PCA;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** 2-D projection of latent codes. */
class ProjectionTest {

    @Test
    void givenTwoDimensionalCodes_whenProjecting_thenCoordinatesAreTheCodes() {
        double[][] z = {{1, 2}, {3, -4}, {0.5, 0}};
        assertArrayEquals(z, Projection.of(z));
        Projection p = Projection.fit(z);
        assertTrue(p.isIdentity());
        double[] ratio = p.explainedVarianceRatio();
        assertEquals(1.0, ratio[0] + ratio[1], 1e-12);
        assertTrue(ratio[1] > ratio[0], "the second coordinate varies more");
    }

    @Test
    void givenOneDimensionalCodes_whenProjecting_thenSecondCoordinateIsZero() {
        assertArrayEquals(new double[][] {{1, 0}, {-2, 0}}, Projection.of(new double[][] {{1}, {-2}}));
    }

    @Test
    void givenCodesWithKnownPrincipalAxes_whenProjecting_thenMatchesPcaBaseline() {
        // 6-D codes: variance 9 along u1, 1 along u2, 0.01 elsewhere
        Random r = new Random(5);
        INDArray basis = orthonormal(6, r);
        double[][] rows = new double[500][6];
        for (double[] row : rows) {
            double a = 3 * r.nextGaussian();
            double b = r.nextGaussian();
            for (int j = 0; j < 6; j++) {
                row[j] = 2.0 + a * basis.getDouble(j, 0) + b * basis.getDouble(j, 1) + 0.1 * r.nextGaussian();
            }
        }
        INDArray z = Nd4j.createFromArray(rows);

        Projection p = Projection.fit(z);
        INDArray xy = p.transform(z);

        INDArray centred = z.subRowVector(z.mean(true, 0));
        INDArray baseline = centred.mmul(PCA.pca_factor(centred.dup('f'), 2, false));   // ND4J's PCA, column-major
        for (int k = 0; k < 2; k++) {
            INDArray mine = xy.get(NDArrayIndex.all(), NDArrayIndex.point(k));
            INDArray theirs = baseline.get(NDArrayIndex.all(), NDArrayIndex.point(k));
            double sign = Math.signum(mine.mul(theirs).sumNumber().doubleValue());
            assertTrue(mine.equalsWithEps(theirs.mul(sign), 1e-8), "component " + k + " differs from ND4J's PCA");
        }
        assertEquals(9.0, xy.get(NDArrayIndex.all(), NDArrayIndex.point(0)).varNumber().doubleValue(), 1.5);
        assertEquals(1.0, xy.get(NDArrayIndex.all(), NDArrayIndex.point(1)).varNumber().doubleValue(), 0.2);
        double[] ratio = p.explainedVarianceRatio();
        assertTrue(ratio[0] > 0.85 && ratio[1] > 0.08 && ratio[0] + ratio[1] > 0.98, java.util.Arrays.toString(ratio));
    }

    @Test
    void givenFittedProjection_whenTransformingOtherCodes_thenSameAxes() {
        double[][] train = Synthetic.lowRank(200, 5, 3, 0.1, 2);
        Projection p = Projection.fit(train);
        double[][] all = p.transform(Nd4j.createFromArray(train)).toDoubleMatrix();
        double[][] some = p.transform(Nd4j.createFromArray(new double[][] {train[7], train[42]})).toDoubleMatrix();
        assertArrayEquals(all[7], some[0], 1e-12);
        assertArrayEquals(all[42], some[1], 1e-12);
        assertArrayEquals(all, Projection.of(train));
    }

    @Test
    void givenBadCodes_whenProjecting_thenFailsNamingTheProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Projection.fit(new double[][] {{1, 2, 3}, {1, 2}}));
        assertTrue(e.getMessage().contains("expected 3 values per code, got 2 at row 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Projection.fit(new double[0][]));
        assertTrue(e.getMessage().contains("at least one code"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Projection.fit(new double[][] {{1, 2, Double.NaN}}));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        Projection p = Projection.fit(new double[][] {{1, 2, 3}, {2, 1, 0}, {0, 0, 1}});
        e = assertThrows(IllegalArgumentException.class, () -> p.transform(Nd4j.zeros(DataType.DOUBLE, 2, 4)));
        assertTrue(e.getMessage().contains("expected codes of shape [rows, 3], got [2, 4]"), e.getMessage());
    }

    @Test
    void givenSymmetricMatrix_whenJacobi_thenEigenpairsSatisfyDefinition() {
        Random r = new Random(9);
        double[][] a = new double[12][12];
        for (int i = 0; i < 12; i++) {
            for (int j = 0; j <= i; j++) {
                a[i][j] = a[j][i] = r.nextGaussian();
            }
        }
        INDArray m = Nd4j.createFromArray(a);
        double[][] v = new double[12][12];
        double[] values = Projection.jacobi(copy(a), v);
        INDArray vectors = Nd4j.createFromArray(v);
        INDArray lhs = m.mmul(vectors);
        INDArray rhs = vectors.mulRowVector(Nd4j.createFromArray(values));
        assertTrue(lhs.equalsWithEps(rhs, 1e-9));
        assertTrue(vectors.transpose().mmul(vectors).equalsWithEps(Nd4j.eye(12).castTo(DataType.DOUBLE), 1e-9));
    }

    @Test
    void givenTrainedModel_whenProjectingRows_thenTwoCoordinatesPerRowFromItsCodes() {
        INDArray x = Nd4j.createFromArray(Synthetic.lowRank(300, 12, 4, 0.05, 3)).castTo(DataType.FLOAT);
        Autoencoder m = Autoencoder.fit(DenseAutoencoder.builder(12).hidden(8).latent(4).build(), x,
                TrainingConfig.defaults().withEpochs(2));
        double[][] xy = Projection.of(m, x);
        assertEquals(300, xy.length);
        assertEquals(2, xy[0].length);
        INDArray z = m.encode(x);
        assertArrayEquals(Projection.fit(z).transform(z).toDoubleMatrix(), xy);
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    private static INDArray orthonormal(int n, Random r) {
        double[][] a = new double[n][n];
        for (double[] row : a) {
            for (int j = 0; j < n; j++) {
                row[j] = r.nextGaussian();
            }
        }
        double[][] sym = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    sym[i][j] += a[i][k] * a[j][k];
                }
            }
        }
        double[][] v = new double[n][n];
        Projection.jacobi(sym, v);
        return Nd4j.createFromArray(v);
    }
}
