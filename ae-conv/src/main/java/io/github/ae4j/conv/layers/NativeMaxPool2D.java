package io.github.ae4j.conv.layers;

import java.util.Collection;
import java.util.Objects;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.NoParamLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Max pooling (kernel = stride, {@code SAME} padding: output = ceil(input / size)) over NHWC
 * activations with its own backward pass, on oneDNN's pooling primitives ({@code OneDnnPool}) where the CPU
 * backend has them, else libnd4j's {@code maxpool2d} / {@code maxpool2d_bp} ops,
 * optionally flattening its output to {@code [n, h*w*c]} (a 1 x 1 size only flattens). It computes
 * what {@link SameDiffMaxPool2D} computes, without SameDiff; used where pooling cannot be fused into
 * {@link NativeConv2D} (after batch normalisation).
 *
 * <p>A DL4J layer configuration bean (public no-argument constructor, serialised to JSON).
 */
public class NativeMaxPool2D extends NoParamLayer {

    private static final long serialVersionUID = 1L;

    private int inputHeight;
    private int inputWidth;
    private int inputChannels;
    private int poolHeight = 2;
    private int poolWidth = 2;
    private boolean flattenOutput;

    /** For JSON deserialisation; see {@link #NativeMaxPool2D(int, int, boolean)}. */
    public NativeMaxPool2D() {
    }

    /**
     * Creates the layer.
     *
     * @param poolHeight pooling size and stride along the height
     * @param poolWidth  pooling size and stride along the width
     * @param flatten    true to flatten the output
     */
    public NativeMaxPool2D(int poolHeight, int poolWidth, boolean flatten) {
        this.poolHeight = Shapes.positive(poolHeight, "pool height");
        this.poolWidth = Shapes.positive(poolWidth, "pool width");
        this.flattenOutput = flatten;
    }

    int[] outputShape(int h, int w, int c) {
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
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> listeners, int layerIndex,
                                                       INDArray paramsView, boolean initializeParams,
                                                       DataType networkDataType) {
        NativeMaxPool2DLayer l = new NativeMaxPool2DLayer(conf, networkDataType);
        l.setListeners(listeners);
        l.setIndex(layerIndex);
        l.setParamsViewArray(paramsView);
        l.setConf(conf);
        return l;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType out = getOutputType(-1, inputType);
        return new LayerMemoryReport.Builder(getLayerName(), NativeMaxPool2D.class, inputType, out)
                .standardMemory(0, 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
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
        return o instanceof NativeMaxPool2D p && super.equals(o) && inputHeight == p.inputHeight
                && inputWidth == p.inputWidth && inputChannels == p.inputChannels && poolHeight == p.poolHeight
                && poolWidth == p.poolWidth && flattenOutput == p.flattenOutput;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), inputHeight, inputWidth, inputChannels, poolHeight, poolWidth,
                flattenOutput);
    }

    @Override
    public String toString() {
        return "NativeMaxPool2D[" + inputHeight + "x" + inputWidth + "x" + inputChannels + ", " + poolHeight + "x"
                + poolWidth + (flattenOutput ? ", flat" : "") + "]";
    }
}
