package io.github.ae4j.dense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/** The activity-penalty layer on its own: exact gradients, score, identity forward, JSON. */
class ActivityPenaltyTest {

    static java.util.stream.Stream<Sparsity> penalties() {
        return java.util.stream.Stream.of(Sparsity.l1(0.3), Sparsity.kl(0.1, 0.5));
    }

    /** input(6) -> dense(5) -> code(4, sigmoid) -> penalty -> dense(6) -> MSE. */
    private static ComputationGraph graph(Sparsity s, DataType type) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(3).dataType(type).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("in").setInputTypes(InputType.feedForward(6))
                .addLayer("h", new DenseLayer.Builder().nOut(5).activation(Activation.TANH).build(), "in")
                .addLayer("code", new DenseLayer.Builder().nOut(4).activation(Activation.SIGMOID).build(), "h")
                .addLayer("penalty", new ActivityPenalty(s), "code")
                .addLayer("out", new DenseLayer.Builder().nOut(6).activation(Activation.IDENTITY).build(), "penalty")
                .addLayer("loss", new LossLayer.Builder(new LossMSE()).activation(Activation.IDENTITY).build(), "out")
                .setOutputs("loss")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    @ParameterizedTest
    @MethodSource("penalties")
    void givenPenalty_whenCheckingGradientsNumerically_thenBackpropMatches(Sparsity s) {
        DataType[] before = {Nd4j.dataType(), Nd4j.defaultFloatingPointType()};
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            ComputationGraph g = graph(s, DataType.DOUBLE);
            INDArray x = Nd4j.rand(DataType.DOUBLE, 7, 6).subi(0.5);
            boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g)
                    .inputs(new INDArray[] {x}).labels(new INDArray[] {x})
                    .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                    .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
            assertTrue(ok, "numerical and backprop gradients differ for " + s.describe());
        } finally {
            Nd4j.setDefaultDataTypes(before[0], before[1]);
        }
    }

    @ParameterizedTest
    @MethodSource("penalties")
    void givenPenalty_whenScoring_thenScoreAddsThePenaltyOfTheCodes(Sparsity s) {
        ComputationGraph withPenalty = graph(s, DataType.FLOAT);
        ComputationGraph without = graph(Sparsity.none(), DataType.FLOAT);
        without.setParams(withPenalty.params());
        INDArray x = Nd4j.rand(DataType.FLOAT, 9, 6);
        double delta = withPenalty.score(new DataSet(x, x), false) - without.score(new DataSet(x, x), false);

        INDArray z = withPenalty.output(java.util.List.of("code"), false, new INDArray[] {x}, null)[0]
                .castTo(DataType.DOUBLE);
        double expected;
        if (s.kind() == Sparsity.Kind.L1) {
            expected = s.weight() * z.norm1Number().doubleValue() / z.size(0);
        } else {
            double rho = s.target();
            expected = 0;
            for (double m : z.mean(0).toDoubleVector()) {
                expected += rho * Math.log(rho / m) + (1 - rho) * Math.log((1 - rho) / (1 - m));
            }
            expected *= s.weight();
        }
        assertTrue(expected > 0);
        assertEquals(expected, delta, 1e-5 * Math.max(1, expected));
    }

    @Test
    void givenPenaltyLayer_whenInferring_thenOutputEqualsCode() {
        ComputationGraph g = graph(Sparsity.kl(0.05, 3.0), DataType.FLOAT);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 6);
        INDArray[] a = g.output(java.util.List.of("code", "penalty"), false, new INDArray[] {x}, null);
        assertEquals(a[0], a[1]);
    }

    @Test
    void givenPenaltyLayer_whenConfigGoesThroughJson_thenItComesBackEqual() {
        ComputationGraphConfiguration conf = graph(Sparsity.kl(0.05, 0.7), DataType.FLOAT).getConfiguration();
        String json = conf.toJson();
        assertTrue(json.contains("io.github.ae4j.dense.ActivityPenalty"), "class name stored for Jackson");
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(json);
        assertEquals(conf, back);
        ActivityPenalty p = (ActivityPenalty) ((org.deeplearning4j.nn.conf.graph.LayerVertex) back.getVertices()
                .get("penalty")).getLayerConf().getLayer();
        assertEquals(Sparsity.kl(0.05, 0.7), p.sparsity());
        assertNotEquals(new ActivityPenalty(Sparsity.kl(0.05, 0.8)), p);
    }

    @Test
    void givenInconsistentStoredProperties_whenInstantiating_thenFailsClearly() {
        ActivityPenalty p = new ActivityPenalty();
        p.setKind(Sparsity.Kind.KL);
        p.setWeight(0.1);
        p.setTarget(2.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, p::sparsity);
        assertTrue(e.getMessage().contains("got 2.0"), e.getMessage());
    }
}
