package io.github.ae4j.dense;

import static io.github.ae4j.dense.Digits.HELD_OUT;
import static io.github.ae4j.dense.Digits.TRAIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.AutoencoderSpec;
import io.github.ae4j.core.Corruption;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Quality floors on real data (UCI 8x8 digits, fixed split, pixels scaled to [0, 1]), each against a
 * baseline computed in the same test.
 */
class DigitsQualityTest {

    @Test
    void givenDigits_whenDenseAutoencoderWith8UnitBottleneck_thenHeldOutMseAtMostPca8() {
        AutoencoderSpec spec = DenseAutoencoder.defaults(64).build();
        assertEquals("dense 64-32-[8]-32-64", spec.name());

        Autoencoder model = Autoencoder.fit(spec, TRAIN, Digits.config(120));

        double ae = model.reconstructionError(HELD_OUT).meanNumber().doubleValue();
        double pca = Digits.pcaMse(model.normalize(TRAIN), model.normalize(HELD_OUT), 8);
        report("dense 64-32-[8]-32-64 held-out MSE %.5f, PCA(8) %.5f, ratio %.3f", ae, pca, ae / pca);
        assertTrue(ae <= pca, "autoencoder MSE " + ae + " should be at most PCA(8)'s " + pca);
    }

    @Test
    void givenDigits_whenLinearAutoencoder_thenWithin5PercentOfPca8() {
        AutoencoderSpec spec = DenseAutoencoder.builder(64).hidden().latent(8).build();
        assertEquals("dense 64-[8]-64", spec.name());

        Autoencoder model = Autoencoder.fit(spec, TRAIN, Digits.config(150).withUpdater(new Adam(1e-2)));

        double ae = model.reconstructionError(HELD_OUT).meanNumber().doubleValue();
        double pca = Digits.pcaMse(model.normalize(TRAIN), model.normalize(HELD_OUT), 8);
        report("linear 64-[8]-64 held-out MSE %.5f, PCA(8) %.5f, ratio %.4f", ae, pca, ae / pca);
        assertEquals(1.0, ae / pca, 0.05, "linear autoencoder MSE " + ae + " vs PCA(8) " + pca);
    }

    @Test
    void givenNoisyHeldOutDigits_whenDenoisingModel_thenCloserToCleanThanPlainModel() {
        double sd = 0.2; // in normalised units: pixels / 16
        INDArray noise = Nd4j.getRandomFactory().getNewRandomInstance(7).nextGaussian(HELD_OUT.shape())
                .castTo(DataType.FLOAT).muli(sd * 16);
        INDArray noisy = HELD_OUT.add(noise);
        DenoisingErrors e = denoisingErrors(Corruption.gaussian(sd), noisy);
        double plainErr = e.plain();
        double denoisingErr = e.denoising();
        double inputErr = e.input();
        report("noisy held-out (sd %.2f): MSE to clean: noisy input %.5f, plain model %.5f, denoising model %.5f",
                sd, inputErr, plainErr, denoisingErr);
        assertTrue(denoisingErr < plainErr, "denoising " + denoisingErr + " should beat plain " + plainErr);
        assertTrue(denoisingErr < inputErr, "denoising " + denoisingErr + " should beat the noisy input " + inputErr);
    }

    @Test
    @Tag("slow")
    void givenMaskedHeldOutDigits_whenMaskingDenoisingModel_thenCloserToCleanThanPlainModel() {
        double p = 0.25;
        // zero each pixel with probability p (pixel 0 stays 0 under the [0, 1] scaling)
        INDArray keep = Nd4j.getRandomFactory().getNewRandomInstance(8).nextDouble(HELD_OUT.shape())
                .gt(p).castTo(DataType.FLOAT);
        INDArray masked = HELD_OUT.mul(keep);
        DenoisingErrors e = denoisingErrors(Corruption.masking(p), masked);
        double plainErr = e.plain();
        double denoisingErr = e.denoising();
        double inputErr = e.input();
        report("masked held-out (p %.2f): MSE to clean: masked input %.5f, plain model %.5f, denoising model %.5f",
                p, inputErr, plainErr, denoisingErr);
        assertTrue(denoisingErr < plainErr, "denoising " + denoisingErr + " should beat plain " + plainErr);
    }

