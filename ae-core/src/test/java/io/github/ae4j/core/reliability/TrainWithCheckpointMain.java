package io.github.ae4j.core.reliability;

import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.testing.Models;
import io.github.ae4j.core.testing.Synthetic;
import java.nio.file.Path;

/**
 * Child program for {@link InterruptedTrainingTest}: trains for a very long time with a checkpoint
 * file, printing {@code EPOCH n} after each epoch, until it is stopped.
 */
public final class TrainWithCheckpointMain {

    private TrainWithCheckpointMain() {
    }

    /**
     * Runs.
     *
     * @param args the checkpoint file
     */
    public static void main(String[] args) {
        double[][] x = Synthetic.manifold(2000, 16, 2, 0.02, 3);
        Autoencoder.fit(Models.dense(16, 24, 3), x, TrainingConfig.defaults().withEpochs(100_000).withPatience(0)
                .withCheckpoint(Path.of(args[0])), new io.github.ae4j.core.TrainingListener() {
                    @Override
                    public void onEpochEnd(io.github.ae4j.core.EpochReport r) {
                        System.out.println("EPOCH " + r.epoch());
                        System.out.flush();
                    }
                });
    }
}
