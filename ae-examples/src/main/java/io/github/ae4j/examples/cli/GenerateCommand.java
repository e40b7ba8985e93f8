package io.github.ae4j.examples.cli;

import io.github.ae4j.conv.image.ImageGrid;
import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.variational.Vae;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ae4j generate}: samples from a variational model's prior. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Sample new rows from a variational model (trained with --arch vae): decode draws from the prior.",
                "--interpolate walks the latent space between rows of --data; --latent-plot draws where rows of"
                        + " --data lie in the latent space."})
final class GenerateCommand implements Callable<Integer>, OptionChecks.Checked {

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

    @Option(names = "--scale", paramLabel = "N", description = "Magnification of the --png grid: each pixel drawn as"
            + " N x N (default: images at least 56 pixels high).")
    Integer scale;

    @Option(names = "--interpolate", paramLabel = "STEPS", description = "Instead of prior samples: walk the latent"
            + " space in STEPS steps between consecutive pairs of rows of --data (rows 0-1, 2-3, ... up to --count"
            + " pairs), decoding each point; the --png grid has one pair per line.")
    Integer interpolate;

    @Option(names = "--data", paramLabel = "FILE", description = "Rows for --interpolate and --latent-plot.")
    Path data;

    @Option(names = "--label-column", paramLabel = "COL", description = "Label column of --data, to colour --latent-plot.")
    String labelColumn;

    @Option(names = "--latent-plot", paramLabel = "PNG", description = "Also plot the posterior means of the rows of"
            + " --data (2-D latent spaces as they are, larger ones on their first two principal components).")
    Path latentPlot;

    @Override
    public void checkOptions() {
        CliGuards.outputIsNotAnInput("--out", out, "--model", model, "--data", data);
        CliGuards.outputIsNotAnInput("--png", png, "--model", model, "--data", data, "--out", out);
        CliGuards.outputIsNotAnInput("--latent-plot", latentPlot, "--model", model, "--data", data, "--out", out);
        OptionChecks.atLeast("--count", count, 1);
        OptionChecks.range("--scale", scale, 1, 64);
        OptionChecks.range("--interpolate", interpolate, 2, 1000);
        if ((interpolate != null || latentPlot != null) && data == null) {
            throw new UsageException((interpolate != null ? "--interpolate" : "--latent-plot") + " needs --data");
        }
        if (data != null && interpolate == null && latentPlot == null) {
            throw new UsageException("--data is used with --interpolate or --latent-plot only");
        }
    }

    @Override
    public Integer call() throws Exception {
        Autoencoder m = Models.model(model);
        if (!Vae.isVariational(m)) {
            throw new UsageException(model + " holds a model of kind '" + m.kind()
                    + "': only variational models (ae4j train --arch vae) can generate samples");
        }
        Vae vae = Vae.of(m);
        int[] imageShape = Models.imageShape(m);
        if (png != null && imageShape == null) {
            throw new UsageException("--png needs a model trained on images");
        }
        Dataset rows = data == null ? null : Dataset.forModel(data, labelColumn, null, m);
        INDArray samples;
        int columns;
        if (interpolate != null) {
            int pairs = Math.min(count, rows.rows() / 2);
            if (pairs < 1) {
                throw new UsageException(data + ": --interpolate needs at least 2 rows, got " + rows.rows());
            }
            CliGuards.samplesFit((long) pairs * interpolate, m.inputSize());
            INDArray[] strips = new INDArray[pairs];
            for (int p = 0; p < pairs; p++) {
                strips[p] = vae.interpolate(rows.x().getRow(2L * p, true), rows.x().getRow(2L * p + 1, true),
                        interpolate);
            }
            samples = Nd4j.concat(0, strips);
            columns = interpolate;
        } else {
            CliGuards.samplesFit(count, m.inputSize());
            samples = vae.sample(count, seed);
            columns = (int) Math.ceil(Math.sqrt(count));
        }
        Dataset shape = new Dataset(samples, null, null, m.schema().orElse(null), Models.imageShape(m), model);
        EncodeCommand.write(cli, out, shape, samples, shape.featureNames(), "f");
        if (png != null) {
            int[] s = imageShape;
            double max = m.normalizer().type() == io.github.ae4j.core.Normalization.SCALE ? m.normalizer().scale()[0] : 1.0;
            int k = scale != null ? scale : Math.max(1, (int) Math.ceil(56.0 / Math.max(s[0], 1)));
            ImageGrid.write(png, samples, s[0], s[1], s[2], columns, 0, max, k);
        }
        if (latentPlot != null) {
            vae.writeLatentScatter(latentPlot, rows.x(), rows.labels());
        }
        if (!cli.quiet) {
            cli.err.printf("wrote %d %s to %s%s%s%n", samples.size(0), interpolate != null ? "interpolated rows"
                    : "samples", out, png == null ? "" : " and " + png, latentPlot == null ? "" : ", latent plot "
                    + latentPlot);
        }
        return 0;
    }
}
