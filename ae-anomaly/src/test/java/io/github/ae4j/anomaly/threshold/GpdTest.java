package io.github.ae4j.anomaly.threshold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GpdTest {

    private static double[] sample(double gamma, double sigma, int n, long seed) {
        Random r = new Random(seed);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double u = 1 - r.nextDouble(); // (0, 1]
            y[i] = gamma == 0 ? -sigma * Math.log(u) : sigma / gamma * (Math.pow(u, -gamma) - 1);
        }
        return y;
    }

    @ParameterizedTest
    @CsvSource({"0.0, 1.0", "0.3, 2.0", "-0.2, 1.0", "0.8, 0.5", "-0.45, 3.0"})
    void givenGpdSample_whenFit_thenRecoversShapeAndScale(double gamma, double sigma) {
        double[] y = sample(gamma, sigma, 20_000, 11);
        Gpd g = Gpd.fit(y);
        assertEquals(gamma, g.gamma(), 0.05, () -> "fit " + g);
        assertEquals(sigma, g.sigma(), 0.06 * sigma, () -> "fit " + g);
        assertEquals(g.logLikelihood(y, y.length), g.logLikelihood(), 1e-6 * Math.abs(g.logLikelihood()));
    }

    @Test
    void givenFit_whenPerturbingParameters_thenLikelihoodOnlyDrops() {
        double[] y = sample(0.2, 1.5, 2000, 3);
        Gpd g = Gpd.fit(y);
        double best = g.logLikelihood(y, y.length);
        for (double dg : new double[] {-0.02, 0, 0.02}) {
            for (double ds : new double[] {0.98, 1, 1.02}) {
                if (dg == 0 && ds == 1) {
                    continue;
                }
                Gpd p = new Gpd(g.gamma() + dg, g.sigma() * ds, Double.NaN);
                assertTrue(p.logLikelihood(y, y.length) <= best + 1e-9, () -> "neighbour " + p + " beats " + g);
            }
        }
    }

    @Test
    void givenParameters_whenUpperQuantile_thenInverseOfSurvival() {
        for (Gpd g : new Gpd[] {new Gpd(0, 2, 0), new Gpd(0.4, 1, 0), new Gpd(-0.3, 1, 0)}) {
            for (double p : new double[] {0.5, 0.05, 1e-4}) {
                assertEquals(p, g.survival(g.upperQuantile(p)), 1e-9 * Math.max(1, 1 / p) * p, g::toString);
            }
        }
        assertEquals(-2 * Math.log(0.01), new Gpd(0, 2, 0).upperQuantile(0.01), 1e-12);
    }

    @Test
    void givenInvalidExcesses_whenFit_thenIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> Gpd.fit(new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> Gpd.fit(new double[] {1, -1}));
        assertThrows(IllegalArgumentException.class, () -> Gpd.fit(new double[] {0, 0, 0}));
        assertThrows(IllegalArgumentException.class, () -> Gpd.fit(new double[] {1, Double.POSITIVE_INFINITY}));
        assertThrows(IllegalArgumentException.class, () -> new Gpd(0, 0, 0));
    }
}
