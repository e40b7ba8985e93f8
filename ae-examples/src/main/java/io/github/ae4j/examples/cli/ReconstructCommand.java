package io.github.ae4j.examples.cli;

import io.github.ae4j.core.Autoencoder;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code ae4j reconstruct}: reconstructions in the input's units. */
@Command(name = "reconstruct", mixinStandardHelpOptions = true,
        description = {"Write the reconstruction of every row, in the input's units (CSV: row[,id], then the feature"
                + " columns).", "CSV input is streamed (bounded memory)."})
final class ReconstructCommand implements Callable<Integer>, OptionChecks.Checked {

    @ParentCommand
    Ae4jCli cli;

    @Mixin
    ModelRowsOptions rows;

    @Override
    public void checkOptions() {
        rows.check();
    }

    @Override
    public Integer call() throws Exception {
        Autoencoder m = Models.model(rows.model);
        EncodeCommand.run(cli, rows, m, m::reconstruct,
                m.schema().isPresent() ? m.schema().get().featureNames() : null, "f");
        return 0;
    }
}
