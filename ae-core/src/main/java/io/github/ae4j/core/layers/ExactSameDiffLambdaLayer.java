package io.github.ae4j.core.layers;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLambdaLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Base class for parameter-free custom layers written as one SameDiff expression (DL4J's
 * {@link SameDiffLambdaLayer}), with exact gradients and quiet standard output (see
 * {@link ExactSameDiffLayer}). The output type defaults to the input type (shape-preserving
 * operations such as activations); override {@link #getOutputType} otherwise.
 *
 * <pre>{@code
 * public static class Swish extends ExactSameDiffLambdaLayer {
 *     public SDVariable defineLayer(SameDiff sd, SDVariable x) { return x.mul(sd.nn().sigmoid(x)); }
 * }
 * }</pre>
 */
public abstract class ExactSameDiffLambdaLayer extends SameDiffLambdaLayer {

    private static final long serialVersionUID = 1L;

    /** For subclasses and JSON. */
    protected ExactSameDiffLambdaLayer() {
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return inputType;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        return ExactSameDiffLayerImpl.create(this, conf, layerIndex, layerParamsView, initializeParams, networkDataType);
    }
}
