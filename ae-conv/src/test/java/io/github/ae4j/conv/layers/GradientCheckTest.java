package io.github.ae4j.conv.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.conv.ConvAutoencoder;
import java.util.HashSet;
import java.util.Set;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.buffer.util.DataTypeUtil;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * Backpropagation through the SameDiff layers matches numerical gradients (double precision, DL4J's
 * {@link GradientCheckUtil}) for whole autoencoders. This guards the two ND4J 1.0.0-M2.1 bugs the
 * layers work around: doubled gradients through DL4J's external-errors hook, and the wrong NHWC
 * backward pass of {@code upsampling2d}.
 */
class GradientCheckTest {

    private static DataType saved;

    @BeforeAll
    static void doublePrecision() {
        saved = Nd4j.dataType();
        DataTypeUtil.setDTypeForContext(DataType.DOUBLE);
    }

    @AfterAll
    static void restore() {
        DataTypeUtil.setDTypeForContext(saved);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pooling", "dense bottleneck", "strided", "batch norm", "odd size valid"})
    void givenConvAutoencoder_whenBackpropagating_thenGradientsMatchNumericalOnes(String variant) {
        int h = variant.equals("odd size valid") ? 9 : 7;   // 7: odd, cropped after upsampling
        ConvAutoencoder.Builder b = ConvAutoencoder.builder(h, 4, 2).filters(2, 2).overcomplete(true)
                .activation(Activation.TANH);   // smooth: ReLU kinks would make numerical gradients unreliable
        switch (variant) {
            case "dense bottleneck" -> b.denseBottleneck(2);
            case "strided" -> b.stridedConvolution();
            case "batch norm" -> b.batchNorm(true).denseBottleneck(2);
            case "odd size valid" -> b.samePadding(false).kernel(2, 2);
            default -> { }
        }
        ComputationGraphConfiguration conf = b.build().buildGraph(new NoOp(), 3);
        conf.setDataType(DataType.DOUBLE);
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, h * 4 * 2);
        Set<String> runningStats = new HashSet<>();
        g.paramTable().keySet().stream().filter(k -> k.endsWith("_mean") || k.endsWith("_log10stdev")
                || k.endsWith("_var")).forEach(runningStats::add);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g)
                .inputs(new INDArray[] {x}).labels(new INDArray[] {x})
                .epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
                .excludeParams(runningStats)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertTrue(ok, variant + ": analytic and numerical gradients differ (see the log)");
    }
}
