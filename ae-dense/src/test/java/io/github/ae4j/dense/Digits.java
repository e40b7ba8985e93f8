package io.github.ae4j.dense;

import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.testing.TestData;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fixed digits split shared by this module's quality tests, and a PCA baseline.
 *
 * <p>Split: the first 1,400 rows of the UCI 8x8 digits train, the last 397 are held out. Models
 * are trained on pixels scaled to [0, 1] ({@link Normalization#SCALE}) with no validation split, so
 * that the autoencoder and PCA see exactly the same training rows and are scored in the same space.
 */
final class Digits {

    static final int TRAIN_ROWS = 1400;
    static final INDArray TRAIN;
    static final INDArray HELD_OUT;

    static {
        TestData.Digits d = TestData.digits();
        TRAIN = Nd4j.createFromArray(d.slice(0, TRAIN_ROWS).x()).castTo(DataType.FLOAT);
        HELD_OUT = Nd4j.createFromArray(d.slice(TRAIN_ROWS, d.size()).x()).castTo(DataType.FLOAT);
    }

    private Digits() {
    }

    /** Training settings of the quality tests: [0, 1] pixels, Adam(3e-3), batch 64, no validation. */
    static TrainingConfig config(int epochs) {
        return TrainingConfig.defaults()
                .withNormalization(Normalization.SCALE)
                .withUpdater(new org.nd4j.linalg.learning.config.Adam(3e-3))
                .withValidationFraction(0)
                .withEpochs(epochs)
                .withSeed(42);
    }

    /** Held-out MSE of PCA with k components fitted on {@code train} (the ae-core fixture). */
    static double pcaMse(INDArray train, INDArray heldOut, int k) {
        return io.github.ae4j.core.testing.Pca.fit(train, k).mse(heldOut);
    }

    /** Mean squared difference of two arrays of the same shape. */
    static double mse(INDArray a, INDArray b) {
        INDArray d = a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE));
        return d.muli(d).meanNumber().doubleValue();
    }
}
