package io.github.ae4j.variational;

import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.internal.GraphPool;
import io.github.ae4j.core.ModelSpec;
import io.github.ae4j.core.internal.Subgraphs;
import io.github.ae4j.variational.graph.ElboOutputLayer;
import io.github.ae4j.variational.graph.KlWeightVertex;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A trained variational autoencoder (an {@link Autoencoder} of kind {@code variational}, built from
 * {@link VariationalAutoencoder}): generation, latent statistics and probabilistic scores.
 *
 * <p>Rows are raw (un-normalised), as everywhere in ae4j; the model's normaliser is applied and
 * generated rows are returned in the raw space. Probabilities are computed in the normalised space,
 * where the model was trained. Every method is deterministic: random draws come from a seed
 * (sampling) or from a fixed set of noise vectors shared by all rows (Monte-Carlo scores), so a
 * row's score depends only on the row. Thread-safe.
 *
 * <pre>{@code
 * Vae vae = Vae.of(Autoencoder.load(path));
 * INDArray digits = vae.sample(100, 7L);
 * vae.writeSampleGrid(Path.of("samples.png"), 100, 7L);
 * }</pre>
 */
public final class Vae {

    private static final int BATCH = 1024;
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private final Autoencoder model;
    private final GraphPool statsGraph;
    private final GraphPool logitsGraph;
    private final int latentSize;
    private final int inputSize;
    private final Distribution distribution;
    private final double beta;
    /** Per-feature variance of a Gaussian reconstruction, shape [1, inputSize]; null for Bernoulli. */
    private final INDArray variance;

    private Vae(Autoencoder model, ElboOutputLayer elbo, double beta) {
        this.model = model;
        ComputationGraph g = model.sharedGraph();
        synchronized (g) {
            ComputationGraphConfiguration conf = g.getConfiguration();
            this.statsGraph = new GraphPool(
                    Subgraphs.instantiate(Subgraphs.upTo(conf, VariationalAutoencoder.STATS), g), GraphPool.DEFAULT_MAX);
            this.logitsGraph = new GraphPool(Subgraphs.instantiate(
                    Subgraphs.between(conf, ModelSpec.LATENT, VariationalAutoencoder.LOGITS), g), GraphPool.DEFAULT_MAX);
            this.inputSize = elbo.getInputSize();
            this.latentSize = elbo.getLatentSize();
            this.distribution = Distribution.valueOf(elbo.getDistribution().name());
            this.beta = beta;
            if (distribution == Distribution.GAUSSIAN) {
                if (elbo.isLearnedVariance()) {
                    INDArray lv = g.getLayer(ModelSpec.RECONSTRUCTION).getParam(ElboOutputLayer.LOG_VARIANCE_PARAM);
                    this.variance = Transforms.exp(lv.castTo(DataType.FLOAT).reshape(1, inputSize), true)
                            .addi(elbo.getMinVariance());
                } else {
                    this.variance = Nd4j.ones(DataType.FLOAT, 1, inputSize);
                }
            } else {
                this.variance = null;
            }
        }
    }

    // ------------------------------------------------------------------ creation

    /**
     * Whether a model is a variational autoencoder built by this module.
     *
     * @param m the model
     * @return true when {@link #of(Autoencoder)} accepts it
     */
    public static boolean isVariational(Autoencoder m) {
        Objects.requireNonNull(m, "m");
        return VariationalAutoencoder.KIND.equals(m.kind()) && elboLayer(m) != null;
    }

    /**
     * Wraps a trained variational model.
     *
     * @param m the model
     * @return the wrapper
     * @throws IllegalArgumentException when the model is not a variational autoencoder
     */
    public static Vae of(Autoencoder m) {
        Objects.requireNonNull(m, "m");
        ElboOutputLayer elbo = VariationalAutoencoder.KIND.equals(m.kind()) ? elboLayer(m) : null;
        if (elbo == null) {
            throw new IllegalArgumentException("not a variational model: the model is of kind '" + m.kind()
                    + "' (" + m.info().spec().getOrDefault("name", "?") + "); generation and probabilistic scores"
                    + " need a variational autoencoder (VariationalAutoencoder.builder(...), ae4j train --arch vae)");
        }
        double beta = 1.0;
        synchronized (m.sharedGraph()) {
            GraphVertex kw = m.sharedGraph().getConfiguration().getVertices().get(VariationalAutoencoder.KL_WEIGHT);
            if (kw instanceof KlWeightVertex k) {
                beta = k.getBeta();
            }
        }
        return new Vae(m, elbo, beta);
    }

