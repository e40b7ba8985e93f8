package io.github.ae4j.core.testing;

import io.github.ae4j.core.LossProvider;
import io.github.ae4j.core.ReconstructionLoss;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossL2;

/**
 * A custom reconstruction loss registered as a plugin is ({@code META-INF/services} of the test
 * resources): {@value #NAME}, the summed squared error (DL4J's {@code LossL2}), per feature the squared
 * difference. Used to test the loss plugin mechanism from ae-core, the CLI and Spark.
 */
public final class L2Loss implements ReconstructionLoss {

    /** The loss's name. */
    public static final String NAME = "test-l2";
    private static final L2Loss INSTANCE = new L2Loss();

    @Override
    public ILossFunction lossFunction() {
        return new LossL2();
    }

    @Override
    public Activation outputActivation() {
        return Activation.IDENTITY;
    }

    @Override
    public INDArray perFeature(INDArray x, INDArray xHat) {
        INDArray d = xHat.sub(x);
        return d.muli(d);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String toString() {
        return "summed squared error (test plugin)";
    }

    /** Its provider (for {@link java.util.ServiceLoader}). */
    public static final class Provider implements LossProvider {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public ReconstructionLoss loss() {
            return INSTANCE;
        }
    }
}
