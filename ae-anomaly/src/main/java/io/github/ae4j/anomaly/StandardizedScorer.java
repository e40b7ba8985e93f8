package io.github.ae4j.anomaly;

import io.github.ae4j.core.AnomalyScorer;
import io.github.ae4j.core.Autoencoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The default anomaly score of ae4j 0.2: two terms of one autoencoder, each standardised on normal
 * rows, added.
 * <ul>
 *   <li><b>Reconstruction term</b>: {@code sum_j e_j / s_j}, where {@code e_j} is feature j's
 *       reconstruction error (the loss's per-feature error, normalised space) and {@code s_j} its mean
 *       over normal rows, but never less than the mean over all features; so no feature dominates
 *       because it is hard to reconstruct or of high variance, and a near-constant feature (an image's
 *       border pixel) cannot turn a tiny error into a large score (without that floor: MNIST one-class
 *       mean AUROC 0.942 instead of 0.955, and the UCI-digits demo's threshold flagged nothing). Divided by the robust spread (1.4826 x median absolute deviation) of the term on
 *       normal rows.</li>
 *   <li><b>Latent term</b>: the mean Euclidean distance from the row's code to its {@code k} nearest
 *       codes among a bounded reference sample of normal training rows' codes (a reservoir sample of
 *       at most {@code referenceSize} rows), divided by its robust spread on the reference rows
 *       themselves (each left out of its own neighbours). It sees rows that the decoder reconstructs
 *       well but that lie off the normal data in the code space.</li>
 * </ul>
 * The score is {@code wRec * rec / spreadRec + wLat * lat / spreadLat}; both parts are sums of
 * non-negative shares, so per-feature contributions plus the latent share add up to the score
 * ({@link #terms}). The neighbour search runs over codes of an autoencoder, never over raw rows.
 *
 * <p>An instance is either a template ({@link #defaults()}, {@link #withWeights}: settings only) or
 * fitted to one model ({@link #fit}); only a fitted one scores. Immutable and thread-safe.
 */
public final class StandardizedScorer implements AnomalyScorer {

    /** The scorer's id in a detector file. */
    public static final String ID = "standardized";
    /** Default weight of the reconstruction term. */
    public static final double DEFAULT_RECONSTRUCTION_WEIGHT = 1;
    /**
     * Default weight of the latent term: 2 (prototype on five development tables, 3 seeds, ensemble
     * of 3: mean AUROC 0.801 with weight 1, 0.805 with 2, 0.806 with 3, rec. only 0.776, latent only
     * 0.773; see docs/notes/issue-14.md).
     */
    public static final double DEFAULT_LATENT_WEIGHT = 2;
    /** Default number of neighbours of the latent term. */
    public static final int DEFAULT_K = 5;
    /**
     * Default bound of the reference sample of codes: 4,000 (as the kNN baseline's reference sample).
     * On letter (about 3,500 training rows, 5 seeds) the latent term alone scored AUROC 0.904 with 4,000
     * reference codes against 0.869 with 1,000, the whole score 0.919 against 0.903.
     */
    public static final int DEFAULT_REFERENCE_SIZE = 4000;
    private static final double MAD_TO_SD = 1.4826;
    private static final int CHUNK = 2048;

    private final double recWeight;
    private final double latentWeight;
    private final int k;
    private final int referenceSize;
    // fitted state (null for a template)
    private final double[] featureScale;
    private final double recSpread;
    private final double latentSpread;
    private final float[][] reference;

    private StandardizedScorer(double recWeight, double latentWeight, int k, int referenceSize,
                               double[] featureScale, double recSpread, double latentSpread, float[][] reference) {
        if (!(recWeight >= 0 && latentWeight >= 0 && recWeight + latentWeight > 0)
                || !Double.isFinite(recWeight + latentWeight)) {
            throw new IllegalArgumentException("term weights must be finite, >= 0 and not both 0, got reconstruction "
                    + recWeight + ", latent " + latentWeight);
        }
        if (k < 1 || k > 100) {
            throw new IllegalArgumentException("k must be in [1, 100], got " + k);
        }
        if (referenceSize < 2 || referenceSize > 100_000) {
            throw new IllegalArgumentException("referenceSize must be in [2, 100000], got " + referenceSize);
        }
        this.recWeight = recWeight;
        this.latentWeight = latentWeight;
        this.k = k;
        this.referenceSize = referenceSize;
        this.featureScale = featureScale;
        this.recSpread = recSpread;
        this.latentSpread = latentSpread;
        this.reference = reference;
        if (featureScale != null) {
            if (reference == null || reference.length < 2 || !(recSpread > 0) || !(latentSpread > 0)
                    || !Double.isFinite(recSpread) || !Double.isFinite(latentSpread)) {
                throw new IllegalArgumentException("invalid fitted state: reference codes " + (reference == null ? 0
                        : reference.length) + " (>= 2 needed), spreads " + recSpread + ", " + latentSpread);
            }
            for (double v : featureScale) {
                if (!(v > 0) || !Double.isFinite(v)) {
                    throw new IllegalArgumentException("invalid feature scale " + v + " (must be finite and > 0)");
                }
            }
            int d = reference[0].length;
            for (float[] r : reference) {
                if (r.length != d) {
                    throw new IllegalArgumentException("reference codes of unequal widths");
                }
            }
        }
    }

    /**
     * The default template: reconstruction term weight {@value #DEFAULT_RECONSTRUCTION_WEIGHT}, latent
     * term weight {@value #DEFAULT_LATENT_WEIGHT}, {@value #DEFAULT_K} neighbours, at most
     * {@value #DEFAULT_REFERENCE_SIZE} reference codes.
     *
     * @return the template
     */
    public static StandardizedScorer defaults() {
        return new StandardizedScorer(DEFAULT_RECONSTRUCTION_WEIGHT, DEFAULT_LATENT_WEIGHT, DEFAULT_K,
                DEFAULT_REFERENCE_SIZE, null, 0, 0, null);
    }

    /**
     * A template with other term weights (e.g. {@code (1, 0)}: reconstruction term only; {@code (0, 1)}:
     * latent term only).
     *
     * @param reconstruction the reconstruction term's weight, >= 0
     * @param latent         the latent term's weight, >= 0 (not both 0)
     * @return the template
     */
    public StandardizedScorer withWeights(double reconstruction, double latent) {
        return new StandardizedScorer(reconstruction, latent, k, referenceSize, null, 0, 0, null);
    }

    /**
     * A template with other neighbour settings.
     *
     * @param neighbours    k of the latent term, in [1, 100]
     * @param maxReferences bound of the reference sample, in [2, 100000]
     * @return the template
     */
    public StandardizedScorer withNeighbours(int neighbours, int maxReferences) {
        return new StandardizedScorer(recWeight, latentWeight, neighbours, maxReferences, null, 0, 0, null);
    }

    /**
     * Fits the standardisation to a model and its normal training rows: a reservoir sample of at most
     * {@code referenceSize} rows (seeded) gives the per-feature error scales, the reference codes and
     * the spreads of both terms.
     *
     * @param model      the trained model
     * @param normalRows normal rows the model trained on, raw, [rows, inputSize], at least 3
     * @param seed       the sampling seed
     * @return the fitted scorer
     */
    public StandardizedScorer fit(Autoencoder model, INDArray normalRows, long seed) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(normalRows, "normalRows");
        long n = normalRows.size(0);
        if (n < 3) {
            throw new IllegalArgumentException("the standardized score needs at least 3 normal rows, got " + n);
        }
        Random r = new Random(seed ^ 0x5CA1EL);
        int m = (int) Math.min(n, referenceSize);
        long[] pick = new long[m];
        for (int i = 0; i < m; i++) {
            pick[i] = i;
        }
        for (long i = m; i < n; i++) {   // reservoir sampling: one pass, bounded memory
            long j = (long) (r.nextDouble() * (i + 1));
            if (j < m) {
                pick[(int) j] = i;
            }
        }
        Arrays.sort(pick);
        int[] idx = new int[m];
        for (int i = 0; i < m; i++) {
            idx[i] = (int) pick[i];
        }
        INDArray sample = Nd4j.pullRows(normalRows, 1, idx);
        double[][] e = model.featureErrors(sample).castTo(DataType.DOUBLE).toDoubleMatrix();
        int w = e[0].length;
        double[] scale = new double[w];
        double all = 0;
        for (double[] row : e) {
            for (int j = 0; j < w; j++) {
                scale[j] += row[j];
                all += row[j];
            }
        }
        // no feature's typical error counts as less than the average feature's: a near-constant feature
        // (an image's border pixel) would otherwise turn a tiny error into a huge share of the score
        double floor = Math.max(1e-12, all / ((double) m * w));
        for (int j = 0; j < w; j++) {
            scale[j] = Math.max(floor, scale[j] / m);
        }
        double[] rec = new double[m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < w; j++) {
                rec[i] += e[i][j] / scale[j];
            }
        }
        float[][] codes = toFloat(model.encode(sample));
        int kk = Math.min(k, m - 1);
        double[] lat = new double[m];
        for (int i = 0; i < m; i++) {
            lat[i] = knnMean(codes[i], codes, kk, i);
        }
        return new StandardizedScorer(recWeight, latentWeight, k, referenceSize, scale, spread(rec), spread(lat), codes);
    }

    /** @return the bound of the reference sample of codes (rows the scorer is fitted on, at most) */
    public int referenceSize() {
        return referenceSize;
    }

    /** @return whether this scorer is fitted to a model (only then can it score) */
    public boolean isFitted() {
        return featureScale != null;
    }

    /** @return the reconstruction term's weight */
    public double reconstructionWeight() {
        return recWeight;
    }

    /** @return the latent term's weight */
    public double latentWeight() {
        return latentWeight;
    }

    /** @return the number of reference codes (0 for a template) */
    public int referenceCount() {
        return reference == null ? 0 : reference.length;
    }

    /** @return a copy of the reference codes, [count][latent] (empty for a template) */
    public float[][] referenceCodes() {
        if (reference == null) {
            return new float[0][];
        }
        float[][] c = new float[reference.length][];
        for (int i = 0; i < c.length; i++) {
            c[i] = reference[i].clone();
        }
        return c;
    }

    @Override
    public double[] score(Autoencoder model, INDArray x) {
        double[][] t = terms(model, x);
        double[] s = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            double sum = 0;
            for (double v : t[i]) {
                sum += v;
            }
            s[i] = sum;
        }
        return s;
    }

    /**
     * The score's parts: for every row, one value per feature (its standardised reconstruction
     * error, weighted) and, last, the latent term (weighted). Each row's values are non-negative and
     * add up to its {@link #score}.
     *
     * @param model the model this scorer was fitted to
     * @param x     raw rows, [rows, inputSize]
     * @return [rows][inputSize + 1]
     * @throws IllegalStateException when this is an unfitted template
     */
    public double[][] terms(Autoencoder model, INDArray x) {
        requireFitted();
        if (model.inputSize() != featureScale.length) {
            throw new IllegalArgumentException("scorer fitted to " + featureScale.length + " features, model has "
                    + model.inputSize());
        }
        int n = (int) x.size(0);
        int w = featureScale.length;
        double[][] out = new double[n][];
        int kk = Math.min(k, reference.length);
        for (int from = 0; from < n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK);
            INDArray part = from == 0 && to == n ? x : x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to),
                    org.nd4j.linalg.indexing.NDArrayIndex.all());
            double[][] e = model.featureErrors(part).castTo(DataType.DOUBLE).toDoubleMatrix();
            float[][] z = toFloat(model.encode(part));
            if (z[0].length != reference[0].length) {
                throw new IllegalArgumentException("scorer fitted to codes of " + reference[0].length
                        + " values, model gives " + z[0].length);
            }
            for (int i = 0; i < e.length; i++) {
                double[] t = new double[w + 1];
                double cr = recWeight / recSpread;
                for (int j = 0; j < w; j++) {
                    t[j] = cr * e[i][j] / featureScale[j];
                }
                t[w] = latentWeight == 0 ? 0 : latentWeight * knnMean(z[i], reference, kk, -1) / latentSpread;
                out[from + i] = t;
            }
        }
        return out;
    }

    private void requireFitted() {
        if (featureScale == null) {
            throw new IllegalStateException("this standardized scorer is a template: fit it to a model first"
                    + " (AnomalyDetector.fit does)");
        }
    }

    @Override
    public String id() {
        return ID;
    }

    /**
     * The settings and the fitted state except the reference codes (stored as a binary entry of the
     * detector file): weights, k, reference bound, per-feature scales and both spreads.
     */
    @Override
    public Map<String, Object> params() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("reconstructionWeight", recWeight);
        p.put("latentWeight", latentWeight);
        p.put("k", k);
        p.put("referenceSize", referenceSize);
        if (featureScale != null) {
            List<Double> fs = new ArrayList<>(featureScale.length);
            for (double v : featureScale) {
                fs.add(v);
            }
            p.put("featureScale", fs);
            p.put("reconstructionSpread", recSpread);
            p.put("latentSpread", latentSpread);
            p.put("referenceCount", reference.length);
        }
        return p;
    }

    /**
     * Re-creates a fitted scorer from {@link #params()} and its reference codes.
     *
     * @param p         the params
     * @param reference the reference codes
     * @return the scorer
     * @throws IllegalArgumentException when a value is missing or invalid
     */
    static StandardizedScorer restore(Map<String, Object> p, float[][] reference) {
        try {
            double rw = ((Number) p.get("reconstructionWeight")).doubleValue();
            double lw = ((Number) p.get("latentWeight")).doubleValue();
            int kk = ((Number) p.get("k")).intValue();
            int rs = ((Number) p.get("referenceSize")).intValue();
            List<?> fs = (List<?>) p.get("featureScale");
            double[] scale = new double[fs.size()];
            for (int i = 0; i < scale.length; i++) {
                scale[i] = ((Number) fs.get(i)).doubleValue();
            }
            double recS = ((Number) p.get("reconstructionSpread")).doubleValue();
            double latS = ((Number) p.get("latentSpread")).doubleValue();
            return new StandardizedScorer(rw, lw, kk, rs, scale, recS, latS, reference);
        } catch (NullPointerException | ClassCastException e) {
            throw new IllegalArgumentException("standardized scorer settings are incomplete or of the wrong type: " + p);
        }
    }

    private static float[][] toFloat(INDArray a) {
        INDArray f = a.rank() == 2 ? a : a.reshape(a.size(0), -1);
        return f.castTo(DataType.FLOAT).toFloatMatrix();
    }

    /** Mean distance from q to its k nearest rows of ref, leaving out row {@code skip} (-1: none). */
    static double knnMean(float[] q, float[][] ref, int k, int skip) {
        double[] best = new double[k];
        Arrays.fill(best, Double.POSITIVE_INFINITY);
        for (int r = 0; r < ref.length; r++) {
            if (r == skip) {
                continue;
            }
            float[] v = ref[r];
            double d = 0;
            for (int j = 0; j < q.length; j++) {
                double t = q[j] - v[j];
                d += t * t;
            }
            if (d < best[k - 1]) {
                int p = k - 1;
                while (p > 0 && best[p - 1] > d) {
                    best[p] = best[p - 1];
                    p--;
                }
                best[p] = d;
            }
        }
        double s = 0;
        int c = 0;
        for (double b : best) {
            if (b != Double.POSITIVE_INFINITY) {
                s += Math.sqrt(b);
                c++;
            }
        }
        return c == 0 ? 0 : s / c;
    }

    /** Robust spread: 1.4826 x MAD, falling back to the standard deviation, then to the mean, then 1. */
    static double spread(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        double med = median(s);
        double[] dev = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            dev[i] = Math.abs(s[i] - med);
        }
        Arrays.sort(dev);
        double mad = MAD_TO_SD * median(dev);
        if (mad > 1e-12 && Double.isFinite(mad)) {
            return mad;
        }
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        double var = 0;
        for (double x : v) {
            var += (x - mean) * (x - mean);
        }
        double sd = Math.sqrt(var / v.length);
        if (sd > 1e-12 && Double.isFinite(sd)) {
            return sd;
        }
        return Math.abs(mean) > 1e-12 && Double.isFinite(mean) ? Math.abs(mean) : 1.0;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }

    @Override
    public String toString() {
        return "standardized score (reconstruction x" + recWeight + " + latent " + k + "-NN x" + latentWeight
                + (isFitted() ? ", " + reference.length + " reference codes" : ", template") + ")";
    }
}
