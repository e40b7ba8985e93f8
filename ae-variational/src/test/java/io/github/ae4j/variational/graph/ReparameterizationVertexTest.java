package io.github.ae4j.variational.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ReparameterizationVertexTest {

    private static final LayerWorkspaceMgr WS = LayerWorkspaceMgr.noWorkspaces();

    private static ReparameterizationVertexImpl vertex(INDArray in) {
        ReparameterizationVertexImpl v = new ReparameterizationVertexImpl(null, "latent", 0, DataType.DOUBLE);
        v.setInputVertices(new VertexIndices[] {new VertexIndices(0, 0)});
        v.setInput(0, in, WS);
        return v;
    }

    private static INDArray stats(long rows, int z, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray s = Nd4j.rand(DataType.DOUBLE, rows, 2L * z).subi(0.5).muli(2); // mu and logVar in [-1, 1]
        return s;
    }

    @Test
    void givenInferencePass_whenForward_thenReturnsTheMean() {
        INDArray s = stats(5, 3, 1);
        ReparameterizationVertexImpl v = vertex(s);
        INDArray out = v.doForward(false, WS);
        assertArrayEquals(s.getColumns(0, 1, 2).toDoubleMatrix(), out.toDoubleMatrix());
        assertNull(v.lastNoise());
    }

    @Test
    void givenTrainingPass_whenForward_thenMeanPlusScaledNoiseWithFreshNoiseEachPass() {
        INDArray s = stats(4, 3, 2);
        ReparameterizationVertexImpl v = vertex(s);
        INDArray out = v.doForward(true, WS);
        INDArray eps = v.lastNoise().dup();
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 3; j++) {
                double expected = s.getDouble(i, j) + Math.exp(s.getDouble(i, 3 + j) / 2) * eps.getDouble(i, j);
                assertEquals(expected, out.getDouble(i, j), 1e-12);
            }
        }
        v.doForward(true, WS);
        assertFalse(eps.equalsWithEps(v.lastNoise(), 1e-9), "each training pass draws new noise");
    }

    @Test
    void givenManyRows_whenTrainingForward_thenNoiseIsStandardNormal() {
        INDArray s = Nd4j.zeros(DataType.DOUBLE, 20_000, 4);
        ReparameterizationVertexImpl v = vertex(s);
        INDArray out = v.doForward(true, WS);
        assertEquals(0.0, out.meanNumber().doubleValue(), 0.02);
        assertEquals(1.0, out.stdNumber().doubleValue(), 0.02);
    }

    @Test
    void givenTrainingPass_whenBackward_thenGradientMatchesFiniteDifferences() {
        INDArray s = stats(3, 2, 3);
        ReparameterizationVertexImpl v = vertex(s);
        v.doForward(true, WS);
        INDArray eps = v.lastNoise().dup();
        Nd4j.getRandom().setSeed(4);
        INDArray upstream = Nd4j.randn(DataType.DOUBLE, 3, 2);
        v.setEpsilon(upstream);
        INDArray grad = v.doBackward(false, WS).getSecond()[0];
        double h = 1e-6;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                INDArray plus = s.dup();
                plus.putScalar(i, j, s.getDouble(i, j) + h);
                INDArray minus = s.dup();
                minus.putScalar(i, j, s.getDouble(i, j) - h);
                double numeric = (objective(plus, eps, upstream) - objective(minus, eps, upstream)) / (2 * h);
                assertEquals(numeric, grad.getDouble(i, j), 1e-6, "d/d stats[" + i + "," + j + "]");
            }
        }
    }

    /** sum(upstream * (mu + exp(logVar / 2) * eps)) for a fixed eps. */
    private static double objective(INDArray s, INDArray eps, INDArray upstream) {
        double sum = 0;
        for (int i = 0; i < s.size(0); i++) {
            for (int j = 0; j < eps.size(1); j++) {
                double z = s.getDouble(i, j) + Math.exp(s.getDouble(i, eps.size(1) + j) / 2) * eps.getDouble(i, j);
                sum += upstream.getDouble(i, j) * z;
            }
        }
        return sum;
    }

    @Test
    void givenOddOrNonFeedForwardInput_whenTyping_thenRejected() {
        ReparameterizationVertex conf = new ReparameterizationVertex();
        assertEquals(4, conf.getOutputType(0, InputType.feedForward(8)).arrayElementsPerExample());
        assertThrows(InvalidInputTypeException.class, () -> conf.getOutputType(0, InputType.feedForward(7)));
        assertThrows(InvalidInputTypeException.class, () -> conf.getOutputType(0, InputType.convolutional(4, 4, 2)));
    }

    @Test
    void givenNoTrainingForward_whenBackward_thenIllegalState() {
        ReparameterizationVertexImpl v = vertex(stats(2, 2, 5));
        v.doForward(false, WS);
        v.setEpsilon(Nd4j.ones(DataType.DOUBLE, 2, 2));
        assertThrows(IllegalStateException.class, () -> v.doBackward(false, WS));
    }
}
