package io.github.ae4j.core.layers;

import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's runtime SameDiff layer, with two fixes for ND4J/DL4J 1.0.0-M2.1 (used through
 * {@link ExactSameDiffLayer} and {@link ExactSameDiffLambdaLayer}):
 * <ul>
 *   <li>Gradients were doubled. DL4J feeds the gradient from the next layer into the layer's
 *       SameDiff graph through an {@code ExternalErrorsFunction}, whose {@code doDiff} both registers
 *       the external-gradient placeholder as the output's gradient and returns it, so SameDiff's
 *       gradient accumulation adds the placeholder to itself ({@code add(x-grad, x-grad)}): every
 *       parameter gradient and the gradient passed to the previous layer came out 2x, and 2^k x
 *       after k such layers. Adam hides a constant factor; SGD, gradient clipping, weight decay and
 *       a mix with ordinary DL4J layers do not. This layer detects the self-addition in the built
 *       gradient graph and feeds half the incoming gradient, making gradients exact (checked
 *       numerically in the tests).</li>
 *   <li>ND4J prints a line to standard output ({@code "Added differentiated op ..."}) for every op
 *       when it builds a gradient function, which would corrupt the standard output of programs
 *       using ae4j. This layer builds the gradient function itself (as DL4J would, on the first
 *       backward pass) with those lines filtered out.</li>
 * </ul>
 */
final class ExactSameDiffLayerImpl extends SameDiffLayer {

    private static final long serialVersionUID = 1L;

    /** Factor applied to the incoming gradient: 0.5 while the self-addition bug is present, NaN until known. */
    private double epsilonScale = Double.NaN;

    ExactSameDiffLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Creates and initialises the runtime layer for a layer configuration, as DL4J's own instantiate does. */
    static ExactSameDiffLayerImpl create(org.deeplearning4j.nn.conf.layers.samediff.AbstractSameDiffLayer layer,
                                         NeuralNetConfiguration conf, int layerIndex, INDArray layerParamsView,
                                         boolean initializeParams, DataType networkDataType) {
        ExactSameDiffLayerImpl ret = new ExactSameDiffLayerImpl(conf, networkDataType);
        ret.setIndex(layerIndex);
        ret.setParamsViewArray(layerParamsView);
        ret.setParamTable(layer.initializer().init(conf, layerParamsView, initializeParams));
        ret.setConf(conf);
        return ret;
    }

    @Override
    @SuppressWarnings("try")
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (sameDiff == null || !sameDiff.hasGradientFunction()) {
            assertInputSet(true);
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                if (sameDiff == null) {
                    doInit();
                }
                SameDiffNoise.quietly(() -> sameDiff.createGradFunction(INPUT_KEY));
            }
        }
        if (Double.isNaN(epsilonScale)) {
            epsilonScale = selfAddsExternalGradient() ? 0.5 : 1.0;
        }
        return super.backpropGradient(epsilonScale == 1.0 ? epsilon : epsilon.mul(epsilonScale), workspaceMgr);
    }

    /** Whether the gradient graph adds the external-gradient placeholder to itself (the M2.1 bug). */
    private boolean selfAddsExternalGradient() {
        String ph = fn.getGradPlaceholderName();
        SameDiff grad = sameDiff.getFunction("grad");
        if (grad == null) {
            return false;
        }
        for (SameDiffOp op : grad.getOps().values()) {
            List<String> in = op.getInputsToOp();
            if (op.getOp() instanceof AddOp && in != null && in.size() == 2 && ph.equals(in.get(0))
                    && ph.equals(in.get(1))) {
                return true;
            }
        }
        return false;
    }
}
