package io.github.ae4j.examples.cli;

import io.github.ae4j.core.Autoencoder;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ae4j reconstruct}: reconstructions in the input's units. */
@Command(name = "reconstruct", mixinStandardHelpOptions = true,
        description = "Write the reconstruction of every row, in the input's units (CSV: row[,id], then the feature columns).")
final class ReconstructCommand implements Callable<Integer> {

    @ParentCommand
    Ae4jCli cli;

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

    @Override
    public Integer call() throws Exception {
        Autoencoder m = Models.model(model);
        Dataset d = Dataset.load(data, labelColumn, idColumn, null, m.schema().orElse(null), Models.imageShape(m));
        EncodeCommand.write(cli, out, d, m.reconstruct(d.x()), d.featureNames(), "f");
        return 0;
    }
}
