package io.github.ae4j.conv.layers;

import static io.github.ae4j.conv.layers.ConvAsserts.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.conv.ConvAutoencoder;
import io.github.ae4j.core.ReconstructionLosses;
import java.util.Map;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The native layers' backward passes: numerically (central differences in double precision, small
 * shapes, every option: upsampling, crop and pad, stride, VALID padding, pooling before and after
 * the activation, flattening) and against the SameDiff layers they replace (same parameters, same
 * outputs and gradients, in float on the oneDNN path).
 */
class NativeLayersTest {

    private DataType savedData;
    private DataType savedFloat;

    @BeforeEach
    void saveTypes() {
        savedData = Nd4j.dataType();
        savedFloat = Nd4j.defaultFloatingPointType();
    }

    @AfterEach
    void restoreTypes() {
        Nd4j.setDefaultDataTypes(savedData, savedFloat);
    }

    // ------------------------------------------------------------------ numerical gradient checks

    /**
     * A graph input (h x w x c flat rows) -> a small convolution in front (so that the tested layer's
     * input gradient is checked through the front layer's weight gradient) -> the tested layer -> MSE.
     */
    private static boolean gradientCheck(int h, int w, int c, Layer tested) {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).updater(new NoOp())
                .dataType(DataType.DOUBLE).graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutionalFlat(h, w, c))
                .addLayer("front", NativeConv2D.builder().filters(c).kernel(3, 3).activation(Activation.TANH).build(),
                        "in")
                .addLayer("tested", tested, "front")
                .addLayer("out", new LossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                        .build(), "tested")
                .setOutputs("out").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        // biases away from zero so that ReLU and pooling see no ties or kinks at the perturbation scale
        g.getLayer("front").paramTable().get(NativeConv2D.BIAS_KEY).assign(Nd4j.rand(DataType.DOUBLE, c).subi(0.5));
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, (long) h * w * c);
        INDArray y = Nd4j.rand(DataType.DOUBLE, g.outputSingle(false, x).shape());
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g)
                .inputs(new INDArray[] {x}).labels(new INDArray[] {y})
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
    }

    @Test
    void givenConvolutionWithReluAndPooling_whenBackpropagating_thenGradientsMatchFiniteDifferences() {
        assertTrue(gradientCheck(6, 5, 2, NativeConv2D.builder().filters(3).activation(Activation.RELU).pool(2, 2)
                .flatten(true).build()));
    }

    @Test
    void givenUpsamplingCropAndPad_whenBackpropagating_thenGradientsMatchFiniteDifferences() {
        assertTrue(gradientCheck(3, 4, 2, NativeConv2D.builder().filters(2).upsample(2, 2).resize(5, 9)
                .activation(Activation.SIGMOID).flatten(true).build()));   // 6x8 cropped/padded to 5x9
        assertTrue(gradientCheck(3, 3, 1, NativeConv2D.builder().filters(2).upsample(2, 3)
                .activation(Activation.RELU).build()));
    }

    @Test
    void givenStrideValidPaddingAndPoolAfterAnActivation_whenBackpropagating_thenGradientsMatchFiniteDifferences() {
        assertTrue(gradientCheck(7, 6, 2, NativeConv2D.builder().filters(3).kernel(3, 2).stride(2, 1)
                .samePadding(false).activation(Activation.LEAKYRELU).build()));
        // GELU is not monotone: pooling after the activation
        assertTrue(gradientCheck(6, 6, 1, NativeConv2D.builder().filters(2).activation(Activation.SWISH).pool(2, 3)
                .flatten(true).build()));
    }

    @Test
    void givenMaxPoolLayer_whenBackpropagating_thenGradientsMatchFiniteDifferences() {
        assertTrue(gradientCheck(5, 6, 2, new NativeMaxPool2D(2, 2, true)));
        assertTrue(gradientCheck(4, 4, 2, new NativeMaxPool2D(1, 1, true)));
    }

    // ------------------------------------------------------------------ against the SameDiff layers

    /** The same configuration on the SameDiff layers (the previous implementation). */
    private static Layer toSameDiff(Layer l) {
        if (l instanceof NativeConv2D n) {
            SameDiffConv2D.Builder b = SameDiffConv2D.builder().input(n.getInputHeight(), n.getInputWidth(),
                    n.getInputChannels()).filters(n.getFilters()).kernel(n.getKernelHeight(), n.getKernelWidth())
                    .stride(n.getStrideHeight(), n.getStrideWidth()).samePadding(n.isSamePadding())
                    .activation(n.getActivation()).upsample(n.getUpsampleHeight(), n.getUpsampleWidth())
                    .pool(n.getPoolHeight(), n.getPoolWidth()).flatten(n.isFlattenOutput()).name(n.getLayerName());
            if (n.getResizeHeight() > 0) {
                b.resize(n.getResizeHeight(), n.getResizeWidth());
            }
            SameDiffConv2D s = b.build();
            s.setUpdater(new Sgd(0.1));
            s.setBiasUpdater(new Sgd(0.1));
            return s;
        }
        if (l instanceof NativeMaxPool2D p) {
            SameDiffMaxPool2D s = new SameDiffMaxPool2D(p.getPoolHeight(), p.getPoolWidth(), p.isFlattenOutput());
            s.setInputHeight(p.getInputHeight());
            s.setInputWidth(p.getInputWidth());
            s.setInputChannels(p.getInputChannels());
            s.setLayerName(p.getLayerName());
            return s;
        }
        return l;
    }

    /** Builds the net with native layers and the same net with SameDiff layers and equal parameters. */
    private static ComputationGraph[] pair(ComputationGraphConfiguration nativeConf) {
        ComputationGraph a = new ComputationGraph(nativeConf.clone());
        a.init();
        ComputationGraphConfiguration sdConf = nativeConf.clone();
        int swapped = 0;
        for (GraphVertex v : sdConf.getVertices().values()) {
            if (v instanceof LayerVertex lv) {
                Layer before = lv.getLayerConf().getLayer();
                Layer after = toSameDiff(before);
                swapped += before != after ? 1 : 0;
                lv.getLayerConf().setLayer(after);
            }
        }
        assertTrue(swapped > 0, "the net has native layers");
        ComputationGraph b = new ComputationGraph(sdConf);
        b.init();
        for (org.deeplearning4j.nn.api.Layer la : a.getLayers()) {
            for (Map.Entry<String, INDArray> p : la.paramTable().entrySet()) {
                b.getLayer(la.conf().getLayer().getLayerName()).paramTable().get(p.getKey()).assign(p.getValue());
            }
        }
        return new ComputationGraph[] {a, b};
    }

    /** Outputs, score and every parameter gradient of the two implementations agree. */
    private static void assertSameAsSameDiff(ComputationGraphConfiguration conf, int inputSize) {
        ComputationGraph[] ab = pair(conf);
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, 16, inputSize);
        assertClose(ab[1].outputSingle(false, x), ab[0].outputSingle(false, x), 1e-5, "output");
        for (ComputationGraph g : ab) {
            g.setInputs(x);
            g.setLabels(x);
            g.computeGradientAndScore();
        }
        assertEquals(ab[1].score(), ab[0].score(), 1e-5 * Math.abs(ab[1].score()), "score");
        // a bias before batch normalisation has a gradient that is zero up to rounding: its differences are judged
        // against a hundredth of the largest gradient
        double largest = 0;
        for (INDArray gr : ab[1].gradient().gradientForVariable().values()) {
            largest = Math.max(largest, gr.amaxNumber().doubleValue());
        }
        for (org.deeplearning4j.nn.api.Layer la : ab[0].getLayers()) {
            String name = la.conf().getLayer().getLayerName();
            for (String key : la.paramTable().keySet()) {
                INDArray ga = ab[0].gradient().getGradientFor(name + "_" + key);
                INDArray gb = ab[1].gradient().getGradientFor(name + "_" + key);
                assertClose(gb, ga, 1e-4, 1e-2 * largest, name + "_" + key);
            }
        }
    }

    @Test
    void givenReferenceAutoencoder_whenComparedWithSameDiffLayers_thenOutputsAndGradientsAgree() {
        assertSameAsSameDiff(ConvAutoencoder.builder(28, 28, 1).loss(ReconstructionLosses.binaryCrossEntropy()).build()
                .buildGraph(new Sgd(0.1), 1), 784);
    }

    @Test
    void givenOddSizesStridesBatchNormAndTanh_whenComparedWithSameDiffLayers_thenOutputsAndGradientsAgree() {
        assertSameAsSameDiff(ConvAutoencoder.builder(13, 11, 2).filters(6, 4).activation(Activation.TANH)
                .batchNorm(true).build().buildGraph(new Sgd(0.1), 1), 13 * 11 * 2);
        assertSameAsSameDiff(ConvAutoencoder.builder(9, 10, 1).filters(5, 3).stridedConvolution()
                .activation(Activation.LEAKYRELU).denseBottleneck(4).build().buildGraph(new Sgd(0.1), 1), 90);
    }

    @Test
    void givenConvModel_whenScoringSingleRows_thenEqualsTheBatchPath() {
        Nd4j.getRandom().setSeed(9);
        INDArray data = Nd4j.rand(DataType.FLOAT, 160, 12 * 12);
        io.github.ae4j.core.Autoencoder m = io.github.ae4j.core.Autoencoder.fit(
                ConvAutoencoder.builder(12, 12, 1).filters(4, 2).loss(ReconstructionLosses.binaryCrossEntropy()).build(),
                data, ConvAutoencoder.trainingDefaults().withEpochs(1).withValidationFraction(0).withPatience(0));
        double[] batch = m.reconstructionError(data).toDoubleVector();         // 160 rows: the batch path
        double[] generic = m.featureErrors(data).mean(1).toDoubleVector();
        for (int i = 0; i < 12; i++) {
            assertEquals(generic[i], batch[i], 1e-5, "row " + i);
            assertEquals(batch[i], m.reconstructionError(data.getRow(i, true)).getDouble(0), 1e-6, "row " + i);
        }
    }
}
