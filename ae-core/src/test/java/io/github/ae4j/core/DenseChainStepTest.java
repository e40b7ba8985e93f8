package io.github.ae4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.internal.OpenMp;
import io.github.ae4j.core.layers.NativeDense;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@link DenseChainStep}: the gradient and score it computes on OpenBLAS equal DL4J's backward pass (every
 * activation it covers, identity and sigmoid loss layers, DL4J's and ae4j's dense layers, inputs that are views),
 * agree with finite differences of its own score, and train as {@code graph.fit} does step after step; graphs it
 * does not cover are refused and a wrong width is an error, not a native crash.
 */
@Tag("onednn")   // the direct products need the CPU backend's natives (excluded under -Pcuda)
class DenseChainStepTest {

    private static ComputationGraphConfiguration net(Activation hidden, Activation out, boolean nativeLayers,
                                                     LossFunctions.LossFunction loss) {
        NeuralNetConfiguration.Builder nb = new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.FLOAT)
                .updater(new Adam(1e-2)).weightInit(WeightInit.XAVIER);
        var g = nb.graphBuilder().addInputs("in").setInputTypes(InputType.feedForward(24));
        String prev = "in";
        int[] sizes = {16, 6, 3, 6, 16};
        for (int i = 0; i < sizes.length; i++) {
            DenseLayer d = new DenseLayer.Builder().nOut(sizes[i]).activation(i == 2 ? Activation.IDENTITY : hidden).build();
            g.addLayer("d" + i, nativeLayers && i % 2 == 0 ? NativeDense.of(d) : d, prev);
            prev = "d" + i;
        }
        g.addLayer("dout", NativeDense.of(new DenseLayer.Builder().nOut(24).activation(Activation.IDENTITY).build()), prev);
        g.addLayer("out", new LossLayer.Builder(loss).activation(out).build(), "dout");
        return g.setOutputs("out").build();
    }

    private static ComputationGraph graph(ComputationGraphConfiguration conf) {
        ComputationGraph g = new ComputationGraph(conf.clone());
        g.init();
        return g;
    }

    private static INDArray rows(int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, n, 24);
    }

    private static double maxRelDiff(INDArray a, INDArray b) {
        double scale = Math.max(b.amaxNumber().doubleValue(), 1e-12);
        return a.sub(b).amaxNumber().doubleValue() / scale;
    }

    @Test
    void gradientAndScoreEqualDl4jBackwardPass() {
        Activation[] hidden = {Activation.RELU, Activation.ELU, Activation.TANH, Activation.SIGMOID, Activation.IDENTITY};
        for (Activation h : hidden) {
            for (Activation out : new Activation[] {Activation.IDENTITY, Activation.SIGMOID}) {
                ComputationGraphConfiguration conf = net(h, out, h != Activation.TANH, LossFunctions.LossFunction.MSE);
                ComputationGraph stock = graph(conf);
                ComputationGraph mine = graph(conf);
                DenseChainStep step = DenseChainStep.of(mine);
                assertNotNull(step, h + "/" + out + " is covered");
                INDArray x = rows(37, 1).muli(2).subi(0.5);
                INDArray target = rows(37, 2);
                stock.setInputs(x);
                stock.setLabels(target);
                stock.computeGradientAndScore();
                double s = step.computeGradientAndScore(x, target);
                String what = h + " hidden, " + out + " output";
                // the loss of the graph's output (DL4J's training-time score agrees for an identity output layer;
                // with a sigmoid one it reports another value, while its gradient is the one below)
                INDArray e = stock.outputSingle(false, x).subi(target);
                double loss = e.muli(e).sumNumber().doubleValue() / (24.0 * 37);
                assertEquals(loss, s, 1e-5 * loss, "score, " + what);
                if (out == Activation.IDENTITY) {
                    assertEquals(stock.score(), s, 1e-5 * Math.abs(s), "DL4J's score, " + what);
                }
                double d = maxRelDiff(mine.getFlattenedGradients(), stock.getFlattenedGradients());
                assertTrue(d < 1e-4, "gradient, " + what + ": max difference " + d + " of the largest entry");
            }
        }
    }

    /**
     * Two lanes side by side (each half of the rows with single-threaded products, {@link OpenMp#twoLanes}) give the
     * gradient and score of one pass over all rows.
     */
    @Test
    void twoLanesGiveTheGradientOfOnePass() {
        org.junit.jupiter.api.Assumptions.assumeTrue(OpenMp.twoLanes(), "the lanes apply to a two-thread process with oneDNN");
        for (Activation h : new Activation[] {Activation.RELU, Activation.TANH}) {
            ComputationGraph g = graph(net(h, Activation.IDENTITY, true, LossFunctions.LossFunction.MSE));
            DenseChainStep step = DenseChainStep.of(g);
            INDArray x = rows(301, 5);
            INDArray target = rows(301, 6);
            double lanes = step.computeGradientAndScore(x, target);
            float[] laneGrad = g.getFlattenedGradients().toFloatVector();
            double one = OpenMp.onOneThread(() -> step.computeGradientAndScore(x, target));   // one thread: one pass
            float[] oneGrad = g.getFlattenedGradients().toFloatVector();
            assertEquals(one, lanes, 1e-12 * Math.abs(one), h + ": score");
            int differ = 0;
            for (int i = 0; i < oneGrad.length; i++) {
                differ += oneGrad[i] == laneGrad[i] ? 0 : 1;
            }
            System.out.println(h + ": " + differ + " of " + oneGrad.length + " gradient entries differ; max rel diff "
                    + maxRelDiff(Nd4j.createFromArray(laneGrad), Nd4j.createFromArray(oneGrad)));
            assertTrue(maxRelDiff(Nd4j.createFromArray(laneGrad), Nd4j.createFromArray(oneGrad)) < 1e-6, h + ": gradient");
        }
    }

    @Test
    void gradientMatchesFiniteDifferencesOfTheScore() {
        ComputationGraph g = graph(net(Activation.TANH, Activation.SIGMOID, true, LossFunctions.LossFunction.MSE));
        DenseChainStep step = DenseChainStep.of(g);
        INDArray x = rows(9, 3);
        INDArray target = rows(9, 4);
        step.computeGradientAndScore(x, target);
        INDArray grad = g.getFlattenedGradients().dup().divi(9);   // the score is a mean over the rows
        INDArray p = g.params();
        float eps = 1e-2f;
        int checked = 0;
        for (long i = 0; i < p.length(); i += 7) {
            float v = p.getFloat(i);
            p.putScalar(i, v + eps);
            double up = step.computeGradientAndScore(x, target);
            p.putScalar(i, v - eps);
            double down = step.computeGradientAndScore(x, target);
            p.putScalar(i, v);
            double numeric = (up - down) / (2 * eps);
            double analytic = grad.getDouble(i);
            assertEquals(numeric, analytic, 1e-4 + 2e-2 * Math.abs(analytic), "parameter " + i);
            checked++;
        }
        assertTrue(checked > 50, "checked " + checked + " parameters");
    }

    @Test
    void trainsAsGraphFitDoes() {
        ComputationGraphConfiguration conf = net(Activation.RELU, Activation.IDENTITY, true, LossFunctions.LossFunction.MSE);
        ComputationGraph stock = graph(conf);
        ComputationGraph mine = graph(conf);
        FusedAdam fused = FusedAdam.of(mine);
        DenseChainStep step = DenseChainStep.of(mine);
        assertNotNull(fused);
        assertNotNull(step);
        INDArray all = rows(200, 7);
        for (int i = 0; i < 12; i++) {
            // rows as the trainer's plan gives them: views of a larger array (first columns of a wider one in step 5)
            INDArray b = all.get(NDArrayIndex.interval(i * 16, i * 16 + 16 + i % 3), NDArrayIndex.all());
            if (i == 5) {
                b = Nd4j.hstack(b, b).get(NDArrayIndex.all(), NDArrayIndex.interval(0, 24));
            }
            stock.fit(new INDArray[] {b}, new INDArray[] {b});
            double s = step.computeGradientAndScore(b, b);
            fused.apply((int) b.size(0));
            assertEquals(stock.score(), s, 1e-5 * Math.abs(s), "score of step " + i);
            double d = stock.params().sub(mine.params()).amaxNumber().doubleValue();
            assertTrue(d < 1e-5, "parameters after step " + i + " differ by " + d);
        }
        assertEquals(stock.getIterationCount(), mine.getIterationCount());
    }

    @Test
    void scoreEqualsDl4jInferenceScoreOverSeveralChunks() {
        ComputationGraph g = graph(net(Activation.ELU, Activation.IDENTITY, true, LossFunctions.LossFunction.MSE));
        DenseChainStep step = DenseChainStep.of(g);
        assertTrue(step.scoresAsDl4j());
        INDArray x = rows(700, 8);
        double expected = g.score(new org.nd4j.linalg.dataset.DataSet(x, x), false);
        assertEquals(expected, step.score(x), 1e-5 * expected);
        INDArray view = x.get(NDArrayIndex.interval(100, 613), NDArrayIndex.all());
        assertEquals(g.score(new org.nd4j.linalg.dataset.DataSet(view.dup(), view.dup()), false), step.score(view), 1e-5 * expected);
        assertTrue(!DenseChainStep.of(graph(net(Activation.RELU, Activation.SIGMOID, true, LossFunctions.LossFunction.MSE)))
                .scoresAsDl4j(), "a sigmoid output is left to DL4J's score");
    }

    @Test
    void refusesWhatItDoesNotCover() {
        assertNull(DenseChainStep.of(graph(net(Activation.LEAKYRELU, Activation.IDENTITY, true,
                LossFunctions.LossFunction.MSE))), "leaky ReLU");
        assertNull(DenseChainStep.of(graph(net(Activation.RELU, Activation.IDENTITY, true,
                LossFunctions.LossFunction.L1))), "another loss");
        assertNull(DenseChainStep.of(graph(net(Activation.RELU, Activation.SOFTMAX, true,
                LossFunctions.LossFunction.MSE))), "another output activation");
        NeuralNetConfiguration.Builder nb = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).updater(new Adam());
        ComputationGraphConfiguration dropout = nb.graphBuilder().addInputs("in").setInputTypes(InputType.feedForward(8))
                .addLayer("d", new DenseLayer.Builder().nOut(4).dropOut(0.9).activation(Activation.RELU).build(), "in")
                .addLayer("o", new DenseLayer.Builder().nOut(8).activation(Activation.IDENTITY).build(), "d")
                .addLayer("out", new LossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build(), "o")
                .setOutputs("out").build();
        assertNull(DenseChainStep.of(graph(dropout)), "dropout");
        ComputationGraphConfiguration act = nb.graphBuilder().addInputs("in").setInputTypes(InputType.feedForward(8))
                .addLayer("d", new DenseLayer.Builder().nOut(4).activation(Activation.IDENTITY).build(), "in")
                .addLayer("a", new ActivationLayer.Builder().activation(Activation.RELU).build(), "d")
                .addLayer("o", new DenseLayer.Builder().nOut(8).activation(Activation.IDENTITY).build(), "a")
                .addLayer("out", new LossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build(), "o")
                .setOutputs("out").build();
        assertNull(DenseChainStep.of(graph(act)), "an activation layer");
    }

    @Test
    void wrongWidthIsAnErrorNotACrash() {
        DenseChainStep step = DenseChainStep.of(graph(net(Activation.RELU, Activation.IDENTITY, true,
                LossFunctions.LossFunction.MSE)));
        INDArray wide = Nd4j.rand(DataType.FLOAT, 4, 25);
        assertThrows(IllegalArgumentException.class, () -> step.computeGradientAndScore(wide, wide));
        INDArray ok = Nd4j.rand(DataType.FLOAT, 4, 24);
        assertThrows(IllegalArgumentException.class, () -> step.computeGradientAndScore(ok, Nd4j.rand(DataType.FLOAT, 5, 24)));
    }
}
