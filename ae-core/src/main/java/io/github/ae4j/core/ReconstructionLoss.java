package io.github.ae4j.core;

import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * How a reconstruction is compared with its input, in training and in scoring.
 *
 * <p>Training minimises {@link #lossFunction()} on the output of {@link #outputActivation()};
 * scoring uses {@link #perFeature(INDArray, INDArray)}, the same maths element by element, so that
 * the anomaly score of a row is exactly the per-row mean of its per-feature errors.
 *
 * <p>Built-in losses are in {@link ReconstructionLosses}. A custom loss implements this interface
 * (usually with a DL4J {@code SameDiffLoss} as its {@link #lossFunction()}), has a unique
 * {@link #name()}, and is registered by a {@link LossProvider} of that name, so that a saved model
 * can find it again (and {@code ae4j train --loss NAME} can use it).
 */
public interface ReconstructionLoss {

    /** @return the DL4J loss function used in training */
    ILossFunction lossFunction();

    /** @return the activation of the reconstruction layer (identity for MSE, sigmoid for BCE, ...) */
    Activation outputActivation();

    /**
     * Per-element reconstruction error.
     *
     * @param x    the (normalised) input, shape [rows, features]
     * @param xHat the reconstruction (after the output activation), same shape
     * @return a new array of the same shape, error of each element
     */
    INDArray perFeature(INDArray x, INDArray xHat);

    /**
     * Per-row reconstruction error: the mean over features of {@link #perFeature}.
     *
     * @param x    the (normalised) input, shape [rows, features]
     * @param xHat the reconstruction, same shape
     * @return a vector of length rows
     */
    default INDArray perRow(INDArray x, INDArray xHat) {
        INDArray e = perFeature(x, xHat);
        return e.reshape(e.size(0), -1).mean(1);
    }

    /** @return a short unique name, stored in saved models ("mse", "mae", "bce", ...) */
    String name();
}
