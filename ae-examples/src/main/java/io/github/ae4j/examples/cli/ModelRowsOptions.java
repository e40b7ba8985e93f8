package io.github.ae4j.examples.cli;

import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options {@code encode} and {@code reconstruct} share (a picocli mixin): a model, the data to run
 * it on, and the output CSV of one row per data row.
 */
final class ModelRowsOptions {

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A model or detector file.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "CSV, image folder or IDX file.")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output CSV ('-' for stdout).")
    Path out;

    @Option(names = "--label-column", paramLabel = "COL", description = "Label column (never a feature).")
    String labelColumn;

    @Option(names = "--id-column", paramLabel = "COL", description = "Id column, copied to the output.")
    String idColumn;

    /** {@code --match-columns}. */
    @Mixin
    ColumnMatchOption match = new ColumnMatchOption();

    /** The output is not one of the inputs (checked before anything is read). */
    void check() {
        CliGuards.outputIsNotAnInput("--out", out, "--model", model, "--data", data);
        match.positional();
    }
}
