package io.github.ae4j.core.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.UnaryOperator;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@link NativeDense}'s forward and backward passes: numerically (central differences in double
 * precision) and against DL4J's {@code DenseLayer} it stands in for (same parameters: same outputs,
 * scores, gradients and Adam steps), plus its JSON form and the configurations it leaves to DL4J.
 */
class NativeDenseTest {

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

    /** in(7) -> dense 6 (relu) -> dense 5 (tanh) -> dense 3 (identity) -> dense 7 (sigmoid) -> loss. */
    private static ComputationGraphConfiguration net(DataType dt, UnaryOperator<DenseLayer> wrap,
                                                     LossFunctions.LossFunction loss, boolean l2) {
        return net(dt, wrap, loss, l2, new Adam(1e-2));
    }

    private static ComputationGraphConfiguration net(DataType dt, UnaryOperator<DenseLayer> wrap,
                                                     LossFunctions.LossFunction loss, boolean l2,
                                                     org.nd4j.linalg.learning.config.IUpdater updater) {
        NeuralNetConfiguration.Builder nb = new NeuralNetConfiguration.Builder().seed(5).dataType(dt)
                .updater(updater).weightInit(WeightInit.XAVIER);
        if (l2) {
            nb.l2(1e-3);
        }
        return nb.graphBuilder().addInputs("in").setInputTypes(InputType.feedForward(7))
                .addLayer("d1", wrap.apply(new DenseLayer.Builder().nOut(6).activation(Activation.RELU).build()), "in")
                .addLayer("d2", wrap.apply(new DenseLayer.Builder().nOut(5).activation(Activation.TANH).build()), "d1")
                .addLayer("d3", wrap.apply(new DenseLayer.Builder().nOut(3).activation(Activation.IDENTITY).build()), "d2")
                .addLayer("d4", wrap.apply(new DenseLayer.Builder().nOut(7).activation(Activation.SIGMOID).build()), "d3")
                .addLayer("out", new LossLayer.Builder(loss).activation(Activation.IDENTITY).build(), "d4")
                .setOutputs("out").build();
    }

