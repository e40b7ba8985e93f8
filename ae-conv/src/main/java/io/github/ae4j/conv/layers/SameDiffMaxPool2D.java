package io.github.ae4j.conv.layers;

import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import io.github.ae4j.core.layers.ExactSameDiffLayer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Max pooling (kernel = stride, {@code SAME} padding: output = ceil(input / size)) over NHWC
 * activations, as a parameter-free SameDiff layer running ND4J's native {@code maxpool2d} op,
 * optionally flattening its output to {@code [n, h*w*c]} (a 1 x 1 size only flattens). Used where
 * pooling cannot be fused into {@link SameDiffConv2D} (after batch normalisation).
 *
 * <p>A DL4J layer configuration bean (public no-argument constructor, getters and setters).
 */
public class SameDiffMaxPool2D extends ExactSameDiffLayer {

    private static final long serialVersionUID = 1L;

    private int inputHeight;
    private int inputWidth;
    private int inputChannels;
    private int poolHeight = 2;
    private int poolWidth = 2;
    private boolean flattenOutput;

    /** For JSON deserialisation; see {@link #SameDiffMaxPool2D(int, int, boolean)}. */
    public SameDiffMaxPool2D() {
        this.regularization = new java.util.ArrayList<>();
        this.regularizationBias = new java.util.ArrayList<>();
    }

    /**
     * Creates the layer.
     *
     * @param poolHeight pooling size and stride along the height
     * @param poolWidth  pooling size and stride along the width
     * @param flatten    true to flatten the output
     */
    public SameDiffMaxPool2D(int poolHeight, int poolWidth, boolean flatten) {
        this();
        this.poolHeight = Shapes.positive(poolHeight, "pool height");
        this.poolWidth = Shapes.positive(poolWidth, "pool width");
        this.flattenOutput = flatten;
    }

    private int[] outputShape(int h, int w, int c) {
        return new int[] {Shapes.poolOut(h, poolHeight), Shapes.poolOut(w, poolWidth), c};
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        int[] in = Shapes.imageShape(inputType, inputHeight, inputWidth, inputChannels, getLayerName());
        int[] out = outputShape(in[0], in[1], in[2]);
        return flattenOutput ? InputType.feedForward((long) out[0] * out[1] * out[2])
                : InputType.convolutional(out[0], out[1], out[2], CNN2DFormat.NHWC);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (inputChannels > 0 && !override) {
            return;
        }
        int[] in = Shapes.imageShape(inputType, inputHeight, inputWidth, inputChannels, getLayerName());
        inputHeight = in[0];
        inputWidth = in[1];
        inputChannels = in[2];
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.clear();
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        // no parameters
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
        SDVariable x = Shapes.toNhwc(sd, input, inputHeight, inputWidth, inputChannels);
        if (poolHeight > 1 || poolWidth > 1) {
            x = Shapes.maxPool(sd, x, poolHeight, poolWidth);
        }
        if (flattenOutput) {
            int[] o = outputShape(inputHeight, inputWidth, inputChannels);
            x = sd.reshape(x, -1, (long) o[0] * o[1] * o[2]);
        }
        return x;
    }

    /** @return input height (set from the input type) */
    public int getInputHeight() {
        return inputHeight;
    }

    /** @param v input height */
    public void setInputHeight(int v) {
        inputHeight = v;
    }

    /** @return input width (set from the input type) */
    public int getInputWidth() {
        return inputWidth;
    }

    /** @param v input width */
    public void setInputWidth(int v) {
        inputWidth = v;
    }

    /** @return input channels (set from the input type) */
    public int getInputChannels() {
        return inputChannels;
    }

    /** @param v input channels */
    public void setInputChannels(int v) {
        inputChannels = v;
    }

    /** @return pooling size along the height */
    public int getPoolHeight() {
        return poolHeight;
    }

    /** @param v pooling size along the height */
    public void setPoolHeight(int v) {
        poolHeight = v;
    }

    /** @return pooling size along the width */
    public int getPoolWidth() {
        return poolWidth;
    }

    /** @param v pooling size along the width */
    public void setPoolWidth(int v) {
        poolWidth = v;
    }

    /** @return true when the output is flattened */
    public boolean isFlattenOutput() {
        return flattenOutput;
    }

    /** @param v true to flatten the output */
    public void setFlattenOutput(boolean v) {
        flattenOutput = v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SameDiffMaxPool2D p && super.equals(o) && inputHeight == p.inputHeight
                && inputWidth == p.inputWidth && inputChannels == p.inputChannels && poolHeight == p.poolHeight
                && poolWidth == p.poolWidth && flattenOutput == p.flattenOutput;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(super.hashCode(), inputHeight, inputWidth, inputChannels, poolHeight, poolWidth,
                flattenOutput);
    }

    @Override
    public String toString() {
        return "SameDiffMaxPool2D[" + inputHeight + "x" + inputWidth + "x" + inputChannels + ", " + poolHeight + "x"
                + poolWidth + (flattenOutput ? ", flat" : "") + "]";
    }
}
