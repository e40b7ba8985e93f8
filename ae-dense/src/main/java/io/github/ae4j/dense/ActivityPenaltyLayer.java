package io.github.ae4j.dense;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The runtime side of {@link ActivityPenalty}: identity forward; backward adds the penalty's
 * gradient; {@link #calcRegularizationScore(boolean)} reports the penalty of the last forward pass,
 * which DL4J adds to the network score.
 */
final class ActivityPenaltyLayer extends AbstractLayer<ActivityPenalty> {

    /** Mean activations are kept this far inside (0, 1) in the KL penalty. */
    static final double KL_EPS = 1e-6;

    private double lastPenalty;

    ActivityPenaltyLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        lastPenalty = penalty(input);
        if (training) {
            return mgr.dup(ArrayType.ACTIVATIONS, input, input.ordering());
        }
        return mgr.leverageTo(ArrayType.ACTIVATIONS, input);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        assertInputSet(true);
        INDArray delta = mgr.dup(ArrayType.ACTIVATION_GRAD, epsilon, epsilon.ordering());
        ActivityPenalty c = layerConf();
        switch (c.getKind()) {
            case L1 -> delta.addi(Transforms.sign(input, true).muli(c.getWeight()));
            case KL -> {
                // d/dz_ij of weight * sum_j KL(rho || mean_i z_ij), times rows (DL4J divides by rows later)
                double rho = c.getTarget();
                INDArray rhoHat = clippedMean(input);
                INDArray g = rhoHat.rdiv(-rho).addi(rhoHat.rsub(1.0).rdivi(1.0 - rho)).muli(c.getWeight());
                delta.addiRowVector(g.castTo(delta.dataType()));
            }
            default -> {
                // NONE: identity
            }
        }
        return new Pair<>(new DefaultGradient(), delta);
    }

    /**
     * The penalty of a batch of activations, per DL4J's score convention (averaged over rows for
     * L1; the KL penalty is defined on the batch means).
     */
    double penalty(INDArray z) {
        ActivityPenalty c = layerConf();
        long rows = Math.max(1, z.size(0));
        switch (c.getKind()) {
            case L1:
                return c.getWeight() * z.norm1Number().doubleValue() / rows;
            case KL: {
                double rho = c.getTarget();
                INDArray rhoHat = clippedMean(z);
                INDArray a = Transforms.log(rhoHat.rdiv(rho), false).muli(rho);
                INDArray b = Transforms.log(rhoHat.rsub(1.0).rdivi(1.0 - rho), false).muli(1.0 - rho);
                return c.getWeight() * a.addi(b).sumNumber().doubleValue();
            }
            default:
                return 0.0;
        }
    }

    private static INDArray clippedMean(INDArray z) {
        INDArray m = z.castTo(DataType.DOUBLE).mean(true, 0);
        return Transforms.min(Transforms.max(m, KL_EPS, false), 1.0 - KL_EPS, false);
    }

    @Override
    public double calcRegularizationScore(boolean backpropParamsOnly) {
        return lastPenalty;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void clearNoiseWeightParams() {
        // no parameters
    }

    @Override
    public INDArray params() {
        return null;
    }
}
