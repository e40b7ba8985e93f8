package io.github.ae4j.conv.layers;

import java.util.Arrays;
import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Pieces shared by the runtime layers of {@link NativeConv2D} and {@link NativeMaxPool2D}. */
final class NativeSupport {

    private NativeSupport() {
    }

    /** {@code maxpool2d} / {@code maxpool2d_bp} arguments: kernel = stride, SAME padding, NHWC. */
    static long[] poolArgs(int ph, int pw) {
        return new long[] {ph, pw, ph, pw, 0, 0, 1, 1, 1, 0, 1};
    }

    /**
     * The layer input as a row-major NHWC array {@code [n, h, w, c]}: itself when it has that shape,
     * a reshaped view of flat HWC rows (or of a one-channel NCHW map, whose memory order is the same).
     */
    static INDArray nhwc(INDArray in, int h, int w, int c, String layer) {
        long[] s = in.shape();
        if (s.length == 4 && s[1] == h && s[2] == w && s[3] == c) {
            return in.ordering() == 'c' ? in : in.dup('c');
        }
        long per = (long) h * w * c;
        if (s.length >= 2 && s[0] > 0 && in.length() / s[0] == per && in.length() % s[0] == 0
                && (s.length != 4 || s[1] == 1 || s[3] == 1)) {
            return in.reshape('c', s[0], h, w, c);
        }
        throw new DL4JInvalidInputException(layer + " expects rows of " + h + "x" + w + "x" + c + " (HWC) values, got"
                + " an input of shape " + Arrays.toString(s));
    }

    /**
     * Applies an activation to {@code pre}. At inference and for ReLU/identity in place; in training
     * otherwise into a copy of type {@code type}, so that {@code pre} is kept for the backward pass.
     */
    static INDArray activate(Activation a, INDArray pre, boolean training, ArrayType type, LayerWorkspaceMgr mgr) {
        switch (a) {
            case IDENTITY:
                return pre;
            case RELU:
                return Transforms.relu(pre, false);
            default:
                INDArray target = training ? mgr.dup(type, pre) : pre;
                return a.getActivationFunction().getActivation(target, training);
        }
    }

    /**
     * The gradient before an activation: {@code grad} for identity, {@code step(post) * grad} for
     * ReLU (post &gt; 0 exactly where pre &gt; 0), the activation's own backward pass otherwise.
     */
    static INDArray activationBackprop(Activation a, INDArray pre, INDArray post, INDArray grad,
                                       LayerWorkspaceMgr mgr) {
        switch (a) {
            case IDENTITY:
                return grad;
            case RELU: {
                INDArray d = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, grad.dataType(), post.shape());
                Nd4j.exec(new Step(post, d));
                return d.muli(grad);
            }
            default:
                return a.getActivationFunction().backprop(mgr.dup(ArrayType.BP_WORKING_MEM, pre), grad).getFirst();
        }
    }

    /**
     * Copies the common top-left region of two NHWC arrays of possibly different height and width
     * ({@code to} is zeroed first): a crop or zero-pad at the bottom/right, and its backward pass.
     */
    static INDArray cropOrPad(INDArray from, long toH, long toW, ArrayType type, LayerWorkspaceMgr mgr) {
        INDArray to = mgr.create(type, from.dataType(), from.size(0), toH, toW, from.size(3));
        long mh = Math.min(toH, from.size(1));
        long mw = Math.min(toW, from.size(2));
        INDArrayIndex[] ix = {NDArrayIndex.all(), NDArrayIndex.interval(0, mh), NDArrayIndex.interval(0, mw),
            NDArrayIndex.all()};
        to.get(ix).assign(from.get(ix));
        return to;
    }
}
