package io.github.ae4j.examples.cli;

import picocli.CommandLine.Option;

/** The options of {@code ae4j train} that only window (time-series) architectures take (a picocli mixin). */
final class SeriesOptions {

    @Option(names = "--window", paramLabel = "N", description = "Points per window, for a window architecture"
            + " (--arch lstm or conv1d): CSV rows are time steps in order, columns are channels.")
    Integer window;

    @Option(names = "--stride", paramLabel = "S", description = "Points between the starts of training windows"
            + " (window models; default 1, raised so that at most " + SeriesTraining.MAX_TRAINING_WINDOWS
            + " windows train). Scoring always slides by one point.")
    Integer stride;

    @Option(names = "--time-column", paramLabel = "COL", description = "The time stamp column of a series (name or"
            + " 0-based index): never a channel; ae4j score copies it to its id column.")
    String timeColumn;

    /** @return whether any series option was given */
    boolean given() {
        return window != null || stride != null || timeColumn != null;
    }
}
