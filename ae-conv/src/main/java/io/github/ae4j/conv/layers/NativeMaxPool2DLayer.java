package io.github.ae4j.conv.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The runtime layer of {@link NativeMaxPool2D}. */
final class NativeMaxPool2DLayer extends AbstractLayer<NativeMaxPool2D> {

    private static final long serialVersionUID = 1L;

    private transient MaxPooling maxPool;
    private transient INDArray poolInput;
    private transient long[] outputShape;

    NativeMaxPool2DLayer(NeuralNetConfiguration conf, org.nd4j.linalg.api.buffer.DataType dataType) {
        super(conf, dataType);
    }

    private boolean pooling() {
        return layerConf().getPoolHeight() * layerConf().getPoolWidth() > 1;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        NativeMaxPool2D c = layerConf();
        INDArray x = NativeSupport.nhwc(input, c.getInputHeight(), c.getInputWidth(), c.getInputChannels(), layerId());
        long n = x.size(0);
        int[] o = c.outputShape(c.getInputHeight(), c.getInputWidth(), c.getInputChannels());
        outputShape = new long[] {n, o[0], o[1], o[2]};
        INDArray out;
        if (pooling()) {
            if (maxPool == null) {
                maxPool = new MaxPooling(c.getInputHeight(), c.getInputWidth(), c.getInputChannels(),
                        c.getPoolHeight(), c.getPoolWidth(), dataType);
            }
            out = mgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), outputShape);
            maxPool.forward(x, out, training);
        } else {
            out = mgr.leverageTo(ArrayType.ACTIVATIONS, x);
        }
        poolInput = training ? x : null;
        return c.isFlattenOutput() ? out.reshape('c', n, out.length() / n) : out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        assertInputSet(true);
        if (poolInput == null) {
            throw new IllegalStateException(layerId() + ": backpropagation without a training forward pass");
        }
        INDArray dx;
        if (pooling()) {
            INDArray e = epsilon.reshape('c', outputShape);
            dx = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, e.dataType(), poolInput.shape());
            maxPool.backward(poolInput, e, dx);
        } else {
            dx = mgr.leverageTo(ArrayType.ACTIVATION_GRAD, epsilon);
        }
        poolInput = null;
        return new Pair<>(new DefaultGradient(), dx.reshape('c', input.shape()));
    }

    @Override
    public void clear() {
        super.clear();
        poolInput = null;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void clearNoiseWeightParams() {
        // no parameters
    }

    @Override
    public Layer.Type type() {
        return Layer.Type.SUBSAMPLING;
    }
}
