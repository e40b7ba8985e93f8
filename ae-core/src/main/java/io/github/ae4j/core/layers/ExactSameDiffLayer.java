package io.github.ae4j.core.layers;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Base class for custom SameDiff layers in ae4j graphs: a DL4J {@link SameDiffLayer} whose gradients
 * are exact and which keeps SameDiff off standard output. In DL4J 1.0.0-M2.1 a plain
 * {@code SameDiffLayer} receives twice the true gradient (2^k after k such layers: its
 * {@code ExternalErrorsFunction} adds the incoming gradient to itself), which Adam mostly hides but
 * SGD, clipping, weight decay and a mix with ordinary layers do not. Extend this class instead of
 * DL4J's, exactly as DL4J documents for {@code SameDiffLayer} ({@code defineParameters},
 * {@code initializeParameters}, {@code defineLayer}, {@code getOutputType}); like every DL4J layer
 * configuration it needs a public no-argument constructor and bean fields to be saved.
 */
public abstract class ExactSameDiffLayer extends SameDiffLayer {

    private static final long serialVersionUID = 1L;

    /** For subclasses and JSON. */
    protected ExactSameDiffLayer() {
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        return ExactSameDiffLayerImpl.create(this, conf, layerIndex, layerParamsView, initializeParams, networkDataType);
    }
}
