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
 * The fast path: ae4j's convolutional autoencoder is made of {@link NativeConv2D} layers, and what
 * ND4J executes for them is its native {@code conv2d} / {@code conv2d_bp} ops (oneDNN-backed),
 * never DL4J's Java-side {@code im2col} path, and the forward convolution runs once per training
 * batch (SameDiff's layers re-ran it inside backpropagation); the one-channel layers run as matrix products
 * ({@link OneChannelConv}) and the other layers' backward passes on oneDNN's primitives ({@link OneDnnConvBackward}). The op counts come from ND4J's {@link OpProfiler}.
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
    void givenReferenceNet_whenTrainingAndScoring_thenNativeConv2dRunsAndIm2colNever() {
        ComputationGraph g = new ComputationGraph(ConvAutoencoder.builder(28, 28, 1)
                .loss(ReconstructionLosses.binaryCrossEntropy()).build().buildGraph(new Adam(1e-3), 1));
        g.init();
        String build = org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
        assertTrue(build.contains("HAVE_ONEDNN"), "the test backend is nd4j-native's oneDNN build: " + build);
        assertTrue(Nd4j.getEnvironment().helpersAllowed(), "ND4J platform helpers (oneDNN) are allowed");
        OpProfiler p = run(g);
        // 5 convolutions; the 1-to-16 input layer runs its backward pass and the 16-to-1 output layer both passes as
        // matrix products (OneChannelConv): forward 4 in training + 4 at inference, not more; the other 3 layers'
        // backward passes run on oneDNN's primitives directly (OneDnnConvBackward): no conv2d_bp
        assertTrue(io.github.ae4j.core.internal.Sgemm.library() == io.github.ae4j.core.internal.Sgemm.Library.ONEDNN,
                "oneDNN's bindings load on the CPU backend");
        assertEquals(8, p.getOpCounter().getCount("conv2d"), p.getOpCounter().asString());
        assertEquals(0, p.getOpCounter().getCount("conv2d_bp"), p.getOpCounter().asString());
        assertEquals(4, p.getOpCounter().getCount("maxpool2d"), p.getOpCounter().asString());
        assertEquals(2, p.getOpCounter().getCount("maxpool2d_bp"), p.getOpCounter().asString());
        assertEquals(4, p.getOpCounter().getCount("upsampling2d"), p.getOpCounter().asString());
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
