package io.github.ae4j.variational.graph;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffOutputLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The training output of a variational autoencoder: a SameDiff output layer whose loss is the
 * negative evidence lower bound (ELBO) with a weighted KL term (Kingma &amp; Welling 2014; Higgins
 * et al. 2017):
 *
 * <pre>
 *   loss = sum over rows of [ -log p(x | z) + beta * KL(q(z | x) || N(0, I)) ]
 * </pre>
 *
 * <p>Its input is one row per example holding, in this order, the decoder's {@code inputSize}
 * pre-activations, the posterior mean ({@code latentSize}), the posterior log-variance
 * ({@code latentSize}) and the KL weight {@code beta} (one column, from {@link KlWeightVertex}).
 * The labels are the (clean, normalised) input rows {@code x}. DL4J divides the summed loss by the
 * number of rows, so the graph's score is the negative ELBO per example (in training a one-sample
 * estimate with {@code z} drawn from the posterior; at inference evaluated at the posterior mean).
 *
 * <p>Reconstruction distributions ({@link Likelihood}, named as {@code io.github.ae4j.variational.Distribution}):
 * <ul>
 *   <li>{@code BERNOULLI}: {@code -log p(x|z) = sum softplus(l) - x l} over features, for logits
 *       {@code l}; for data in [0, 1] (continuous values are used as soft targets, the usual
 *       binary cross-entropy).</li>
 *   <li>{@code GAUSSIAN}: {@code -log p(x|z) = sum (x - m)^2 / (2 v) + log(2 pi v) / 2}, with mean
 *       {@code m} the decoder's output and variance {@code v} either fixed at 1 (standardised data)
 *       or, with {@link #isLearnedVariance() learned variance}, one learned value per feature,
 *       {@code v = minVariance + exp(logVar)}, {@code logVar} a parameter of this layer
 *       (initialised to 0).</li>
 * </ul>
 *
 * <p>The layer's activations (what {@code graph.output} returns for it) are the reconstruction
 * mean in normalised space: {@code sigmoid(l)} for Bernoulli, {@code m} for Gaussian.
 */
public class ElboOutputLayer extends SameDiffOutputLayer {

    private static final long serialVersionUID = 1L;

    /** Name of the learned per-feature log-variance parameter (Gaussian with learned variance). */
    public static final String LOG_VARIANCE_PARAM = "logVar";
    /** Name of the SameDiff variable holding the reconstruction mean. */
    public static final String MEAN = "mean";

    /** Values per input row. */
    private int inputSize;
    /** Values per latent code. */
    private int latentSize;
    /**
     * The reconstruction distribution {@code p(x | z)}: the graph-level twin of the public
     * {@code io.github.ae4j.variational.Distribution} (same constant names, so model files written with either
     * read the same), kept here so that this package does not depend on the one above it.
     */
    public enum Likelihood {
        /** Independent Bernoulli per feature, parameterised by logits. */
        BERNOULLI,
        /** Independent Gaussian per feature, the decoder's output as the mean. */
        GAUSSIAN
    }

    /** The reconstruction distribution. */
    private Likelihood distribution = Likelihood.BERNOULLI;
    /** Whether a Gaussian reconstruction learns one variance per feature. */
    private boolean learnedVariance;
    /** Floor of learned variances. */
    private double minVariance = 1e-3;

    /** Creates an unconfigured layer (used by DL4J's JSON reader). */
    public ElboOutputLayer() {
    }

    /**
     * Creates the layer.
     *
     * @param inputSize       values per input row
     * @param latentSize      values per latent code
     * @param distribution    the reconstruction distribution
     * @param learnedVariance for Gaussian: learn one variance per feature (false: variance 1)
     * @param minVariance     for learned variances: the floor added to {@code exp(logVar)}, &gt; 0
     */
    public ElboOutputLayer(int inputSize, int latentSize, Likelihood distribution, boolean learnedVariance,
                           double minVariance) {
        if (inputSize < 1 || latentSize < 1) {
            throw new IllegalArgumentException("input and latent sizes must be >= 1, got " + inputSize + " and "
                    + latentSize);
        }
        Objects.requireNonNull(distribution, "distribution");
        if (learnedVariance && distribution != Likelihood.GAUSSIAN) {
            throw new IllegalArgumentException("a learned variance needs the Gaussian distribution, got "
                    + distribution);
        }
        if (!(minVariance > 0) || !Double.isFinite(minVariance)) {
            throw new IllegalArgumentException("minVariance must be finite and > 0, got " + minVariance);
        }
        this.inputSize = inputSize;
        this.latentSize = latentSize;
        this.distribution = distribution;
        this.learnedVariance = learnedVariance;
        this.minVariance = minVariance;
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable layerInput, SDVariable labels,
                                  Map<String, SDVariable> paramTable) {
        long n = inputSize;
        long z = latentSize;
        SDVariable logits = cols(layerInput, 0, n);
        SDVariable mu = cols(layerInput, n, n + z);
        SDVariable logVar = cols(layerInput, n + z, n + 2 * z);
        SDVariable beta = cols(layerInput, n + 2 * z, n + 2 * z + 1);
        SDVariable nll;
        if (distribution == Likelihood.BERNOULLI) {
            sd.nn().sigmoid(MEAN, logits);
            // softplus(l) - x * l, computed stably as relu(l) + log1p(exp(-|l|)) - x * l
            SDVariable softplus = sd.nn().relu(logits, 0.0)
                    .add(sd.math().log1p(sd.math().exp(sd.math().abs(logits).neg())));
            nll = softplus.sub(labels.mul(logits));
        } else {
            sd.identity(MEAN, logits);
            SDVariable diff = labels.sub(logits);
            if (learnedVariance) {
                SDVariable var = sd.math().exp(paramTable.get(LOG_VARIANCE_PARAM)).add(minVariance);
                nll = sd.math().square(diff).div(var.mul(2.0))
                        .add(sd.math().log(var).mul(0.5))
                        .add(0.5 * Math.log(2 * Math.PI));
            } else {
                nll = sd.math().square(diff).mul(0.5).add(0.5 * Math.log(2 * Math.PI));
            }
        }
        SDVariable kl = logVar.add(1.0).sub(sd.math().square(mu)).sub(sd.math().exp(logVar))
                .sum(true, 1).mul(-0.5);
        SDVariable loss = nll.sum().add(kl.mul(beta).sum()).rename("loss");
        sd.setLossVariables(loss);
        return loss;
    }

    private static SDVariable cols(SDVariable v, long from, long to) {
        return v.get(SDIndex.all(), SDIndex.interval(Long.valueOf(from), Long.valueOf(to)));
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners, int layerIndex,
                                                       INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        ElboOutputLayerImpl ret = new ElboOutputLayerImpl(conf, networkDataType);
        ret.setIndex(layerIndex);
        ret.setParamsViewArray(layerParamsView);
        Map<String, INDArray> paramTable = initializer().init(conf, layerParamsView, initializeParams);
        ret.setParamTable(paramTable);
        ret.setConf(conf);
        return ret;
    }

    @Override
    public String activationsVertexName() {
        return MEAN;
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        if (learnedVariance) {
            params.addWeightParam(LOG_VARIANCE_PARAM, 1, inputSize);
        }
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        INDArray lv = params.get(LOG_VARIANCE_PARAM);
        if (lv != null) {
            lv.assign(0);
        }
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        long expected = (long) inputSize + 2L * latentSize + 1;
        if (inputType.arrayElementsPerExample() != expected) {
            throw new IllegalArgumentException("the decoder output has " + (inputType.arrayElementsPerExample()
                    - 2L * latentSize - 1) + " values per example, the input has " + inputSize + " (the ELBO layer"
                    + " expects " + expected + " values: reconstruction " + inputSize + ", mean and log-variance 2 x "
                    + latentSize + ", beta 1; got " + inputType + ")");
        }
        return InputType.feedForward(inputSize);
    }

    /** @return values per input row */
    public int getInputSize() {
        return inputSize;
    }

    /** @param inputSize values per input row (bean property) */
    public void setInputSize(int inputSize) {
        this.inputSize = inputSize;
    }

    /** @return values per latent code */
    public int getLatentSize() {
        return latentSize;
    }

    /** @param latentSize values per latent code (bean property) */
    public void setLatentSize(int latentSize) {
        this.latentSize = latentSize;
    }

    /** @return the reconstruction distribution */
    public Likelihood getDistribution() {
        return distribution;
    }

    /** @param distribution the reconstruction distribution (bean property) */
    public void setDistribution(Likelihood distribution) {
        this.distribution = distribution;
    }

    /** @return whether a Gaussian reconstruction learns one variance per feature */
    public boolean isLearnedVariance() {
        return learnedVariance;
    }

    /** @param learnedVariance whether to learn per-feature variances (bean property) */
    public void setLearnedVariance(boolean learnedVariance) {
        this.learnedVariance = learnedVariance;
    }

    /** @return the variance floor of learned variances */
    public double getMinVariance() {
        return minVariance;
    }

    /** @param minVariance the variance floor of learned variances (bean property) */
    public void setMinVariance(double minVariance) {
        this.minVariance = minVariance;
    }

    @Override
    public ElboOutputLayer clone() {
        return (ElboOutputLayer) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ElboOutputLayer e) || !super.equals(o)) {
            return false;
        }
        return e.inputSize == inputSize && e.latentSize == latentSize && e.distribution == distribution
                && e.learnedVariance == learnedVariance && Double.compare(e.minVariance, minVariance) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), inputSize, latentSize, distribution, learnedVariance, minVariance);
    }

    @Override
    public String toString() {
        return "ElboOutputLayer(input=" + inputSize + ", latent=" + latentSize + ", " + distribution
                + (learnedVariance ? ", learned variance >= " + minVariance : "") + ")";
    }
}
