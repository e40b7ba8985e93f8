package io.github.ae4j.variational.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.ModelSpec;
import io.github.ae4j.variational.Distribution;
import io.github.ae4j.variational.VariationalAutoencoder;
import java.util.List;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;

class ElboOutputLayerTest {

    @AfterEach
    void restoreDefaultType() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }

    private static VariationalAutoencoder spec(Distribution d, boolean learned, double beta) {
        return VariationalAutoencoder.builder(6).hidden(5).latent(2).activation(Activation.TANH).distribution(d)
                .learnedVariance(learned).beta(beta).build();
    }

    private static INDArray data(Distribution d, DataType t) {
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(t, 4, 6);
        return d == Distribution.BERNOULLI ? x : x.subi(0.5).muli(3);
    }

    @ParameterizedTest
    @CsvSource({"BERNOULLI, false, 1.0", "GAUSSIAN, false, 2.0", "GAUSSIAN, true, 0.5"})
    void givenVaeGraph_whenGradientChecked_thenBackpropMatchesNumericGradients(Distribution d, boolean learned,
                                                                            double beta) {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        ComputationGraph g = new ComputationGraph(spec(d, learned, beta).buildGraph(new NoOp(), 3));
        g.init();
        g = g.convertDataType(DataType.DOUBLE);
        INDArray x = data(d, DataType.DOUBLE);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g)
                .inputs(new INDArray[] {x}).labels(new INDArray[] {x})
                .epsilon(1e-6).maxRelError(1e-4).minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(false)
                .callEachIter(net -> Nd4j.getRandom().setSeed(12345)));
        assertTrue(ok, "gradient check failed for " + d + (learned ? " with learned variance" : ""));
    }

    @ParameterizedTest
    @CsvSource({"BERNOULLI, false, 1.0", "GAUSSIAN, false, 3.0", "GAUSSIAN, true, 1.0"})
    void givenInferencePass_whenScored_thenScoreIsNegativeElboAtPosteriorMean(Distribution d, boolean learned,
                                                                              double beta) {
        ComputationGraph g = new ComputationGraph(spec(d, learned, beta).buildGraph(new Adam(1e-3), 5));
        g.init();
        if (learned) {
            g.getLayer(ModelSpec.RECONSTRUCTION).getParam(ElboOutputLayer.LOG_VARIANCE_PARAM)
                    .assign(Nd4j.linspace(-1, 1, 6, DataType.FLOAT).reshape(1, 6));
        }
        INDArray x = data(d, DataType.FLOAT);
        double score = g.score(new DataSet(x, x), false);
        INDArray[] acts = g.output(List.of(VariationalAutoencoder.STATS, VariationalAutoencoder.LOGITS), false,
                new INDArray[] {x}, null);
        double[][] s = acts[0].toDoubleMatrix();
        double[][] l = acts[1].toDoubleMatrix();
        double[][] xs = x.toDoubleMatrix();
        double total = 0;
        for (int i = 0; i < xs.length; i++) {
            for (int j = 0; j < 6; j++) {
                if (d == Distribution.BERNOULLI) {
                    double p = 1 / (1 + Math.exp(-l[i][j]));
                    total -= xs[i][j] * Math.log(p) + (1 - xs[i][j]) * Math.log(1 - p);
                } else {
                    double v = learned ? 1e-3 + Math.exp(-1 + 2.0 * j / 5) : 1.0;
                    double e = xs[i][j] - l[i][j];
                    total += e * e / (2 * v) + 0.5 * Math.log(2 * Math.PI * v);
                }
            }
            for (int k = 0; k < 2; k++) {
                double mu = s[i][k];
                double lv = s[i][2 + k];
                total += beta * -0.5 * (1 + lv - mu * mu - Math.exp(lv));
            }
        }
        assertEquals(total / xs.length, score, 1e-4 * Math.abs(total / xs.length));
        // the layer's activations are the reconstruction mean
        INDArray mean = g.outputSingle(false, x);
        INDArray logits = acts[1];
        INDArray expected = d == Distribution.BERNOULLI
                ? org.nd4j.linalg.ops.transforms.Transforms.sigmoid(logits, true) : logits;
        assertTrue(expected.equalsWithEps(mean, 1e-5));
    }

    @Test
    void givenVaeConfiguration_whenJsonRoundTripped_thenEqualAndSameOutputsAndScore() {
        ComputationGraphConfiguration conf = spec(Distribution.GAUSSIAN, true, 2.5).buildGraph(new Adam(1e-3), 9);
        String json = conf.toJson();
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(json);
        assertEquals(conf, back);
        assertEquals(json, back.toJson());
        ComputationGraph a = new ComputationGraph(conf);
        a.init();
        ComputationGraph b = new ComputationGraph(back);
        b.init(a.params().dup(), false);
        INDArray x = data(Distribution.GAUSSIAN, DataType.FLOAT);
        assertArrayEquals(a.outputSingle(false, x).toFloatMatrix(), b.outputSingle(false, x).toFloatMatrix());
        assertEquals(a.score(new DataSet(x, x), false), b.score(new DataSet(x, x), false), 1e-9);
        assertInstanceOf(ElboOutputLayer.class, ((org.deeplearning4j.nn.conf.graph.LayerVertex) back.getVertices()
                .get(ModelSpec.RECONSTRUCTION)).getLayerConf().getLayer());
    }

    @Test
    void givenInvalidSettings_whenConstructed_thenIllegalArgument() {
        assertThrows(IllegalArgumentException.class,
                () -> new ElboOutputLayer(0, 2, ElboOutputLayer.Likelihood.BERNOULLI, false, 1e-3));
        assertThrows(IllegalArgumentException.class,
                () -> new ElboOutputLayer(4, 2, ElboOutputLayer.Likelihood.BERNOULLI, true, 1e-3));
        assertThrows(IllegalArgumentException.class,
                () -> new ElboOutputLayer(4, 2, ElboOutputLayer.Likelihood.GAUSSIAN, true, 0));
        ElboOutputLayer l = new ElboOutputLayer(4, 2, ElboOutputLayer.Likelihood.GAUSSIAN, false, 1e-3);
        assertThrows(IllegalArgumentException.class, () -> l.getOutputType(0, InputType.feedForward(8)));
        assertEquals(4, l.getOutputType(0, InputType.feedForward(9)).arrayElementsPerExample());
    }
}
