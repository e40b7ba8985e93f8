package io.github.ae4j.conv.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.conv.ConvAutoencoder;
import io.github.ae4j.core.ModelSpec;
import io.github.ae4j.core.ReconstructionLosses;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.profiler.OpProfiler;
import org.nd4j.linalg.profiler.ProfilerConfig;

/**
 * The fast path: ae4j's convolutional autoencoder is made of {@link NativeConv2D} layers whose convolutions never take
 * DL4J's Java-side {@code im2col} path: the one-channel layers run as matrix products ({@link OneChannelConv}), the
 * others on oneDNN's primitives called directly ({@link OneDnnConv}), so ND4J sees no {@code conv2d},
 * {@code conv2d_bp}, {@code im2col} or {@code col2im} op; and each layer's forward pass runs once per training batch
 * (SameDiff's layers re-ran it inside backpropagation: the pooling and upsampling ops counted here would double).
 * The op counts come from ND4J's {@link OpProfiler}.
 */
class FastPathTest {

    @AfterEach
    void profilerOff() {
        Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().build());
        OpProfiler.getInstance().reset();
    }

    /** Runs one training step and one inference pass with op counting on. */
    private static OpProfiler run(ComputationGraph g) {
        INDArray x = Nd4j.rand(DataType.FLOAT, 16, 28 * 28);
        g.fit(new INDArray[] {x}, new INDArray[] {x});     // builds the graphs before counting
        Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().checkElapsedTime(true).build());
        OpProfiler.getInstance().reset();
        g.fit(new INDArray[] {x}, new INDArray[] {x});
        g.outputSingle(false, x);
        Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().build());
        return OpProfiler.getInstance();
    }

    @Test
    void givenReferenceNet_whenBuilt_thenEveryConvolutionIsTheSameDiffLayer() {
        ModelSpec spec = ConvAutoencoder.builder(28, 28, 1).build();
        ComputationGraphConfiguration conf = spec.buildGraph(new Adam(1e-3), 1);
        List<Layer> layers = new ArrayList<>();
        conf.getVertices().values().forEach(v -> {
            if (v instanceof LayerVertex lv) {
                layers.add(lv.getLayerConf().getLayer());
            }
        });
        long nativeConvs = layers.stream().filter(l -> l instanceof NativeConv2D).count();
        assertEquals(5, nativeConvs, "2 encoder + 2 decoder + 1 output convolution");
        assertTrue(layers.stream().noneMatch(l -> l instanceof ConvolutionLayer || l instanceof Deconvolution2D
                || l instanceof SubsamplingLayer || l instanceof Upsampling2D), layers.toString());
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        assertEquals("NativeConv2DLayer", g.getLayer("enc1").getClass().getSimpleName());
    }

    @Test
    @Tag("onednn")
    void givenReferenceNet_whenTrainingAndScoring_thenDirectConvolutionsRunAndIm2colNever() {
        ComputationGraph g = new ComputationGraph(ConvAutoencoder.builder(28, 28, 1)
                .loss(ReconstructionLosses.binaryCrossEntropy()).build().buildGraph(new Adam(1e-3), 1));
        g.init();
        String build = org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
        assertTrue(build.contains("HAVE_ONEDNN"), "the test backend is nd4j-native's oneDNN build: " + build);
        assertTrue(Nd4j.getEnvironment().helpersAllowed(), "ND4J platform helpers (oneDNN) are allowed");
        OpProfiler p = run(g);
        // 5 convolutions: the 1-to-16 input layer's backward pass and the 16-to-1 output layer's both passes run as
        // matrix products (OneChannelConv), every other pass on oneDNN's primitives called directly (OneDnnConv):
        // no conv2d or conv2d_bp op at all
        assertTrue(io.github.ae4j.core.internal.Sgemm.library() == io.github.ae4j.core.internal.Sgemm.Library.ONEDNN,
                "oneDNN's bindings load on the CPU backend");
        assertEquals(0, p.getOpCounter().getCount("conv2d"), p.getOpCounter().asString());
        assertEquals(0, p.getOpCounter().getCount("conv2d_bp"), p.getOpCounter().asString());
        // pooling on oneDNN's primitives called directly (OneDnnPool), upsampling in Java (NearestUpsample)
        assertEquals(0, p.getOpCounter().getCount("maxpool2d"), p.getOpCounter().asString());
        assertEquals(0, p.getOpCounter().getCount("maxpool2d_bp"), p.getOpCounter().asString());
        assertEquals(0, p.getOpCounter().getCount("upsampling2d"), p.getOpCounter().asString());
        assertEquals(0, p.getOpCounter().getCount("upsampling2d_bp"), p.getOpCounter().asString());
        assertEquals(0, p.getOpCounter().getCount("im2col"), p.getOpCounter().asString());
        assertEquals(0, p.getOpCounter().getCount("col2im"), p.getOpCounter().asString());
    }

    @Test
    void givenStockDl4jConvolutionLayer_whenTraining_thenTheSlowIm2colPathRuns() {
        // the contrast that shows the counter sees the slow path when it is taken
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-3))
                .dataType(DataType.FLOAT).graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutionalFlat(28, 28, 1))
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(1).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.IDENTITY).build(), "in")
                .addLayer("out", new LossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                        .build(), "conv")
                .inputPreProcessor("out", new CnnToFeedForwardPreProcessor(28, 28, 1))
                .setOutputs("out").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        OpProfiler p = run(g);
        assertTrue(p.getOpCounter().getCount("im2col") > 0, p.getOpCounter().asString());
        assertEquals(0, p.getOpCounter().getCount("conv2d"), p.getOpCounter().asString());
    }
}
