package io.github.ae4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.layers.NativeDense;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@link FusedAdam}: the fused training step gives what {@code graph.fit} with DL4J's Adam gives (scores,
 * parameters, updater state and iteration count, step after step, within float rounding), also with
 * several updater blocks and a label mask; configurations it does not cover are refused.
 */
class FusedAdamTest {

    private static NeuralNetConfiguration.Builder base(IUpdater updater) {
        return new NeuralNetConfiguration.Builder().seed(11).dataType(DataType.FLOAT).updater(updater)
                .weightInit(WeightInit.XAVIER);
    }

    /** in(20) -> 12 relu -> 4 -> 12 relu -> 20 -> MSE; the second layer optionally with its own Adam. */
    private static ComputationGraphConfiguration net(NeuralNetConfiguration.Builder nb, IUpdater second) {
        DenseLayer.Builder d2 = new DenseLayer.Builder().nOut(4).activation(Activation.IDENTITY);
        if (second != null) {
            d2.updater(second);
        }
        return nb.graphBuilder().addInputs("in").setInputTypes(InputType.feedForward(20))
                .addLayer("d1", NativeDense.of(new DenseLayer.Builder().nOut(12).activation(Activation.RELU).build()), "in")
                .addLayer("d2", NativeDense.of(d2.build()), "d1")
                .addLayer("d3", new DenseLayer.Builder().nOut(12).activation(Activation.RELU).build(), "d2")
                .addLayer("d4", NativeDense.of(new DenseLayer.Builder().nOut(20).activation(Activation.IDENTITY).build()), "d3")
                .addLayer("out", new LossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build(), "d4")
                .setOutputs("out").build();
    }

    private static void assertSameTraining(ComputationGraphConfiguration conf, boolean masked) {
        assertSameTraining(conf, masked, 0, 20);
    }

    /**
     * @param epoch steps between {@code beginEpoch} and {@code endEpoch} (0: never resident); the updater state is
     *              compared at each epoch's end, the parameters after every step
     */
    private static void assertSameTraining(ComputationGraphConfiguration conf, boolean masked, int epoch, int width) {
        ComputationGraph stock = new ComputationGraph(conf.clone());
        stock.init();
        ComputationGraph mine = new ComputationGraph(conf.clone());
        mine.init();
        assertEquals(stock.params(), mine.params());
        INDArray initial = mine.params().dup();
        FusedAdam fused = FusedAdam.of(mine);
        assertNotNull(fused, "the configuration is covered");
        Nd4j.getRandom().setSeed(3);
        for (int step = 0; step < 12; step++) {
            if (epoch > 0 && step % epoch == 0) {
                fused.beginEpoch();
            }
            INDArray x = Nd4j.rand(DataType.FLOAT, 16, width).muli(step % 3 == 0 ? 1.0 : 0.01);
            INDArray[] masks = null;
            if (masked) {
                INDArray mask = Nd4j.ones(DataType.FLOAT, 16, 1);
                mask.putScalar(step % 16, 0, 0f);
                masks = new INDArray[] {mask};
            }
            stock.fit(new INDArray[] {x}, new INDArray[] {x}, null, masks);
            double s = fused.fit(new INDArray[] {x}, new INDArray[] {x}, masks);
            assertEquals(stock.score(), s, 1e-6 * Math.abs(s), "score of step " + step);
            assertEquals(stock.getIterationCount(), mine.getIterationCount());
            double pd = stock.params().sub(mine.params()).amaxNumber().doubleValue();
            assertTrue(pd < 2e-6, "parameters after step " + step + " differ by " + pd);
            if (epoch > 0 && step % epoch != epoch - 1) {
                continue;
            }
            fused.endEpoch();
            INDArray su = stock.getUpdater().getStateViewArray();
            INDArray mu = mine.getUpdater().getStateViewArray();
            double sd = su.sub(mu).amaxNumber().doubleValue();
            assertTrue(sd <= 1e-6 * su.amaxNumber().doubleValue() + 1e-12, "updater state after step " + step + " differs by " + sd);
        }
        assertTrue(mine.params().sub(initial).amaxNumber().doubleValue() > 1e-3, "the parameters moved");
    }

    @Test
    void givenPlainAdam_whenFusedStepsRun_thenTrainingMatchesGraphFit() {
        assertSameTraining(net(base(new Adam(1e-2)), null), false);
    }

    @Test
    void givenTwoUpdaterBlocksAndALabelMask_whenFusedStepsRun_thenTrainingMatchesGraphFit() {
        assertSameTraining(net(base(new Adam(1e-2)), new Adam(3e-3, 0.8, 0.99, 1e-6)), true);
    }

    @Test
    void givenResidentEpochs_whenFusedStepsRun_thenTrainingMatchesGraphFit() {
        assertSameTraining(net(base(new Adam(1e-2)), new Adam(3e-3, 0.8, 0.99, 1e-6)), true, 4, 20);
    }

    @Test
    void givenResidentEpochsOnALargerNet_whenFusedStepsRun_thenTrainingMatchesGraphFit() {
        // 400 -> 200 -> 400: ~160,000 parameters in one block, more than FusedAdam.PARALLEL_VALUES: on two cores or
        // more the resident update runs in two halves on two threads
        assertTrue(160_600 >= FusedAdam.PARALLEL_VALUES);
        NeuralNetConfiguration.Builder nb = base(new Adam(1e-2));
        ComputationGraphConfiguration conf = nb.graphBuilder().addInputs("in").setInputTypes(InputType.feedForward(400))
                .addLayer("d1", NativeDense.of(new DenseLayer.Builder().nOut(200).activation(Activation.RELU).build()), "in")
                .addLayer("d2", NativeDense.of(new DenseLayer.Builder().nOut(400).activation(Activation.IDENTITY).build()), "d1")
                .addLayer("out", new LossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build(), "d2")
                .setOutputs("out").build();
        assertSameTraining(conf, false, 5, 400);
    }

    @Test
    void givenConfigurationsItDoesNotCover_whenAsked_thenItRefuses() {
        ComputationGraph sgd = new ComputationGraph(net(base(new Nesterovs(1e-2)), null));
        sgd.init();
        assertNull(FusedAdam.of(sgd), "another updater");
        ComputationGraph mixed = new ComputationGraph(net(base(new Adam(1e-2)), new Nesterovs(1e-2)));
        mixed.init();
        assertNull(FusedAdam.of(mixed), "one block with another updater");
        ComputationGraph l2 = new ComputationGraph(net(base(new Adam(1e-2)).l2(1e-4), null));
        l2.init();
        assertNull(FusedAdam.of(l2), "regularisation");
        ComputationGraph clip = new ComputationGraph(net(base(new Adam(1e-2))
                .gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue), null));
        clip.init();
        assertNull(FusedAdam.of(clip), "gradient normalisation");
        ComputationGraph dbl = new ComputationGraph(net(base(new Adam(1e-2)).dataType(DataType.DOUBLE), null));
        dbl.init();
        assertNull(FusedAdam.of(dbl), "double precision");
    }
}
