package io.github.ae4j.conv;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.ModelInfo;
import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.testing.TestData;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The training and validation losses that progress shows are on one scale: the rows are exchangeable (a random
 * validation split of the same digits), so after a few epochs the two agree within a small factor. DL4J's own
 * score from {@code fit()} on a graph of SameDiff conv layers was 6x the validation loss on MNIST.
 */
class TrainingLossScaleTest {

    @Test
    void givenConvModelOnDigits_whenTrained_thenTrainAndValidationLossAreOnOneScale() {
        double[][] x = java.util.Arrays.copyOf(TestData.digits().x(), 600);
        TrainingConfig tc = ConvAutoencoder.trainingDefaults().withEpochs(4).withBatchSize(32).withSeed(3)
                .withValidationFraction(0.2).withPatience(0).withNormalization(Normalization.SCALE);
        Autoencoder m = Autoencoder.fit(ConvAutoencoder.builder(8, 8, 1).filters(8, 4)
                .lossFor(Normalization.SCALE).build(), x, tc);
        List<ModelInfo.Epoch> h = m.info().history();
        ModelInfo.Epoch last = h.get(h.size() - 1);
        double ratio = last.trainLoss() / last.validationLoss();
        assertTrue(ratio > 0.8 && ratio < 1.25, "train " + last.trainLoss() + " vs validation " + last.validationLoss());
    }
}
