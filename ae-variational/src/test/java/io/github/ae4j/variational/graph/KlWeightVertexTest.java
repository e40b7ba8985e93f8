package io.github.ae4j.variational.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class KlWeightVertexTest {

    private static final LayerWorkspaceMgr WS = LayerWorkspaceMgr.noWorkspaces();

    @Test
    void givenWarmupFactor_whenForward_thenTrainingUsesScaledBetaAndInferenceFullBeta() {
        INDArray s = Nd4j.rand(DataType.DOUBLE, 3, 4);
        KlWeightVertexImpl v = (KlWeightVertexImpl) new KlWeightVertex(2.0)
                .instantiate(null, "kl-weight", 0, null, false, DataType.DOUBLE);
        v.setInputVertices(new VertexIndices[] {new VertexIndices(0, 0)});
        v.setInput(0, s, WS);
        v.setWarmupFactor(0.25);
        INDArray train = v.doForward(true, WS);
        INDArray infer = v.doForward(false, WS);
        assertArrayEquals(s.toDoubleMatrix(), train.getColumns(0, 1, 2, 3).toDoubleMatrix());
        assertArrayEquals(new double[] {0.5, 0.5, 0.5}, train.getColumn(4).toDoubleVector(), 1e-12);
        assertArrayEquals(new double[] {2, 2, 2}, infer.getColumn(4).toDoubleVector(), 1e-12);
    }

    @Test
    void givenUpstreamGradient_whenBackward_thenBetaColumnIsDropped() {
        INDArray s = Nd4j.rand(DataType.DOUBLE, 2, 3);
        KlWeightVertexImpl v = new KlWeightVertexImpl(null, "kl-weight", 0, DataType.DOUBLE, 1.0);
        v.setInputVertices(new VertexIndices[] {new VertexIndices(0, 0)});
        v.setInput(0, s, WS);
        v.doForward(true, WS);
        INDArray up = Nd4j.rand(DataType.DOUBLE, 2, 4);
        v.setEpsilon(up);
        INDArray g = v.doBackward(false, WS).getSecond()[0];
        assertArrayEquals(up.getColumns(0, 1, 2).toDoubleMatrix(), g.toDoubleMatrix());
    }

    @Test
    void givenInvalidWeights_whenSet_thenIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> new KlWeightVertex(-1));
        assertThrows(IllegalArgumentException.class, () -> new KlWeightVertex(Double.NaN));
        KlWeightVertexImpl v = new KlWeightVertexImpl(null, "k", 0, DataType.FLOAT, 1.0);
        assertThrows(IllegalArgumentException.class, () -> v.setWarmupFactor(1.5));
    }

    @Test
    void givenVertex_whenCloned_thenEqual() {
        KlWeightVertex k = new KlWeightVertex(3.5);
        assertEquals(k, k.clone());
        assertEquals(3.5, k.clone().getBeta());
    }
}
