package io.github.ae4j.conv.layers;

import io.github.ae4j.core.internal.NativeOp;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The runtime layer of {@link NativeConv2D}: forward and backward passes over libnd4j's native ops.
 * What the backward pass needs (the convolution's input, its output, the pooled values) is kept from
 * the training forward pass in DL4J's activation workspace, which stays open until backpropagation
 * ends; temporaries of the backward pass live in its working-memory workspace and the returned input
 * gradient in the activation-gradient workspace, as DL4J's own layers do.
 */
final class NativeConv2DLayer extends BaseLayer<NativeConv2D> {

    private static final long serialVersionUID = 1L;

    private transient NativeOp up;
    private transient NativeOp upBp;
    private transient NativeOp conv;
    private transient NativeOp convBp;
    /** The convolution as matrix products when one side has one channel ({@link OneChannelConv}), or null. */
    private transient OneChannelConv oneChannel;
    /** The convolution as oneDNN primitives called directly ({@link OneDnnConv}), or null. */
    private transient OneDnnConv direct;
    /** The max pooling after the convolution, or null without one. */
    private transient MaxPooling maxPool;

    // kept from the last training forward pass for backpropagation
    private transient INDArray upInput;
    private transient INDArray cropInput;
    private transient INDArray convInput;
    private transient INDArray convOutput;
    private transient INDArray preActivation;
    private transient INDArray postActivation;
    private transient INDArray output;

    NativeConv2DLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private void ops() {
        if (conv != null) {
            return;
        }
        NativeConv2D c = layerConf();
        if (c.getUpsampleHeight() * c.getUpsampleWidth() > 1) {
            up = NativeOp.of("upsampling2d", c.getUpsampleHeight(), c.getUpsampleWidth(), 0);
            // upsampling2d_bp reads only its first integer argument, as the NCHW flag (0: NHWC)
            upBp = NativeOp.of("upsampling2d_bp", 0);
        }
        long[] a = {c.getKernelHeight(), c.getKernelWidth(), c.getStrideHeight(), c.getStrideWidth(), 0, 0, 1, 1,
            c.isSamePadding() ? 1 : 0, 1 /* NHWC */, 0 /* weights [kH, kW, iC, oC] */};
        conv = NativeOp.of("conv2d", a);
        convBp = NativeOp.of("conv2d_bp", a);
        oneChannel = OneChannelConv.of(c, dataType);
        direct = OneDnnConv.of(c, dataType);
        if (pooling()) {
            ConvGeometry g = ConvGeometry.of(c);
            maxPool = new MaxPooling(g.oh(), g.ow(), c.getFilters(), c.getPoolHeight(), c.getPoolWidth(), dataType);
        }
    }

    private boolean pooling() {
        return layerConf().getPoolHeight() * layerConf().getPoolWidth() > 1;
    }

    private boolean poolFirst() {
        return pooling() && SdActivations.MONOTONE.contains(layerConf().getActivation());
    }

    private boolean resizing() {
        NativeConv2D c = layerConf();
        return c.getResizeHeight() > 0 && (c.getResizeHeight() != c.getInputHeight() * c.getUpsampleHeight()
                || c.getResizeWidth() != c.getInputWidth() * c.getUpsampleWidth());
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        ops();
        NativeConv2D c = layerConf();
        Activation act = c.getActivation();
        ArrayType keep = training ? ArrayType.ACTIVATIONS : ArrayType.FF_WORKING_MEM;
        INDArray x = NativeSupport.nhwc(input, c.getInputHeight(), c.getInputWidth(), c.getInputChannels(), layerId());
        long n = x.size(0);
        DataType dt = x.dataType();
        upInput = x;
        if (up != null) {
            INDArray u = mgr.createUninitialized(keep, dt, n, (long) c.getInputHeight() * c.getUpsampleHeight(),
                    (long) c.getInputWidth() * c.getUpsampleWidth(), c.getInputChannels());
            if (NearestUpsample.applies(dt)) {
                NearestUpsample.forward(x, u, c.getUpsampleHeight(), c.getUpsampleWidth());
            } else {
                up.exec(new INDArray[] {x}, u);
            }
            x = u;
        }
        cropInput = x;
        if (resizing()) {
            x = NativeSupport.cropOrPad(x, c.getResizeHeight(), c.getResizeWidth(), keep, mgr);
        }
        convInput = x;
        int[] ci = c.convInputSize();
        long oh = Shapes.convOut(ci[0], c.getKernelHeight(), c.getStrideHeight(), c.isSamePadding());
        long ow = Shapes.convOut(ci[1], c.getKernelWidth(), c.getStrideWidth(), c.isSamePadding());
        INDArray z = mgr.createUninitialized(pooling() ? keep : ArrayType.ACTIVATIONS, dt, n, oh, ow, c.getFilters());
        INDArray w = getParam(NativeConv2D.WEIGHT_KEY);
        INDArray b = getParam(NativeConv2D.BIAS_KEY);
        boolean fl = x.dataType() == DataType.FLOAT;
        if (oneChannel != null && oneChannel.forwardHere() && fl) {
            oneChannel.forward(x, w, b, z);
        } else if (direct == null || !fl || !direct.forward(x, w, b, z)) {
            conv.exec(new INDArray[] {x, w, b}, z);
        }
        convOutput = z;
        INDArray out;
        if (!pooling()) {
            preActivation = z;
            out = NativeSupport.activate(act, z, training, ArrayType.ACTIVATIONS, mgr);
            postActivation = out;
        } else {
            long[] ps = {n, Shapes.poolOut((int) oh, c.getPoolHeight()), Shapes.poolOut((int) ow, c.getPoolWidth()),
                c.getFilters()};
            if (poolFirst()) {
                INDArray p = mgr.createUninitialized(ArrayType.ACTIVATIONS, dt, ps);
                maxPool.forward(z, p, training);
                preActivation = p;
                out = NativeSupport.activate(act, p, training, ArrayType.ACTIVATIONS, mgr);
                postActivation = out;
            } else {
                preActivation = z;
                postActivation = NativeSupport.activate(act, z, training, keep, mgr);
                out = mgr.createUninitialized(ArrayType.ACTIVATIONS, dt, ps);
                maxPool.forward(postActivation, out, training);
            }
        }
        output = out;
        if (!training) {
            forget();
        }
        return c.isFlattenOutput() ? out.reshape('c', n, out.length() / n) : out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        assertInputSet(true);
        if (output == null) {
            throw new IllegalStateException(layerId() + ": backpropagation without a training forward pass");
        }
        NativeConv2D c = layerConf();
        Activation act = c.getActivation();
        DataType dt = output.dataType();
        INDArray e = epsilon.reshape('c', output.shape());
        INDArray dz;
        if (!pooling()) {
            dz = NativeSupport.activationBackprop(act, preActivation, postActivation, e, mgr);
        } else if (poolFirst()) {
            INDArray dp = NativeSupport.activationBackprop(act, preActivation, postActivation, e, mgr);
            dz = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dt, convOutput.shape());
            maxPool.backward(convOutput, dp, dz);
        } else {
            INDArray da = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dt, postActivation.shape());
            maxPool.backward(postActivation, e, da);
            dz = NativeSupport.activationBackprop(act, preActivation, postActivation, da, mgr);
        }
        boolean resize = resizing();
        boolean lastStep = up == null && !resize;
        // the first layer's input gradient is never read: skipped, or a scratch array for the op
        boolean skipInput = !c.isInputGradient();
        INDArray dx = skipInput ? null : mgr.createUninitialized(
                lastStep ? ArrayType.ACTIVATION_GRAD : ArrayType.BP_WORKING_MEM, dt, convInput.shape());
        INDArray dw = gradientViews.get(NativeConv2D.WEIGHT_KEY);
        INDArray db = gradientViews.get(NativeConv2D.BIAS_KEY);
        INDArray w = getParam(NativeConv2D.WEIGHT_KEY);
        boolean fl = convInput.dataType() == DataType.FLOAT;
        if (oneChannel != null && fl) {
            oneChannel.backward(convInput, w, dz, dx, dw, db);
        } else if (direct == null || !fl || !direct.backward(convInput, w, dz, dx, dw, db)) {
            INDArray target = dx != null ? dx : mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dt, convInput.shape());
            convBp.exec(new INDArray[] {convInput, w, getParam(NativeConv2D.BIAS_KEY), dz}, target, dw, db);
        }
        Gradient g = new DefaultGradient(gradientsFlattened);
        g.setGradientFor(NativeConv2D.WEIGHT_KEY, dw);
        g.setGradientFor(NativeConv2D.BIAS_KEY, db);
        if (skipInput) {
            forget();
            return new Pair<>(g, null);
        }
        if (resize) {
            dx = NativeSupport.cropOrPad(dx, cropInput.size(1), cropInput.size(2),
                    up == null ? ArrayType.ACTIVATION_GRAD : ArrayType.BP_WORKING_MEM, mgr);
        }
        if (up != null) {
            INDArray di = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dt, upInput.shape());
            if (NearestUpsample.applies(dt)) {
                NearestUpsample.backward(dx, di, c.getUpsampleHeight(), c.getUpsampleWidth());
            } else {
                upBp.exec(new INDArray[] {upInput, dx}, di);
            }
            dx = di;
        }
        INDArray eps = dx.reshape('c', input.shape());
        forget();
        return new Pair<>(g, eps);
    }

    /** Drops the references to arrays kept for backpropagation (they live in workspaces). */
    private void forget() {
        upInput = null;
        cropInput = null;
        convInput = null;
        convOutput = null;
        preActivation = null;
        postActivation = null;
        output = null;
    }

    @Override
    public void clear() {
        super.clear();
        forget();
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void clearNoiseWeightParams() {
        // no weight noise
    }

    @Override
    public Layer.Type type() {
        return Layer.Type.CONVOLUTIONAL;
    }

    @Override
    public boolean hasBias() {
        return true;
    }
}
