package io.github.ae4j.core.layers;

import io.github.ae4j.core.internal.NativeOp;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The runtime layer of {@link NativeDense}. Forward: {@code z = x W} by libnd4j's {@code matmul} op,
 * the bias row added and the activation applied in place. ({@code xw_plus_b} would fuse the bias, but
 * its oneDNN implementation reorders DL4J's column-major weights on every call: measured 14 ms
 * against 0.7 ms for {@code matmul} on the 128x256x784 output layer, and 5x slower for one row.)
 * Backward, from what the training forward pass kept in DL4J's activation workspace: the
 * activation's gradient ({@code step(out) * eps} for a plain ReLU, nothing for the identity),
 * {@code dW = x^T delta} written straight into the gradient view by {@code matmul} with its
 * transpose flag (as {@code dW^T = delta^T x} into the transposed, row-major view of DL4J's
 * column-major weight gradient), {@code db} as a column sum into its view, and {@code eps_in = delta W^T} by
 * {@code matmul} into the activation-gradient workspace: three matrix products per step where DL4J's
 * layer does four. Each op runs through an op context created once per layer instance (one instance
 * per graph replica, so one thread at a time). Configurations {@link NativeDense#covers} does not
 * cover, feature masks and inputs of rank other than 2 run DL4J's own code.
 */
final class NativeDenseLayer extends DenseLayer {

    private static final long serialVersionUID = 1L;
    private static final ActivationReLU PLAIN_RELU = new ActivationReLU();

    private transient NativeOp forward;
    private transient NativeOp biasAdd;
    private transient NativeOp relu;
    private transient NativeOp weightGrad;
    private transient NativeOp inputGrad;

    // kept from the last training forward pass for backpropagation
    private transient INDArray keptInput;
    private transient INDArray keptOutput;
    private transient INDArray keptPreActivation;
    /** Set by {@link NativeDense#skipInputGradients}: the input gradient is returned as zeros, not computed. */
    transient boolean skipInputGradient;

    NativeDenseLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private void ops() {
        if (forward == null) {
            forward = NativeOp.of("matmul");
            biasAdd = NativeOp.of("biasadd");
            relu = NativeOp.of("relu", new long[0], 0.0);
            weightGrad = NativeOp.of("matmul", new long[] {1, 0, 0}, 1.0, 0.0);
            inputGrad = NativeOp.of("matmul");
        }
    }

    private boolean nativeRoute() {
        return NativeDense.covers(layerConf()) && maskArray == null && input != null && input.rank() == 2
                && input.size(1) == getParam(DefaultParamInitializer.WEIGHT_KEY).size(0);
    }

    private static boolean plainRelu(IActivation a) {
        return a.getClass() == ActivationReLU.class && PLAIN_RELU.equals(a);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        forget();
        if (!nativeRoute()) {
            return super.activate(training, mgr);
        }
        ops();
        INDArray w = getParam(DefaultParamInitializer.WEIGHT_KEY);
        INDArray b = getParam(DefaultParamInitializer.BIAS_KEY);
        INDArray x = input.dataType() == w.dataType() ? input : input.castTo(w.dataType());
        IActivation act = layerConf().getActivationFn();
        INDArray z = mgr.createUninitialized(ArrayType.ACTIVATIONS, w.dataType(), x.size(0), w.size(1));
        forward.exec(new INDArray[] {x, w}, z);
        // bias and ReLU as ops through reused contexts: 16 + 15 us on 128x256 against 51 + 22 us for
        // addiRowVector (a broadcast op on the bias view) and DL4J's scalar ReLU op
        biasAdd.exec(new INDArray[] {z, b.reshape(b.length())}, z);
        boolean relu0 = plainRelu(act);
        if (training && !relu0 && !(act instanceof ActivationIdentity)) {
            keptPreActivation = mgr.dup(ArrayType.ACTIVATIONS, z);
        }
        INDArray out;
        if (relu0) {
            relu.exec(new INDArray[] {z}, z);
            out = z;
        } else {
            out = act.getActivation(z, training);   // in place
        }
        if (training) {
            keptInput = x;
            keptOutput = out;
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        if (keptOutput == null) {   // the forward pass went through DL4J's code
            return super.backpropGradient(epsilon, mgr);
        }
        assertInputSet(true);
        INDArray w = getParam(DefaultParamInitializer.WEIGHT_KEY);
        IActivation act = layerConf().getActivationFn();
        INDArray eps = epsilon.dataType() == w.dataType() ? epsilon : epsilon.castTo(w.dataType());
        INDArray delta;
        if (plainRelu(act)) {
            delta = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, w.dataType(), keptOutput.shape());
            Nd4j.exec(new Step(keptOutput, delta));
            delta.muli(eps);
        } else if (act instanceof ActivationIdentity) {
            delta = eps;
        } else {
            delta = act.backprop(keptPreActivation, eps).getFirst();
        }
        INDArray dw = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
        INDArray db = gradientViews.get(DefaultParamInitializer.BIAS_KEY);
        if (dw.ordering() == 'f') {
            // DL4J's weight views are column-major: their transpose is a row-major [nOut, nIn] array,
            // which matmul fills 2-4x faster than a column-major output (measured on 128x784x256)
            weightGrad.exec(new INDArray[] {delta, keptInput}, dw.transpose());
        } else {
            weightGrad.exec(new INDArray[] {keptInput, delta}, dw);   // x^T delta
        }
        delta.sum(db, 0);
        INDArray epsNext;
        if (skipInputGradient) {
            epsNext = mgr.create(ArrayType.ACTIVATION_GRAD, w.dataType(), delta.size(0), w.size(0));
        } else {
            epsNext = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, w.dataType(), delta.size(0), w.size(0));
            inputGrad.exec(new INDArray[] {delta, w.transpose()}, epsNext);
        }
        Gradient g = new DefaultGradient();
        g.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, dw);
        g.gradientForVariable().put(DefaultParamInitializer.BIAS_KEY, db);
        forget();
        return new Pair<>(g, epsNext);
    }

    /** Drops the references kept for backpropagation (the arrays live in workspaces). */
    private void forget() {
        keptInput = null;
        keptOutput = null;
        keptPreActivation = null;
    }

    @Override
    public void clear() {
        super.clear();
        forget();
    }
}
