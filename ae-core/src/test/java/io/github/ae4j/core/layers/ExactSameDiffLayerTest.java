package io.github.ae4j.core.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.AutoencoderSpec;
import io.github.ae4j.core.Bottleneck;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLambdaLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * DL4J 1.0.0-M2.1 doubles the gradients of SameDiff layers; ae4j's base classes make them exact and
 * keep SameDiff's messages off standard output. Checked numerically against finite differences,
 * with DL4J's own lambda layer as the control that fails the same check.
 */
class ExactSameDiffLayerTest {

    /** Swish on ae4j's base class. */
    public static class Swish extends ExactSameDiffLambdaLayer {
        @Override
        public SDVariable defineLayer(SameDiff sd, SDVariable x) {
            return x.mul(sd.nn().sigmoid(x));
        }
    }

    /** The same layer on DL4J's own base class: the control. */
    public static class PlainSwish extends SameDiffLambdaLayer {
        @Override
        public SDVariable defineLayer(SameDiff sd, SDVariable x) {
            return x.mul(sd.nn().sigmoid(x));
        }

        @Override
        public org.deeplearning4j.nn.conf.inputs.InputType getOutputType(int layerIndex,
                                                                          org.deeplearning4j.nn.conf.inputs.InputType in) {
            return in;
        }
    }

    private DataType savedData;
    private DataType savedFloat;

    @BeforeEach
    void doublePrecision() {
        savedData = Nd4j.dataType();
        savedFloat = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterEach
    void restore() {
        Nd4j.setDefaultDataTypes(savedData, savedFloat);
    }

    private static boolean gradientsMatch(java.util.function.Supplier<org.deeplearning4j.nn.conf.layers.Layer> swish) {
        AutoencoderSpec spec = AutoencoderSpec.of(5,
                (g, in, t) -> {
                    g.addLayer("e", new DenseLayer.Builder().nOut(4).activation(Activation.IDENTITY).build(), in);
                    g.addLayer("e_swish", swish.get(), "e");
                    return "e_swish";
                },
                Bottleneck.dense(2),
                (g, z, t) -> {
                    g.addLayer("d", new DenseLayer.Builder().nOut(4).activation(Activation.IDENTITY).build(), z);
                    g.addLayer("d_swish", swish.get(), "d");
                    g.addLayer("out", new DenseLayer.Builder().nOut(5).activation(Activation.IDENTITY).build(), "d_swish");
                    return "out";
                });
        ComputationGraphConfiguration conf = spec.buildGraph(new NoOp(), 7);
        conf.setDataType(DataType.DOUBLE);
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 5);
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g)
                .inputs(new INDArray[] {x}).labels(new INDArray[] {x})
                .epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
    }

    @Test
    void givenAe4jLambdaLayers_whenBackpropagating_thenGradientsMatchFiniteDifferences() {
        assertTrue(gradientsMatch(Swish::new));
    }

    @Test
    void givenDl4jLambdaLayers_whenBackpropagating_thenGradientsAreWrong() {
        assertFalse(gradientsMatch(PlainSwish::new), "DL4J M2.1's own SameDiff layers should show the doubled gradients");
    }

    @Test
    void givenSameDiffNoise_whenRunningQuietly_thenOnlyOtherLinesReachStandardOutput() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            SameDiffNoise.quietly(() -> {
                System.out.println("Added differentiated op add");
                System.out.println("kept");
            });
        } finally {
            System.setOut(original);
        }
        assertEquals("kept" + System.lineSeparator(), captured.toString(StandardCharsets.UTF_8));
    }
}
