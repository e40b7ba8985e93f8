package io.github.ae4j.core;

import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * What trains a network for one epoch, plugged into the one epoch loop of {@link TrainingEngine}: the
 * loop owns early stopping, best weights, the divergence guard, checkpoints, history and listeners; a
 * step owns where the rows are and how parameters are updated. ae4j has two: mini-batches fitted on
 * this machine ({@link AutoencoderTrainer}) and parameter-averaging rounds on a Spark cluster
 * ({@code io.github.ae4j.spark.SparkAutoencoderTrainer}).
 */
public interface TrainingStep {

    /**
     * The network being trained: its parameters are read for best weights and checkpoints and set when
     * the best weights are restored. May be a different object after each epoch.
     *
     * @return the network
     */
    ComputationGraph graph();

    /** @return the number of training rows (normalised, excluding validation rows) */
    long trainingRows();

    /** @return the number of validation rows; 0 for none (early stopping then watches the training loss) */
    long validationRows();

    /**
     * Trains one epoch.
     *
     * @param epoch the 1-based epoch of this run
     * @return the rows trained on and the training loss, or that the thread was interrupted
     */
    Epoch fitEpoch(int epoch);

    /**
     * The loss on the validation rows with the current parameters, in inference mode, on the same scale
     * as {@link Epoch#trainingLoss()} where the step can.
     *
     * @return the mean validation loss, or NaN without validation rows
     */
    double validationLoss();

    /**
     * The outcome of one epoch.
     *
     * @param rows         rows trained on
     * @param trainingLoss the training loss; a non-finite value with {@code rows > 0} means the training
     *                     diverged (the step may stop the epoch early when it sees one)
     * @param interrupted  the thread was interrupted during the epoch (the run stops, keeping its best weights)
     */
    record Epoch(long rows, double trainingLoss, boolean interrupted) {

        /** @return the outcome of an epoch cut short by an interrupt */
        public static Epoch interruptedEpoch() {
            return new Epoch(0, Double.NaN, true);
        }
    }
}