    private static ElboOutputLayer elboLayer(Autoencoder m) {
        ComputationGraph g = m.sharedGraph();
        synchronized (g) {
            ComputationGraphConfiguration conf = g.getConfiguration();
            GraphVertex out = conf.getVertices().get(ModelSpec.RECONSTRUCTION);
            if (!(out instanceof LayerVertex lv) || !(lv.getLayerConf().getLayer() instanceof ElboOutputLayer e)) {
                return null;
            }
            for (String v : new String[] {VariationalAutoencoder.STATS, ModelSpec.LATENT,
                    VariationalAutoencoder.LOGITS}) {
                if (!conf.getVertices().containsKey(v)) {
                    return null;
                }
            }
            return e;
        }
    }

    // ------------------------------------------------------------------ accessors

    /** @return the wrapped model */
    public Autoencoder model() {
        return model;
    }

    /** @return values per latent code */
    public int latentSize() {
        return latentSize;
    }

    /** @return values per input row */
    public int inputSize() {
        return inputSize;
    }

    /** @return the reconstruction distribution */
    public Distribution distribution() {
        return distribution;
    }

    /** @return the KL weight the model was trained with */
    public double beta() {
        return beta;
    }

    /**
     * The per-feature variance of a Gaussian reconstruction (1, or the learned values), in
     * normalised units.
     *
     * @return a copy, shape [inputSize]; empty for the Bernoulli distribution
     */
    public Optional<double[]> variance() {
        return variance == null ? Optional.empty() : Optional.of(variance.toDoubleVector());
    }

    /**
     * The image shape of the input rows (height, width, channels), from the model's input shape,
     * or a square single-channel image when the row length is a perfect square.
     *
     * @return the shape, if rows are images
     */
    public Optional<int[]> imageShape() {
        int[] s = model.inputShape();
        if (s.length == 3) {
            return Optional.of(s);
        }
        int side = (int) Math.round(Math.sqrt(inputSize));
        return side * side == inputSize && inputSize >= 4 ? Optional.of(new int[] {side, side, 1}) : Optional.empty();
    }

    // ------------------------------------------------------------------ generation

