package io.github.ae4j.anomaly.threshold;

import java.util.Objects;

/**
 * A generalized Pareto distribution of excesses over a threshold, with shape {@code gamma} and
 * scale {@code sigma}: {@code P(Y > y) = (1 + gamma y / sigma)^(-1/gamma)} ({@code exp(-y/sigma)}
 * when gamma = 0). By the Pickands-Balkema-de Haan theorem it is the limit law of excesses over a
 * high threshold for almost any continuous distribution, which is what lets POT and SPOT
 * extrapolate far into the tail (Siffer et al., KDD 2017).
 *
 * <p>{@link #fit(double[], int)} is the maximum-likelihood fit by Grimshaw's reduction (Grimshaw,
 * <i>Computing Maximum Likelihood Estimates for the Generalized Pareto Distribution</i>,
 * Technometrics 1993), as in Siffer et al.: with {@code x = gamma / sigma}, the likelihood
 * maximised over {@code gamma} and {@code sigma} for a fixed {@code x} has the closed form
 * {@code gamma(x) = mean(log(1 + x Y))}, {@code sigma(x) = gamma(x) / x}, so the fit is a
 * one-dimensional search of the profile likelihood {@code l(x) = -N (log sigma(x) + gamma(x) + 1)}
 * over {@code x > -1/max(Y)}, whose stationary points are Grimshaw's roots. Instead of a root finder
 * started from a few points, every local maximum is bracketed on a log-spaced grid over both signs
 * of {@code x} (down to 1e-6 of the bound) and refined by Brent's method; the exponential
 * ({@code gamma = 0}) is always a candidate, and the candidate with the largest likelihood wins.
 * This is robust to the several local maxima the likelihood can have, and never returns a boundary
 * point where the likelihood is unbounded.
 *
 * <p>{@link #fitCensored(double[], boolean[], int)} also takes right-censored excesses (known only
 * to exceed a value, as SPOT's alarms); the same reduction holds, with
 * {@code gamma(x) = (sum over observed of log(1 + x y) + sum over censored of log(1 + x c)) / m}
 * for {@code m} observed excesses.
 *
 * @param gamma         the shape (0: exponential tail; positive: heavy tail; negative: bounded tail)
 * @param sigma         the scale, positive
 * @param logLikelihood the log-likelihood of the excesses it was fitted on (NaN if not fitted)
 */
public record Gpd(double gamma, double sigma, double logLikelihood) {

    /** Below this |gamma| the exponential formulas are used. */
    private static final double TINY = 1e-12;
    /** Grid points per segment (two on the negative side, two on the positive side). */
    private static final int GRID = 10;

