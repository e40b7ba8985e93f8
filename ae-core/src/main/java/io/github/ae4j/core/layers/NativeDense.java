package io.github.ae4j.core.layers;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A fully connected layer with the configuration, parameters and JSON form of DL4J's
 * {@link DenseLayer} (weights {@code W [nIn, nOut]}, bias {@code b}, the same initialisation,
 * regularisation and updaters) whose runtime layer computes its forward and backward passes with
 * libnd4j's {@code matmul} op through op contexts created once per layer, and
 * keeps from the forward pass what the backward pass needs: DL4J's own dense layer recomputes the
 * forward product inside backpropagation and goes through {@code INDArray.mmul}, whose per-call
 * overhead is ~40% of the product on the 128x784x256 training shape.
 *
 * <p>Layers with a configuration this class does not cover (no bias, layer normalisation, weight
 * noise, dropout on the layer's input, feature masks, inputs that are not matrices) run DL4J's own
 * code unchanged. Models saved with {@link DenseLayer} keep loading as DL4J's layer.
 */
public class NativeDense extends DenseLayer {

    private static final long serialVersionUID = 1L;

    /** For JSON deserialisation; use {@link #of(DenseLayer)}. */
    public NativeDense() {
        super();
    }

    /**
     * The native counterpart of a dense layer configuration, or the configuration itself when the
     * native route does not cover it (no bias, layer normalisation, weight noise or input dropout).
     *
     * @param d a built DL4J dense layer configuration (not modified)
     * @return a {@code NativeDense} with every setting of {@code d}, or {@code d}
     */
    public static DenseLayer of(DenseLayer d) {
        if (d instanceof NativeDense || !covers(d)) {
            return d;
        }
        NativeDense n = new NativeDense();
        for (Class<?> c = DenseLayer.class; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    f.set(n, f.get(d));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new IllegalStateException("cannot copy the dense layer setting '" + f.getName() + "'", e);
                }
            }
        }
        return n;
    }

    /**
     * Stops the {@code NativeDense} layers that read only network inputs from computing the gradient
     * with respect to those inputs during backpropagation: nothing uses it when a graph is fitted, and
     * for the first layer of a dense autoencoder it is the largest matrix product of the backward pass
     * ({@code delta W^T}, 128x256x784 on the reference net: one of its six big products). Those layers
     * return a zero array as their input gradient instead. For a graph that is only trained (the
     * trainer's working copy); {@code ComputationGraph.backpropGradient} callers that read input
     * gradients must not use it. Not kept by {@code clone()} or model files.
     *
     * @param graph an initialised graph
     * @return the number of layers switched
     */
    public static int skipInputGradients(org.deeplearning4j.nn.graph.ComputationGraph graph) {
        int n = 0;
        for (org.deeplearning4j.nn.graph.vertex.GraphVertex v : graph.getVertices()) {
            if (!v.hasLayer() || !(v.getLayer() instanceof NativeDenseLayer layer) || v.getInputVertices() == null) {
                continue;
            }
            boolean fromInputs = v.getInputVertices().length > 0;
            for (org.deeplearning4j.nn.graph.vertex.VertexIndices in : v.getInputVertices()) {
                fromInputs &= graph.getVertices()[in.getVertexIndex()].isInputVertex();
            }
            if (fromInputs) {
                layer.skipInputGradient = true;
                n++;
            }
        }
        return n;
    }

    /** @return whether the native forward and backward passes cover this configuration */
    static boolean covers(DenseLayer d) {
        return d.hasBias() && !d.hasLayerNorm() && d.getWeightNoise() == null && d.getIDropout() == null;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
                             int layerIndex, INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("NativeDense", getLayerName(), layerIndex, getNIn(), getNOut());
        NativeDenseLayer layer = new NativeDenseLayer(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> params = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof NativeDense;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NativeDense && super.equals(o);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + 1;
    }
}
