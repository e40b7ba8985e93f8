package io.github.ae4j.conv.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.AutoencoderSpec;
import io.github.ae4j.core.TrainingConfig;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Shapes, validation and the per-step / per-channel error views of the LSTM window model. */
class LstmSeriesAutoencoderTest {

    @Test
    void givenBadSizes_whenBuilding_thenClearErrors() {
        assertThrows(IllegalArgumentException.class, () -> LstmSeriesAutoencoder.builder(1, 3));
        assertThrows(IllegalArgumentException.class, () -> LstmSeriesAutoencoder.builder(8, 0));
        assertThrows(IllegalArgumentException.class, () -> LstmSeriesAutoencoder.builder(8, 2).hidden());
        assertThrows(IllegalArgumentException.class, () -> LstmSeriesAutoencoder.builder(8, 2).latent(0));
        // a bottleneck as wide as the window is refused (it could copy the input)
        assertThrows(IllegalArgumentException.class, () -> LstmSeriesAutoencoder.builder(4, 2).latent(8).build());
    }

    @Test
    void givenTwoLayerLstm_whenTrainedBriefly_thenErrorsHaveStepAndChannelShapesAndAChannelFaultShowsInItsChannel() {
        Random r = new Random(4);
        double[][] s = new double[300][3];
        for (int t = 0; t < s.length; t++) {
            double common = Math.sin(t / 4.0);
            s[t][0] = common + 0.05 * r.nextGaussian();
            s[t][1] = 0.5 * common + 0.05 * r.nextGaussian();
            s[t][2] = -common + 0.05 * r.nextGaussian();
        }
        AutoencoderSpec spec = LstmSeriesAutoencoder.builder(12, 3).hidden(12, 6).latent(4).build();
        assertArrayEquals(new int[] {1, 12, 3}, spec.inputShape());
        SlidingWindows w = SlidingWindows.over(s, 12, 3);
        Autoencoder m = Autoencoder.fit(spec, w.extract(s),
                TrainingConfig.defaults().withEpochs(10).withBatchSize(16).withSeed(1).withPatience(0));
        double[][] faulty = new double[s.length][];
        for (int t = 0; t < s.length; t++) {
            faulty[t] = s[t].clone();
            faulty[t][2] = -faulty[t][2];   // channel 2 moves with the others instead of against them
        }
        INDArray windows = w.extract(faulty);
        assertArrayEquals(new long[] {w.count(), 12}, SeriesAutoencoder.stepErrors(m, windows).shape());
        INDArray ch = LstmSeriesAutoencoder.channelErrors(m, windows);
        assertArrayEquals(new long[] {w.count(), 3}, ch.shape());
        INDArray meanByChannel = ch.mean(0);
        String msg = "per-channel errors " + meanByChannel;
        assertTrue(meanByChannel.getDouble(2) > meanByChannel.getDouble(0), msg);
        assertTrue(meanByChannel.getDouble(2) > meanByChannel.getDouble(1), msg);
        assertEquals(w.count(), WindowScores.windowErrors(m, windows).length);
    }
}