    /** Validates the record. */
    public Gpd {
        if (!Double.isFinite(gamma)) {
            throw new IllegalArgumentException("gamma must be finite, got " + gamma);
        }
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("sigma must be positive and finite, got " + sigma);
        }
    }

    /**
     * Fits excesses over a threshold.
     *
     * @param excesses the excesses (peaks minus threshold), finite and >= 0, not all 0, at least 2
     * @return the maximum-likelihood fit
     */
    public static Gpd fit(double[] excesses) {
        return fit(excesses, Objects.requireNonNull(excesses, "excesses").length);
    }

    /**
     * Fits the first {@code count} excesses of an array (for ring buffers: their order is irrelevant).
     *
     * @param y     the excesses, finite and >= 0, not all 0
     * @param count how many of them, at least 2
     * @return the maximum-likelihood fit
     * @throws IllegalArgumentException on fewer than 2 excesses, negative or non-finite ones, or all 0
     */
    public static Gpd fit(double[] y, int count) {
        return fitCensored(y, null, count);
    }

    /**
     * Fits the first {@code count} excesses of an array, some of which are right-censored: for
     * those, the value is a lower bound of the excess (the excess is known to be at least that).
     *
     * @param y        the excesses (observed) or censoring points (censored), finite and >= 0
     * @param censored which are censored, or null for none
     * @param count    how many entries; at least 2 observed, not all 0
     * @return the maximum-likelihood fit
     * @throws IllegalArgumentException on fewer than 2 observed excesses, negative or non-finite
     *                                  values, or all values 0
     */
    public static Gpd fitCensored(double[] y, boolean[] censored, int count) {
        Objects.requireNonNull(y, "excesses");
        if (count < 0 || count > y.length || (censored != null && count > censored.length)) {
            throw new IllegalArgumentException("count " + count + " is outside the arrays");
        }
        double max = 0;
        double sumObs = 0;
        double sumAll = 0;
        int m = 0;
        for (int i = 0; i < count; i++) {
            double v = y[i];
            if (!(v >= 0) || !Double.isFinite(v)) {
                throw new IllegalArgumentException("excesses must be finite and >= 0, got " + v + " at index " + i);
            }
            max = Math.max(max, v);
            sumAll += v;
            if (censored == null || !censored[i]) {
                sumObs += v;
                m++;
            }
        }
        if (m < 2) {
            throw new IllegalArgumentException("a GPD fit needs at least 2 observed excesses, got " + m);
        }
        if (max == 0) {
            throw new IllegalArgumentException("all " + count + " excesses are 0: no tail to fit");
        }
        double meanObs = sumObs > 0 ? sumObs / m : sumAll / m;
        Profile p = new Profile(y, censored, count, m, sumAll / m);

        // the exponential is always a candidate
        double bestX = 0;
        double bestL = p.at(0);

        // grid of x, increasing: negative side x = -u / max with u in (0, 1), then 0, then positive side
        double[] xs = new double[4 * GRID];
        int k = 0;
        for (int i = 0; i < GRID; i++) { // u from 1 - 1e-6 up to 1 - 0.5
            double v = Math.pow(10, -6 + (6 - Math.log10(2)) * i / (GRID - 1.0));
            xs[k++] = -(1 - v) / max;
        }
        for (int i = GRID - 2; i >= 0; i--) { // u from 0.5 (excluded: already there) down to 1e-8
            double u = Math.pow(10, -8 + (8 - Math.log10(2)) * i / (GRID - 1.0));
            xs[k++] = -u / max;
        }
        xs[k++] = 0;
        for (int i = 0; i < 2 * GRID; i++) { // x * mean from 1e-8 to 1e6
            xs[k++] = Math.pow(10, -8 + 14.0 * i / (2 * GRID - 1.0)) / meanObs;
        }
        double[] ls = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            ls[i] = p.at(xs[i]);
        }
        for (int i = 1; i < xs.length - 1; i++) {
            if (ls[i] >= ls[i - 1] && ls[i] >= ls[i + 1] && Double.isFinite(ls[i])) {
                double x = brent(p, xs[i - 1], xs[i], xs[i + 1], ls[i]);
                double l = p.at(x);
                if (!(l >= ls[i])) {
                    x = xs[i];
                    l = ls[i];
                }
                if (l > bestL) {
                    bestL = l;
                    bestX = x;
                }
            }
        }
        if (bestX != 0) {
            double gamma = p.gamma(bestX);
            double sigma = gamma / bestX;
            if (sigma > 0 && Double.isFinite(sigma) && Math.abs(gamma) >= TINY) {
                return new Gpd(gamma, sigma, bestL);
            }
        }
        return new Gpd(0, sumAll / m, p.at(0));
    }

    /**
     * Brent's method (parabolic interpolation with golden-section steps) for the maximum of the
     * profile in [a, c], starting from b with value fb (Brent, <i>Algorithms for Minimization without
     * Derivatives</i>, 1973).
     */
    private static double brent(Profile p, double a, double b, double c, double fb) {
        final double golden = 0.3819660112501051;
        final double tol = 1e-7;
        double lo = Math.min(a, c);
        double hi = Math.max(a, c);
        double x = b;
        double w = b;
        double v = b;
        double fx = -fb; // minimise -l
        double fw = fx;
        double fv = fx;
        double d = 0;
        double e = 0;
        for (int iter = 0; iter < 60; iter++) {
            double mid = 0.5 * (lo + hi);
            double tol1 = tol * Math.abs(x) + 1e-300;
            double tol2 = 2 * tol1;
            if (Math.abs(x - mid) <= tol2 - 0.5 * (hi - lo)) {
                break;
            }
            boolean parabolic = false;
            if (Math.abs(e) > tol1) {
                double r = (x - w) * (fx - fv);
                double q = (x - v) * (fx - fw);
                double pp = (x - v) * q - (x - w) * r;
                q = 2 * (q - r);
                if (q > 0) {
                    pp = -pp;
                }
                q = Math.abs(q);
                double etemp = e;
                e = d;
                if (Math.abs(pp) < Math.abs(0.5 * q * etemp) && pp > q * (lo - x) && pp < q * (hi - x)) {
                    d = pp / q;
                    double u = x + d;
                    if (u - lo < tol2 || hi - u < tol2) {
                        d = mid >= x ? tol1 : -tol1;
                    }
                    parabolic = true;
                }
            }
            if (!parabolic) {
                e = (x >= mid ? lo : hi) - x;
                d = golden * e;
            }
            double u = Math.abs(d) >= tol1 ? x + d : x + (d >= 0 ? tol1 : -tol1);
            double fu = -p.at(u);
            if (Double.isNaN(fu)) {
                fu = Double.POSITIVE_INFINITY;
            }
            if (fu <= fx) {
                if (u >= x) {
                    lo = x;
                } else {
                    hi = x;
                }
                v = w;
                fv = fw;
                w = x;
                fw = fx;
                x = u;
                fx = fu;
            } else {
                if (u < x) {
                    lo = u;
                } else {
                    hi = u;
                }
                if (fu <= fw || w == x) {
                    v = w;
                    fv = fw;
                    w = u;
                    fw = fu;
                } else if (fu <= fv || v == x || v == w) {
                    v = u;
                    fv = fu;
                }
            }
        }
        return x;
    }

    /** The profile log-likelihood of the excesses as a function of x = gamma / sigma. */
    private static final class Profile {
        private final double[] y;
        private final boolean[] censored;
        private final int count;
        private final int m;
        private final double expScale;

        Profile(double[] y, boolean[] censored, int count, int m, double expScale) {
            this.y = y;
            this.censored = censored;
            this.count = count;
            this.m = m;
            this.expScale = expScale;
        }

        /** Sums of log(1 + x y) over observed (index 0) and censored (index 1) entries. */
        private double[] sums(double x) {
            double obs = 0;
            double cens = 0;
            for (int i = 0; i < count; i++) {
                double t = x * y[i];
                double l = Math.abs(t) < 1e-4 ? Math.log1p(t) : Math.log(1 + t);
                if (censored != null && censored[i]) {
                    cens += l;
                } else {
                    obs += l;
                }
            }
            return new double[] {obs, cens};
        }

        /** gamma(x) = (sum observed + sum censored of log(1 + x y)) / m. */
        double gamma(double x) {
            double[] s = sums(x);
            return (s[0] + s[1]) / m;
        }

        /**
         * l(x) = -m (log(gamma(x) / x) + 1) - sum observed log(1 + x y); at x = 0 the exponential's
         * -m (log scale + 1).
         */
        double at(double x) {
            if (x == 0) {
                return -m * (Math.log(expScale) + 1);
            }
            double[] s = sums(x);
            double g = (s[0] + s[1]) / m;
            double sigma = g / x;
            if (!(sigma > 0) || !Double.isFinite(g)) {
                return Double.NEGATIVE_INFINITY;
            }
            return -m * (Math.log(sigma) + 1) - s[0];
        }
    }

    /**
     * The log-likelihood of excesses under this distribution.
     *
     * @param y     the excesses
     * @param count how many of them
     * @return the log-likelihood ({@code -infinity} when an excess is outside the support)
     */
    public double logLikelihood(double[] y, int count) {
        double s = 0;
        for (int i = 0; i < count; i++) {
            if (Math.abs(gamma) < TINY) {
                s += -Math.log(sigma) - y[i] / sigma;
            } else {
                double z = 1 + gamma * y[i] / sigma;
                if (!(z > 0)) {
                    return Double.NEGATIVE_INFINITY;
                }
                s += -Math.log(sigma) - (1 + 1 / gamma) * Math.log(z);
            }
        }
        return s;
    }

    /**
     * The excess exceeded with a given probability: the {@code y} with {@code P(Y > y) = p}, that is
     * {@code sigma / gamma (p^(-gamma) - 1)} ({@code -sigma log p} when gamma = 0).
     *
     * @param p the tail probability, in (0, 1]
     * @return the excess
     */
    public double upperQuantile(double p) {
        if (!(p > 0 && p <= 1)) {
            throw new IllegalArgumentException("tail probability must be in (0, 1], got " + p);
        }
        double lp = Math.log(p);
        if (Math.abs(gamma) < TINY) {
            return -sigma * lp;
        }
        return sigma / gamma * Math.expm1(-gamma * lp);
    }

    /**
     * The probability that an excess is above {@code y}.
     *
     * @param y the excess, >= 0
     * @return {@code P(Y > y)}
     */
    public double survival(double y) {
        if (y <= 0) {
            return 1;
        }
        if (Math.abs(gamma) < TINY) {
            return Math.exp(-y / sigma);
        }
        double z = 1 + gamma * y / sigma;
        return z <= 0 ? 0 : Math.exp(-Math.log(z) / gamma);
    }
}