    /**
     * Latent points drawn from the prior N(0, I).
     *
     * @param n    number of points, at least 1
     * @param seed the seed (same seed, same points, on any machine)
     * @return points, shape [n, latentSize]
     */
    public INDArray samplePrior(int n, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("number of samples must be >= 1, got " + n);
        }
        return gaussian(n, latentSize, seed);
    }

    /**
     * Samples from the model: latent points from the prior, decoded to the reconstruction mean
     * (Bernoulli probabilities or Gaussian means, not noisy draws), in the raw input space.
     *
     * @param n    number of samples, at least 1
     * @param seed the seed (same seed, same samples, also after save and load)
     * @return samples, shape [n, inputSize]
     */
    public INDArray sample(int n, long seed) {
        return decode(samplePrior(n, seed));
    }

    /**
     * Decodes latent points to reconstruction means in the raw input space.
     *
     * @param z points, shape [rows, latentSize]
     * @return rows, shape [rows, inputSize]
     */
    public INDArray decode(INDArray z) {
        return model.decode(z);
    }

    /**
     * Encodes rows to their posterior means (the same as {@link #latentMean}).
     *
     * @param x raw rows, shape [rows, inputSize]
     * @return means, shape [rows, latentSize]
     */
    public INDArray encode(INDArray x) {
        return latentMean(x);
    }

    /**
     * Interpolates linearly between the posterior means of two rows and decodes the path.
     *
     * @param a     the first raw row (inputSize values)
     * @param b     the second raw row
     * @param steps number of points including both ends, at least 2
     * @return decoded rows, shape [steps, inputSize]; the first and last rows are the
     *         reconstructions of {@code a} and {@code b}
     */
    public INDArray interpolate(INDArray a, INDArray b, int steps) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        if (steps < 2) {
            throw new IllegalArgumentException("interpolation needs at least 2 steps, got " + steps);
        }
        INDArray za = latentMean(oneRow(a, "a"));
        INDArray zb = latentMean(oneRow(b, "b"));
        INDArray z = Nd4j.create(DataType.FLOAT, steps, latentSize);
        for (int i = 0; i < steps; i++) {
            double t = i / (double) (steps - 1);
            z.getRow(i).assign(za.mul(1 - t).addi(zb.mul(t)).reshape(latentSize));
        }
        return decode(z);
    }

    private INDArray oneRow(INDArray r, String what) {
        if (r.length() != inputSize) {
            throw new IllegalArgumentException(what + " must be one row of " + inputSize + " values, got shape "
                    + Arrays.toString(r.shape()));
        }
        return r.reshape(1, inputSize);
    }

    // ------------------------------------------------------------------ latent statistics

    /**
     * Posterior means {@code mu(x)}.
     *
     * @param x raw rows, shape [rows, inputSize]
     * @return means, shape [rows, latentSize]
     */
    public INDArray latentMean(INDArray x) {
        return stats(model.normalize(x), 0);
    }

    /**
     * Posterior log-variances {@code log sigma^2(x)}.
     *
     * @param x raw rows, shape [rows, inputSize]
     * @return log-variances, shape [rows, latentSize]
     */
    public INDArray latentLogVar(INDArray x) {
        return stats(model.normalize(x), 1);
    }

    private INDArray stats(INDArray xn, int part) {
        INDArray s = statsOf(xn);
        return s.get(NDArrayIndex.all(), NDArrayIndex.interval((long) part * latentSize,
                (long) (part + 1) * latentSize)).dup('c');
    }

    private INDArray statsOf(INDArray xn) {
        long n = xn.size(0);
        INDArray out = Nd4j.create(DataType.FLOAT, n, 2L * latentSize);
        for (long from = 0; from < n; from += BATCH) {
            long to = Math.min(n, from + BATCH);
            INDArray part = xn.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
            INDArray s = statsGraph.with(gr -> gr.outputSingle(false, part.castTo(DataType.FLOAT)));
            out.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).assign(s);
        }
        return out;
    }

    // ------------------------------------------------------------------ probabilities

    /**
     * The KL divergence of each row's posterior from the prior, {@code KL(q(z|x) || N(0, I))}, in
     * nats: how far from typical a row's code is.
     *
     * @param x raw rows
     * @return one value per row, {@code >= 0}
     */
    public double[] latentKl(INDArray x) {
        INDArray s = statsOf(model.normalize(x));
        return klRows(s).toDoubleVector();
    }

    private INDArray klRows(INDArray s) {
        INDArray mu = s.get(NDArrayIndex.all(), NDArrayIndex.interval(0, latentSize));
        INDArray lv = s.get(NDArrayIndex.all(), NDArrayIndex.interval(latentSize, 2L * latentSize));
        // -0.5 * sum(1 + lv - mu^2 - exp(lv))
        INDArray t = lv.add(1.0).subi(mu.mul(mu)).subi(Transforms.exp(lv, true));
        return t.sum(1).muli(-0.5).castTo(DataType.DOUBLE);
    }

    /**
     * Monte-Carlo reconstruction log-probability (An &amp; Cho, "Variational Autoencoder based
     * Anomaly Detection using Reconstruction Probability", 2015): the mean over {@code samples}
     * latent draws {@code z_l ~ q(z|x)} of {@code log p(x | z_l)}, summed over features, in nats.
     * Lower means the row is less probable under the model. The draws use fixed noise vectors from
     * {@code seed}, shared by all rows.
     *
     * @param x       raw rows
     * @param samples latent draws per row, at least 1
     * @param seed    the noise seed
     * @return one value per row
     */
    public double[] reconstructionLogProbability(INDArray x, int samples, long seed) {
        return logLikelihood(model.normalize(x), samples, seed, null);
    }

    /**
     * The negative evidence lower bound per row, {@code E_q[-log p(x|z)] + KL(q(z|x) || N(0, I))}
     * with the expectation estimated from {@code samples} draws (as in
     * {@link #reconstructionLogProbability}); an upper bound on {@code -log p(x)}, in nats. The KL
     * term has weight 1 whatever beta the model was trained with.
     *
     * @param x       raw rows
     * @param samples latent draws per row, at least 1
     * @param seed    the noise seed
     * @return one value per row
     */
    public double[] negativeElbo(INDArray x, int samples, long seed) {
        INDArray xn = model.normalize(x);
        double[] kl = new double[(int) xn.size(0)];
        double[] ll = logLikelihood(xn, samples, seed, kl);
        for (int i = 0; i < ll.length; i++) {
            kl[i] -= ll[i];
        }
        return kl;
    }

    /**
     * The mean of {@link #negativeElbo} over rows.
     *
     * @param x       raw rows
     * @param samples latent draws per row
     * @param seed    the noise seed
     * @return the mean negative ELBO, in nats per row
     */
    public double meanNegativeElbo(INDArray x, int samples, long seed) {
        return Arrays.stream(negativeElbo(x, samples, seed)).average().orElseThrow();
    }

    private double[] logLikelihood(INDArray xn, int samples, long seed, double[] klOut) {
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be >= 1, got " + samples);
        }
        INDArray eps = gaussian(samples, latentSize, seed);
        int n = (int) xn.size(0);
        double[] out = new double[n];
        for (int from = 0; from < n; from += BATCH) {
            int to = Math.min(n, from + BATCH);
            INDArray xb = xn.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).castTo(DataType.FLOAT);
            INDArray s = statsGraph.with(gr -> gr.outputSingle(false, xb));
            INDArray mu = s.get(NDArrayIndex.all(), NDArrayIndex.interval(0, latentSize)).dup('c');
            INDArray sigma = Transforms.exp(s.get(NDArrayIndex.all(),
                    NDArrayIndex.interval(latentSize, 2L * latentSize)).mul(0.5), false);
            INDArray sum = Nd4j.zeros(DataType.DOUBLE, to - from);
            for (int l = 0; l < samples; l++) {
                INDArray z = sigma.mulRowVector(eps.getRow(l)).addi(mu);
                sum.addi(logLikelihoodRows(xb, z));
            }
            double[] v = sum.divi(samples).toDoubleVector();
            System.arraycopy(v, 0, out, from, v.length);
            if (klOut != null) {
                double[] k = klRows(s).toDoubleVector();
                System.arraycopy(k, 0, klOut, from, k.length);
            }
        }
        return out;
    }

    /** log p(x | z) per row, summed over features. */
    private INDArray logLikelihoodRows(INDArray xb, INDArray z) {
        INDArray out = logitsGraph.with(gr -> gr.outputSingle(false, z));
        INDArray l = out.rank() == 2 ? out : out.reshape(out.size(0), -1);
        INDArray ll;
        if (distribution == Distribution.BERNOULLI) {
            // x * l - softplus(l), softplus(l) = relu(l) + log1p(exp(-|l|))
            INDArray softplus = Transforms.relu(l, true).addi(
                    Transforms.log1p(Transforms.exp(Transforms.abs(l, true).negi(), false), false));
            ll = xb.mul(l).subi(softplus);
        } else {
            INDArray d = xb.sub(l);
            ll = d.muli(d).diviRowVector(variance.mul(2.0)).negi()
                    .subiRowVector(Transforms.log(variance, true).muli(0.5)).subi(HALF_LOG_2PI);
        }
        return ll.sum(1).castTo(DataType.DOUBLE);
    }

    private static INDArray gaussian(int rows, int cols, long seed) {
        Random r = new Random(seed);
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Nd4j.create(v, new long[] {rows, cols}, 'c');
    }

    // ------------------------------------------------------------------ pictures

    /**
     * Writes a PNG grid of prior samples (image rows only).
     *
     * @param file  the PNG file (written atomically)
     * @param count number of samples
     * @param seed  the seed
     * @throws IOException on I/O failure
     * @throws IllegalArgumentException when rows are not images ({@link #imageShape()} is empty)
     */
    public void writeSampleGrid(Path file, int count, long seed) throws IOException {
        int[] s = requireImages();
        VaePlots.writeImageGrid(file, sample(count, seed), s[0], s[1], s[2],
                (int) Math.ceil(Math.sqrt(count)), 2);
    }

    /**
     * Writes a PNG strip interpolating between two rows in latent space (image rows only).
     *
     * @param file  the PNG file
     * @param a     the first raw row
     * @param b     the second raw row
     * @param steps images in the strip, at least 2
     * @throws IOException on I/O failure
     */
    public void writeInterpolation(Path file, INDArray a, INDArray b, int steps) throws IOException {
        int[] s = requireImages();
        VaePlots.writeImageGrid(file, interpolate(a, b, steps), s[0], s[1], s[2], steps, 2);
    }

    /**
     * The decoded manifold of a 2-D latent space: a {@code steps x steps} grid of latent points
     * at the prior's quantiles {@code Phi^-1((i + 0.5) / steps)} (first latent dimension left to
     * right, second bottom to top), decoded.
     *
     * @param steps points per axis, at least 2
     * @return decoded rows, shape [steps * steps, inputSize], row-major from the top-left
     * @throws IllegalArgumentException when the latent space is not 2-D
     */
    public INDArray manifold(int steps) {
        if (latentSize != 2) {
            throw new IllegalArgumentException("a manifold grid needs a 2-D latent space, this model has "
                    + latentSize + " latent dimensions (train one with latent(2))");
        }
        if (steps < 2) {
            throw new IllegalArgumentException("manifold steps must be >= 2, got " + steps);
        }
        INDArray z = Nd4j.create(DataType.FLOAT, (long) steps * steps, 2);
        for (int row = 0; row < steps; row++) {
            double z2 = VaePlots.normalQuantile((steps - row - 0.5) / steps);
            for (int col = 0; col < steps; col++) {
                double z1 = VaePlots.normalQuantile((col + 0.5) / steps);
                z.putScalar(new long[] {(long) row * steps + col, 0}, z1);
                z.putScalar(new long[] {(long) row * steps + col, 1}, z2);
            }
        }
        return decode(z);
    }

    /**
     * Writes the manifold of a 2-D latent space as a PNG grid (see {@link #manifold(int)}).
     *
     * @param file  the PNG file
     * @param steps points per axis
     * @throws IOException on I/O failure
     */
    public void writeManifold(Path file, int steps) throws IOException {
        int[] s = requireImages();
        VaePlots.writeImageGrid(file, manifold(steps), s[0], s[1], s[2], steps, 1);
    }

    /**
     * Writes a scatter plot of the posterior means of rows, coloured by label. A 2-D latent space is
     * drawn as it is; a larger one is projected on its first two principal components.
     *
     * @param file   the PNG file
     * @param x      raw rows
     * @param labels one integer label per row (e.g. the digit), or null for one colour
     * @throws IOException on I/O failure
     */
    public void writeLatentScatter(Path file, INDArray x, int[] labels) throws IOException {
        INDArray mu = latentMean(x);
        if (labels != null && labels.length != mu.size(0)) {
            throw new IllegalArgumentException("expected one label per row (" + mu.size(0) + "), got "
                    + labels.length);
        }
        double[][] p;
        String ax;
        String ay;
        if (latentSize == 1) {
            double[] v = mu.reshape(mu.size(0)).toDoubleVector();
            p = new double[v.length][];
            for (int i = 0; i < v.length; i++) {
                p[i] = new double[] {v[i], 0};
            }
            ax = "z1";
            ay = "";
        } else if (latentSize == 2) {
            p = mu.toDoubleMatrix();
            ax = "z1";
            ay = "z2";
        } else {
            p = VaePlots.principalComponents(mu.toDoubleMatrix(), 2);
            ax = "PC1 of latent mean";
            ay = "PC2 of latent mean";
        }
        VaePlots.writeScatter(file, p, labels, "latent space (" + latentSize + "-D posterior means)", ax, ay);
    }

    private int[] requireImages() {
        return imageShape().orElseThrow(() -> new IllegalArgumentException("rows of " + inputSize
                + " values are not images: train with an image input type (e.g. --image 28x28x1) to write pictures"));
    }

    @Override
    public String toString() {
        return "Vae[" + model + ", " + distribution.id() + ", beta " + beta + "]";
    }
}