    @Test
    void givenNativeDenseNet_whenBackpropagating_thenGradientsMatchFiniteDifferences() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        ComputationGraphConfiguration conf = net(DataType.DOUBLE, NativeDense::of, LossFunctions.LossFunction.MSE, false,
                new NoOp());
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        for (String n : new String[] {"d1", "d2", "d3", "d4"}) {
            assertInstanceOf(NativeDenseLayer.class, g.getLayer(n));
        }
        // ReLU units away from their kink at the perturbation scale
        g.getLayer("d1").paramTable().get("b").assign(Nd4j.rand(DataType.DOUBLE, 6).addi(0.2));
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 7);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 4, 7);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g)
                .inputs(new INDArray[] {x}).labels(new INDArray[] {y})
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY)));
    }

    @Test
    void givenSameParameters_whenTraining_thenNativeDenseMatchesDl4jDenseLayer() {
        for (DataType dt : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            Nd4j.setDefaultDataTypes(dt, dt);
            double tol = dt == DataType.DOUBLE ? 1e-10 : 2e-5;
            ComputationGraph ref = new ComputationGraph(net(dt, d -> d, LossFunctions.LossFunction.XENT, true));
            ref.init();
            ComputationGraph nat = new ComputationGraph(net(dt, NativeDense::of, LossFunctions.LossFunction.XENT, true));
            nat.init();
            assertInstanceOf(NativeDenseLayer.class, nat.getLayer("d2"));
            assertEquals(org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer.class, ref.getLayer("d2").getClass());
            nat.setParams(ref.params().dup());
            Nd4j.getRandom().setSeed(3);
            INDArray x = Nd4j.rand(dt, 32, 7);
            close(ref.outputSingle(false, x), nat.outputSingle(false, x), tol, "output");
            ref.setInputs(x);
            ref.setLabels(x);
            ref.computeGradientAndScore();
            nat.setInputs(x);
            nat.setLabels(x);
            nat.computeGradientAndScore();
            assertEquals(ref.score(), nat.score(), tol * Math.abs(ref.score()), "score");
            Map<String, INDArray> rg = ref.gradient().gradientForVariable();
            Map<String, INDArray> ng = nat.gradient().gradientForVariable();
            assertEquals(rg.keySet(), ng.keySet());
            for (String k : rg.keySet()) {
                close(rg.get(k), ng.get(k), tol, "gradient " + k);
            }
            for (int step = 0; step < 5; step++) {
                INDArray b = Nd4j.rand(dt, 16, 7);
                ref.fit(new INDArray[] {b}, new INDArray[] {b});
                nat.fit(new INDArray[] {b}, new INDArray[] {b});
            }
            close(ref.params(), nat.params(), tol * 10, "parameters after 5 Adam steps");
        }
    }

    private static void close(INDArray expected, INDArray actual, double tol, String what) {
        INDArray e = expected.castTo(DataType.DOUBLE);
        INDArray a = actual.castTo(DataType.DOUBLE);
        assertTrue(java.util.Arrays.equals(e.shape(), a.shape()), what + ": shapes differ");
        double scale = Math.max(1e-3, e.amaxNumber().doubleValue());
        double diff = e.sub(a).amaxNumber().doubleValue();
        assertTrue(diff <= tol * scale, what + ": max difference " + diff + " (scale " + scale + ")");
    }

    @Test
    void givenNativeDense_whenWrittenAsJson_thenItLoadsAsNativeDenseAndOldJsonAsDenseLayer() {
        ComputationGraphConfiguration nat = net(DataType.FLOAT, NativeDense::of, LossFunctions.LossFunction.MSE, true);
        String json = nat.toJson();
        assertTrue(json.contains(NativeDense.class.getName()));
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(json);
        assertEquals(nat, back);
        assertInstanceOf(NativeDense.class,
                ((org.deeplearning4j.nn.conf.graph.LayerVertex) back.getVertices().get("d1")).getLayerConf().getLayer());
        ComputationGraphConfiguration old = ComputationGraphConfiguration.fromJson(
                net(DataType.FLOAT, d -> d, LossFunctions.LossFunction.MSE, true).toJson());
        assertEquals(DenseLayer.class,
                ((org.deeplearning4j.nn.conf.graph.LayerVertex) old.getVertices().get("d1")).getLayerConf().getLayer()
                        .getClass());
    }

    @Test
    void givenSettingsTheNativeRouteDoesNotCover_whenConverted_thenDl4jLayerIsKept() {
        DenseLayer noBias = new DenseLayer.Builder().nOut(3).hasBias(false).build();
        DenseLayer dropout = new DenseLayer.Builder().nOut(3).dropOut(new Dropout(0.5)).build();
        DenseLayer plain = new DenseLayer.Builder().nOut(3).activation(Activation.RELU).l2(0.1).build();
        assertSame(noBias, NativeDense.of(noBias));
        assertSame(dropout, NativeDense.of(dropout));
        DenseLayer n = NativeDense.of(plain);
        assertNotSame(plain, n);
        assertInstanceOf(NativeDense.class, n);
        assertEquals(plain.getNOut(), n.getNOut());
        assertEquals(plain.getActivationFn(), n.getActivationFn());
        assertEquals(plain.getRegularization(), n.getRegularization());
    }

    @Test
    void givenFirstLayerWithoutInputGradient_whenTraining_thenParametersMatchTheFullBackwardPass() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        ComputationGraphConfiguration conf = net(DataType.FLOAT, NativeDense::of, LossFunctions.LossFunction.MSE, false);
        ComputationGraph full = new ComputationGraph(conf.clone());
        full.init();
        ComputationGraph skip = new ComputationGraph(conf.clone());
        skip.init();
        assertEquals(1, NativeDense.skipInputGradients(skip), "only d1 reads the network input");
        Nd4j.getRandom().setSeed(7);
        for (int i = 0; i < 4; i++) {
            INDArray x = Nd4j.rand(DataType.FLOAT, 9, 7);
            full.fit(new INDArray[] {x}, new INDArray[] {x});
            skip.fit(new INDArray[] {x}, new INDArray[] {x});
            assertEquals(full.score(), skip.score(), 0.0);
            assertEquals(full.params(), skip.params());
        }
        assertTrue(full.params().equalsWithEps(skip.params(), 0.0), "bitwise equal parameters");
    }
}
