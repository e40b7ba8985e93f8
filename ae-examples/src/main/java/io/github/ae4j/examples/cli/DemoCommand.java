package io.github.ae4j.examples.cli;

import io.github.ae4j.examples.DigitsAnomalyExample;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ae4j demo}: the whole path on bundled data, offline. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Train an anomaly detector on the bundled UCI digits (digits 1-9 normal, 0 the anomaly),",
                "evaluate it against a PCA baseline, and write pictures (reconstructions, score histogram, ROC,",
                "latent space). No network needed."})
final class DemoCommand implements Callable<Integer> {

    @ParentCommand
    Ae4jCli cli;

    @Option(names = "--out", defaultValue = "ae4j-demo", paramLabel = "DIR", description = "Folder for the pictures (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--smoke", hidden = true, description = "Tiny, fast run (for tests).")
    boolean smoke;

    @Override
    public Integer call() throws Exception {
        DigitsAnomalyExample.run(out, smoke, cli.out, Progress.listeners(cli));
        return 0;
    }
}
