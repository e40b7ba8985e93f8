package io.github.ae4j.conv.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Parameters of a {@link NativeConv2D}: the weights {@code W} ({@code [kernelHeight, kernelWidth,
 * inputChannels, filters]}, row-major) then the bias {@code b} ({@code [filters]}), as views of the
 * network's flat parameter (and gradient) array. Weights are initialised with fan-in
 * {@code kH kW inputChannels} and fan-out {@code kH kW filters}, the bias with zeros.
 */
final class NativeConv2DParams implements ParamInitializer {

    static final NativeConv2DParams INSTANCE = new NativeConv2DParams();

    private static final List<String> KEYS = List.of(NativeConv2D.WEIGHT_KEY, NativeConv2D.BIAS_KEY);

    private NativeConv2DParams() {
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        NativeConv2D c = (NativeConv2D) layer;
        return c.weightCount() + c.getFilters();
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return KEYS;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of(NativeConv2D.WEIGHT_KEY);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return List.of(NativeConv2D.BIAS_KEY);
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return NativeConv2D.WEIGHT_KEY.equals(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return NativeConv2D.BIAS_KEY.equals(key);
    }

    @Override
    @SuppressWarnings("try")
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        NativeConv2D c = (NativeConv2D) conf.getLayer();
        Map<String, INDArray> m = views(c, paramsView);
        for (String k : KEYS) {
            if (!conf.variables().contains(k)) {
                conf.addVariable(k);
            }
        }
        if (initializeParams) {
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                INDArray w = m.get(NativeConv2D.WEIGHT_KEY);
                double k = (double) c.getKernelHeight() * c.getKernelWidth();
                IWeightInit init = c.getWeightInitFn() == null ? WeightInit.XAVIER.getWeightInitFunction()
                        : c.getWeightInitFn();
                init.init(k * c.getInputChannels(), k * c.getFilters(), w.shape(), 'c', w);
                m.get(NativeConv2D.BIAS_KEY).assign(0);
            }
        }
        return m;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views((NativeConv2D) conf.getLayer(), gradientView);
    }

    /** W and b as views of a flat array, each contiguous in row-major order. */
    private static Map<String, INDArray> views(NativeConv2D c, INDArray flat) {
        long nw = c.weightCount();
        INDArray row = flat.reshape(flat.length());
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put(NativeConv2D.WEIGHT_KEY, row.get(NDArrayIndex.interval(0, nw))
                .reshape('c', c.getKernelHeight(), c.getKernelWidth(), c.getInputChannels(), c.getFilters()));
        m.put(NativeConv2D.BIAS_KEY, row.get(NDArrayIndex.interval(nw, nw + c.getFilters())));
        return m;
    }
}