    @Test
    void givenL1Sparsity_whenTrained_thenBottleneckHasMoreZerosThanPlainModel() {
        DenseAutoencoder.Builder b = DenseAutoencoder.builder(64).hidden(64).latent(32)
                .latentActivation(Activation.RELU);
        Autoencoder plain = Autoencoder.fit(b.build(), TRAIN, Digits.config(60));
        Autoencoder sparse = Autoencoder.fit(b.sparsity(Sparsity.l1(0.01)).build(), TRAIN, Digits.config(60));

        double plainZeros = fraction(plain.encode(HELD_OUT).eq(0));
        double sparseZeros = fraction(sparse.encode(HELD_OUT).eq(0));
        double sparseErr = sparse.reconstructionError(HELD_OUT).meanNumber().doubleValue();
        double meanOnly = meanOnlyMse(sparse);
        report("L1 sparsity: fraction of zero codes plain %.3f, sparse %.3f; sparse MSE %.5f (plain %.5f, mean-only %.5f)",
                plainZeros, sparseZeros, sparseErr, plain.reconstructionError(HELD_OUT).meanNumber().doubleValue(),
                meanOnly);
        assertTrue(sparseZeros >= plainZeros + 0.15, "sparse model zeros " + sparseZeros + " vs plain " + plainZeros);
        assertTrue(sparseErr < 0.5 * meanOnly, "the sparse model must still reconstruct: MSE " + sparseErr);
    }

    @Test
    void givenKlSparsityTarget_whenTrained_thenMeanActivationNearTargetAndBelowPlainModel() {
        double rho = 0.05;
        DenseAutoencoder.Builder b = DenseAutoencoder.builder(64).hidden(64).latent(32)
                .latentActivation(Activation.SIGMOID);
        Autoencoder plain = Autoencoder.fit(b.build(), TRAIN, Digits.config(60));
        Autoencoder sparse = Autoencoder.fit(b.sparsity(Sparsity.kl(rho, 0.1)).build(), TRAIN, Digits.config(60));

        INDArray zPlain = plain.encode(HELD_OUT);
        INDArray zSparse = sparse.encode(HELD_OUT);
        double plainMean = zPlain.meanNumber().doubleValue();
        double sparseMean = zSparse.meanNumber().doubleValue();
        double plainNearZero = fraction(Transforms.abs(zPlain).lt(0.05));
        double sparseNearZero = fraction(Transforms.abs(zSparse).lt(0.05));
        report("KL sparsity (rho %.2f): mean code plain %.4f, sparse %.4f; fraction < 0.05 plain %.3f, sparse %.3f",
                rho, plainMean, sparseMean, plainNearZero, sparseNearZero);
        assertEquals(rho, sparseMean, rho, "mean activation should approach the target");
        assertTrue(sparseMean < plainMean / 2, "sparse mean " + sparseMean + " vs plain " + plainMean);
        assertTrue(sparseNearZero > plainNearZero + 0.2, "near-zero fraction " + sparseNearZero + " vs " + plainNearZero);
    }

    /** Held-out MSEs to the clean rows, in normalised space, of a corrupted input and of its reconstructions. */
    private record DenoisingErrors(double input, double plain, double denoising) {
    }

    /**
     * Trains the default 64-feature model plainly and with a corruption (60 epochs each) and measures
     * how close each gets a corrupted copy of the held-out rows to the clean rows.
     */
    private static DenoisingErrors denoisingErrors(Corruption corruption, INDArray corrupted) {
        AutoencoderSpec spec = DenseAutoencoder.defaults(64).build();
        Autoencoder plain = Autoencoder.fit(spec, TRAIN, Digits.config(60));
        Autoencoder denoising = Autoencoder.fit(spec, TRAIN, Digits.config(60).withCorruption(corruption));
        INDArray clean = plain.normalize(HELD_OUT);
        return new DenoisingErrors(Digits.mse(plain.normalize(corrupted), clean),
                Digits.mse(plain.normalize(plain.reconstruct(corrupted)), clean),
                Digits.mse(denoising.normalize(denoising.reconstruct(corrupted)), clean));
    }

    /** MSE of predicting every held-out row by the training mean, in the model's normalised space. */
    private static double meanOnlyMse(Autoencoder m) {
        INDArray mean = m.normalize(TRAIN).mean(true, 0);
        INDArray held = m.normalize(HELD_OUT);
        return Digits.mse(held, Nd4j.zerosLike(held).addiRowVector(mean));
    }

    private static double fraction(INDArray mask) {
        return mask.castTo(DataType.DOUBLE).meanNumber().doubleValue();
    }

    static void report(String format, Object... args) {
        System.out.println("[ae-dense] " + String.format(java.util.Locale.ROOT, format, args));
    }
}
