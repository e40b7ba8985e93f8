package io.github.ae4j.examples.cli;

import io.github.ae4j.conv.image.ImageGrid;
import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.variational.Vae;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ae4j generate}: samples from a variational model's prior. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Sample new rows from a variational model (trained with --arch vae): decode draws from the prior.")
final class GenerateCommand implements Callable<Integer> {

    @ParentCommand
    Ae4jCli cli;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A variational model or detector.")
    Path model;

    @Option(names = "--count", required = true, paramLabel = "N", description = "How many samples.")
    int count;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output CSV of samples ('-' for stdout).")
    Path out;

    @Option(names = "--png", paramLabel = "FILE", description = "Also write the samples as an image grid (image models).")
    Path png;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        CliGuards.outputIsNotAnInput("--out", out, "--model", model);
        CliGuards.outputIsNotAnInput("--png", png, "--model", model, "--out", out);
        if (count < 1) {
            throw new UsageException("--count must be >= 1, got " + count);
        }
        Autoencoder m = Models.model(model);
        if (!Vae.isVariational(m)) {
            throw new UsageException(model + " holds a model of kind '" + m.kind()
                    + "': only variational models (ae4j train --arch vae) can generate samples");
        }
        if (png != null && Models.imageShape(m) == null) {
            throw new UsageException("--png needs a model trained on images; " + model + " takes rows of "
                    + m.inputSize() + " values (nothing was written)");
        }
        CliGuards.samplesFit(count, m.inputSize());
        INDArray samples = Vae.of(m).sample(count, seed);
        Dataset shape = new Dataset(samples, null, null, m.schema().orElse(null), Models.imageShape(m), model);
        EncodeCommand.write(cli, out, shape, samples, shape.featureNames(), "f");
        if (png != null) {
            int[] s = Models.imageShape(m);
            if (s == null) {
                throw new UsageException("--png needs a model trained on images");
            }
            double max = m.normalizer().type() == io.github.ae4j.core.Normalization.SCALE ? m.normalizer().scale()[0] : 1.0;
            ImageGrid.write(png, samples, s[0], s[1], s[2], (int) Math.ceil(Math.sqrt(count)), 0, max);
        }
        if (!cli.quiet) {
            cli.err.printf("wrote %d samples to %s%s%n", count, out, png == null ? "" : " and " + png);
        }
        return 0;
    }
}
