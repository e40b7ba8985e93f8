package io.github.ae4j.examples.cli;

import io.github.ae4j.core.TrainingListener;

/** Training progress for the commands that train. */
final class Progress {

    private Progress() {
    }

    /** The listeners for a command: progress on the command line's stderr, or none with {@code --quiet}. */
    static TrainingListener[] listeners(Ae4jCli cli) {
        return cli.quiet ? new TrainingListener[0] : new TrainingListener[] {TrainingListener.printing(cli.err)};
    }
}
