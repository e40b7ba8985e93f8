package io.github.ae4j.core;

/**
 * Receives training progress. All methods have empty defaults; {@link #printing} prints one line
 * per epoch ({@link EpochReport#summary()}), and library users can hook anything else here.
 */
public interface TrainingListener {

    /**
     * A listener printing the progress the command line shows: the row counts at the start, one
     * {@link EpochReport#summary()} line per epoch, and why training stopped.
     *
     * @param out where to print (e.g. {@code System.err})
     * @return the listener
     */
    static TrainingListener printing(java.io.PrintStream out) {
        java.util.Objects.requireNonNull(out, "out");
        return new TrainingListener() {
            @Override
            public void onStart(int maxEpochs, long trainRows, long validationRows) {
                out.printf("training on %,d rows (%,d held out for validation), at most %d epochs%n", trainRows,
                        validationRows, maxEpochs);
            }

            @Override
            public void onEpochEnd(EpochReport r) {
                out.println(r.summary());
            }

            @Override
            public void onEnd(int epochs, String stopReason) {
                out.printf("stopped after %d epochs (%s)%n", epochs, stopReason);
            }
        };
    }

    /**
     * Called once before the first epoch.
     *
     * @param maxEpochs      the configured maximum number of epochs
     * @param trainRows      rows used for training
     * @param validationRows rows held out for validation (0 when none)
     */
    default void onStart(int maxEpochs, long trainRows, long validationRows) {
    }

    /**
     * Called before every epoch, with the graph being trained (for schedules such as a KL warm-up;
     * do not keep the reference).
     *
     * @param epoch 1-based epoch about to start
     * @param graph the graph under training
     */
    default void onEpochStart(int epoch, org.deeplearning4j.nn.graph.ComputationGraph graph) {
    }

    /**
     * Called after every epoch.
     *
     * @param report the epoch's numbers
     */
    default void onEpochEnd(EpochReport report) {
    }

    /**
     * Called once when training ends normally.
     *
     * @param epochs     epochs run
     * @param stopReason why training stopped: {@code max-epochs}, {@code early-stopping} or
     *                   {@code interrupted}
     */
    default void onEnd(int epochs, String stopReason) {
    }
}
