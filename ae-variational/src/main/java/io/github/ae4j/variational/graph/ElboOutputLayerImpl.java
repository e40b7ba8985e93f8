package io.github.ae4j.variational.graph;

import io.github.ae4j.core.layers.SameDiffNoise;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.samediff.SameDiffOutputLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runtime of {@link ElboOutputLayer}: DL4J's SameDiff output layer, except that the one-off
 * creation of the gradient function (first backward pass) is kept off standard output. SameDiff
 * 1.0.0-M2.1 prints a line "Added differentiated op ..." per operation there with
 * {@code System.out.println}; {@link SameDiffNoise} drops them.
 */
public class ElboOutputLayerImpl extends SameDiffOutputLayer {


    /** Whether SameDiff's gradient function exists (created quietly on the first backward pass). */
    private boolean gradientReady;

    /**
     * Creates the runtime layer.
     *
     * @param conf     the layer's configuration
     * @param dataType the network's data type
     */
    public ElboOutputLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (gradientReady) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        Pair<Gradient, INDArray> r = SameDiffNoise.quietly(() -> super.backpropGradient(epsilon, workspaceMgr));
        gradientReady = true;
        return r;
    }
}
