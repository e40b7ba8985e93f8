package io.github.ae4j.examples.cli;

import io.github.ae4j.core.EpochReport;
import io.github.ae4j.core.TrainingListener;
import java.io.PrintStream;

/** Prints training progress (epoch, losses, rows/s, ETA) to stderr, one line per epoch. */
final class Progress implements TrainingListener {

    private final PrintStream err;

    Progress(PrintStream err) {
        this.err = err;
    }

    /** The listeners for a command: progress on the command line's stderr, or none with {@code --quiet}. */
    static TrainingListener[] listeners(Ae4jCli cli) {
        return cli.quiet ? new TrainingListener[0] : new TrainingListener[] {new Progress(cli.err)};
    }

    @Override
    public void onStart(int maxEpochs, long trainRows, long validationRows) {
        err.printf("training on %,d rows (%,d held out for validation), at most %d epochs%n", trainRows,
                validationRows, maxEpochs);
    }

    @Override
    public void onEpochEnd(EpochReport r) {
        err.println(r.summary());
    }

    @Override
    public void onEnd(int epochs, String stopReason) {
        err.printf("stopped after %d epochs (%s)%n", epochs, stopReason);
    }
}
