package io.github.ae4j.core;

import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.reduce.floating.Entropy;
import org.nd4j.linalg.api.ops.impl.reduce3.Dot;
import org.nd4j.linalg.api.ops.impl.reduce3.EuclideanDistance;
import org.nd4j.linalg.api.ops.impl.reduce3.ManhattanDistance;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Per-row reconstruction errors of the built-in losses computed from the decoder's pre-activation
 * output in a few passes over the data, without full-size temporaries: MSE is one squared-distance
 * reduction per row, MAE one absolute-distance reduction, binary cross-entropy (as the Bernoulli KL
 * divergence {@link ReconstructionLosses#binaryCrossEntropy()} defines) is computed from the logits:
 * {@code t ln t + (1-t) ln(1-t) - t z + softplus(z)} per element, with {@code t} and the probability
 * clipped to [EPS, 1 - EPS] as there (clipping the logit to the bounds' logits is the same clip). The
 * results equal {@link ReconstructionLoss#perRow} on the activated output within float rounding
 * (checked in the tests); other losses take that generic route.
 */
final class FusedErrors {

    /** The logits of the probability clip bounds as float arrays hold them (1 - EPS rounds to 1 - 1.19e-7). */
    private static final double LOGIT_MIN = logit((float) ReconstructionLosses.EPS);
    private static final double LOGIT_MAX = logit((float) (1 - ReconstructionLosses.EPS));

    private FusedErrors() {
    }

    /**
     * Per-row errors.
     *
     * @param loss       the loss
     * @param activation the decoder's output activation
     * @param x          normalised rows [n, f]: not modified (may be the caller's own rows)
     * @param z          decoder output before the activation [n, f]: used as scratch (overwritten)
     * @return the errors, shape [n]
     */
    static INDArray perRow(ReconstructionLoss loss, Activation activation, INDArray x, INDArray z) {
        long f = x.size(1);
        if (loss == ReconstructionLosses.mse() && activation == Activation.IDENTITY) {
            return squaredDistance(x, z).divi(f);
        }
        if (loss == ReconstructionLosses.mseSigmoid() && activation == Activation.SIGMOID) {
            return squaredDistance(x, Transforms.sigmoid(z, false)).divi(f);
        }
        if (loss == ReconstructionLosses.mae() && activation == Activation.IDENTITY) {
            return Nd4j.getExecutioner().exec(new ManhattanDistance(x, z, 1)).divi(f);
        }
        if (loss == ReconstructionLosses.binaryCrossEntropy() && activation == Activation.SIGMOID) {
            double eps = ReconstructionLosses.EPS;
            // clipped and turned into 1 - x below: a copy, since without normalisation x is the caller's own array
            // (until 2026-12-06 scoring with BCE overwrote the caller's rows with 1 - x)
            x = x.dup();
            clip(x, eps, 1 - eps);
            clip(z, LOGIT_MIN, LOGIT_MAX);
            INDArray tz = Nd4j.getExecutioner().exec(new Dot(x, z, 1));
            INDArray softplus = Transforms.softPlus(z, false).sum(1);
            // Entropy is -sum(v ln v) along the rows
            INDArray negH = Nd4j.getExecutioner().exec(new Entropy(x, 1));
            negH.addi(Nd4j.getExecutioner().exec(new Entropy(x.rsubi(1.0), 1)));
            return softplus.subi(tz).subi(negH).divi(f);
        }
        INDArray out = activation == Activation.IDENTITY ? z : activation.getActivationFunction().getActivation(z, false);
        return loss.perRow(x, out);
    }

    private static double logit(double p) {
        return Math.log(p / (1 - p));
    }

    private static INDArray squaredDistance(INDArray a, INDArray b) {
        INDArray d = Nd4j.getExecutioner().exec(new EuclideanDistance(a, b, 1));
        return d.muli(d);
    }

    private static void clip(INDArray a, double lo, double hi) {
        Nd4j.exec(DynamicCustomOp.builder("clipbyvalue").addInputs(a).addOutputs(a)
                .addFloatingPointArguments(lo, hi).build());
    }
}
