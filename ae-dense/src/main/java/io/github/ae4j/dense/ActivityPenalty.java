package io.github.ae4j.dense;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.NoParamLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J layer configuration of an activity penalty (see {@link Sparsity}): a parameter-free layer
 * whose forward pass is the identity and whose backward pass adds the gradient of the penalty on
 * its input; the penalty itself is added to the network's score (through DL4J's regularisation
 * term), so training minimises {@code reconstruction loss + penalty}.
 *
 * <p>DL4J has no activity regulariser; this layer is one. {@link DenseAutoencoder} places it right
 * after the {@code latent} vertex, so the penalised values are exactly the latent codes; at
 * inference it changes nothing, and the decoder-only graph cut out for {@code decode} simply passes
 * codes through it.
 *
 * <p>Serialised by DL4J's Jackson mapper with the rest of the graph configuration (public no-argument
 * constructor, bean properties {@code kind}, {@code weight}, {@code target}); a saved model that uses
 * it needs ae-dense on the class path to be loaded.
 *
 * <p>Scaling follows DL4J's conventions: the score adds {@code weight * sum|z| / rows} (L1) or
 * {@code weight * sum_j KL(rho || rhoHat_j)} (KL); the gradient passed back is {@code rows} times the
 * penalty's derivative, because DL4J's updater divides every gradient by the mini-batch size.
 */
public class ActivityPenalty extends NoParamLayer {

    private static final long serialVersionUID = 1L;

    /** The kind of penalty. */
    private Sparsity.Kind kind = Sparsity.Kind.NONE;
    /** The penalty weight. */
    private double weight;
    /** The KL target mean activation (0 unless the kind is KL). */
    private double target;

    /** For Jackson: a penalty of kind {@code NONE} (the identity). */
    public ActivityPenalty() {
    }

    /**
     * A penalty layer.
     *
     * @param sparsity the penalty
     */
    public ActivityPenalty(Sparsity sparsity) {
        Objects.requireNonNull(sparsity, "sparsity");
        this.kind = sparsity.kind();
        this.weight = sparsity.weight();
        this.target = sparsity.target();
    }

    /**
     * The penalty as a validated value.
     *
     * @return the sparsity
     * @throws IllegalArgumentException when the stored properties are inconsistent (e.g. edited JSON)
     */
    public Sparsity sparsity() {
        return new Sparsity(kind, weight, target);
    }

    /** @return the kind of penalty */
    public Sparsity.Kind getKind() {
        return kind;
    }

    /** @param kind the kind of penalty */
    public void setKind(Sparsity.Kind kind) {
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** @return the penalty weight */
    public double getWeight() {
        return weight;
    }

    /** @param weight the penalty weight */
    public void setWeight(double weight) {
        this.weight = weight;
    }

    /** @return the KL target (0 unless the kind is KL) */
    public double getTarget() {
        return target;
    }

    /** @param target the KL target */
    public void setTarget(double target) {
        this.target = target;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners,
                                                       int layerIndex, INDArray layerParamsView,
                                                       boolean initializeParams, DataType networkDataType) {
        sparsity(); // fail early on an inconsistent (hand-edited) configuration
        ActivityPenaltyLayer layer = new ActivityPenaltyLayer(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> params = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (inputType == null) {
            throw new IllegalStateException("no input type for activity penalty layer '" + getLayerName() + "'");
        }
        return inputType;
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        long perExample = inputType.arrayElementsPerExample();
        return new LayerMemoryReport.Builder(layerName, ActivityPenalty.class, inputType, inputType)
                .standardMemory(0, 0)
                .workingMemory(0, 0, 0, perExample)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    @Override
    public ActivityPenalty clone() {
        return (ActivityPenalty) super.clone();
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof ActivityPenalty;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ActivityPenalty p) || !p.canEqual(this) || !super.equals(o)) {
            return false;
        }
        return kind == p.kind && Double.compare(weight, p.weight) == 0 && Double.compare(target, p.target) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), kind, weight, target);
    }

    @Override
    public String toString() {
        return "ActivityPenalty(" + getLayerName() + ", " + kind.name().toLowerCase(java.util.Locale.ROOT)
                + ", weight=" + weight + ", target=" + target + ")";
    }
}
