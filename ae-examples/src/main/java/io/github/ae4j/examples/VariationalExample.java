package io.github.ae4j.examples;

import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.TrainingListener;
import io.github.ae4j.variational.Vae;
import io.github.ae4j.variational.VaePlots;
import io.github.ae4j.variational.VariationalAutoencoder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Example 3: a variational autoencoder (Kingma &amp; Welling 2014) on the bundled MNIST digits, with
 * no network access. It trains a beta-VAE (beta 2, Higgins et al. 2017) with an 8-D latent space and
 * writes prior samples and latent
 * interpolations, then a VAE with a 2-D latent space and writes the latent space of the test digits
 * coloured by digit and the decoded manifold. Prints the held-out negative ELBO of both.
 *
 * <pre>java -cp ae-examples/target/ae-examples-0.1.0-SNAPSHOT.jar io.github.ae4j.examples.VariationalExample [--out DIR] [--smoke]</pre>
 *
 * <p>Output files (default folder {@code out/vae}): {@code samples.png} (100 prior samples),
 * {@code interpolation.png} (five rows, each from one test digit to another through latent space),
 * {@code latent-scatter.png} and {@code manifold.png} (the 2-D model). {@code --smoke} trains on
 * 1,000 digits for two epochs (well under 30 s); the normal run takes a few minutes on 2 cores.
 */
public final class VariationalExample {

    private VariationalExample() {
    }

    /**
     * What the example measured.
     *
     * @param latent              latent size of the generative model
     * @param trainRows           training digits
     * @param epochs              epochs of the generative model
     * @param heldOutNegativeElbo its Monte-Carlo negative ELBO on held-out digits, nats per image
     * @param planarNegativeElbo  the same for the 2-D model
     * @param trainSeconds        training time of both models
     * @param files               the pictures written
     */
    public record Result(int latent, int trainRows, int epochs, double heldOutNegativeElbo, double planarNegativeElbo,
                         double trainSeconds, List<Path> files) {
    }

    /**
     * Runs the example.
     *
     * @param args {@code [--out DIR] [--smoke]}
     * @throws IOException when the pictures cannot be written
     */
    public static void main(String[] args) throws IOException {
        ExampleArgs a = ExampleArgs.parse(args, "vae");
        run(a.out(), a.smoke(), System.out, ExampleArgs.progress());
    }

    /**
     * Trains both models, writes the pictures and prints a report.
     *
     * @param out       the folder for the pictures
     * @param smoke     tiny, fast run
     * @param report    where the report goes
     * @param listeners training progress listeners
     * @return what was measured
     * @throws IOException when the pictures cannot be written
     */
    public static Result run(Path out, boolean smoke, PrintStream report, TrainingListener... listeners)
            throws IOException {
        Files.createDirectories(out);
        BundledData.Mnist train = BundledData.mnist(true, smoke ? 1000 : 6000);
        BundledData.Mnist test = BundledData.mnist(false, smoke ? 200 : 1000);
        int epochs = smoke ? 2 : 40;
        int planarEpochs = smoke ? 2 : 30;
        int[] hidden = smoke ? new int[] {128} : new int[] {512, 256};
        InputType images = InputType.convolutionalFlat(28, 28, 1);
        List<Path> files = new ArrayList<>();

        // 1. a VAE with an 8-D latent space: samples from the prior, interpolations
        long t0 = System.nanoTime();
        Autoencoder model = Autoencoder.fit(VariationalAutoencoder.builder(images).hidden(hidden).latent(8).beta(2)
                .build(), train.x(), config(epochs), listeners);
        Vae vae = Vae.of(model);
        Path samples = out.resolve("samples.png");
        vae.writeSampleGrid(samples, 100, 7L);
        files.add(samples);
        Path strip = out.resolve("interpolation.png");
        VaePlots.writeImageGrid(strip, interpolations(vae, test, 10), 28, 28, 1, 10, 2);
        files.add(strip);
        double nelbo = vae.meanNegativeElbo(test.x(), 16, 1L);

        // 2. a VAE with a 2-D latent space: the latent space of the test digits and its decoded manifold
        Autoencoder planar = Autoencoder.fit(VariationalAutoencoder.builder(images).hidden(hidden).latent(2).build(),
                train.x(), config(planarEpochs), listeners);
        double secs = (System.nanoTime() - t0) / 1e9;
        Vae vae2 = Vae.of(planar);
        Path scatter = out.resolve("latent-scatter.png");
        vae2.writeLatentScatter(scatter, test.x(), test.digits());
        files.add(scatter);
        Path manifold = out.resolve("manifold.png");
        vae2.writeManifold(manifold, smoke ? 8 : 20);
        files.add(manifold);
        double nelbo2 = vae2.meanNegativeElbo(test.x(), 16, 1L);

        report.printf("Variational autoencoder on MNIST (%d training digits, %d held out)%n", train.x().size(0),
                test.x().size(0));
        report.printf("  %s: %d epochs, held-out -ELBO %.1f nats per image%n", model.info().spec().get("name"),
                epochs, nelbo);
        report.printf("  %s: %d epochs, held-out -ELBO %.1f nats per image%n", planar.info().spec().get("name"),
                planarEpochs, nelbo2);
        report.printf("  training time %.0f s%n", secs);
        for (Path f : files) {
            report.println("  wrote " + f);
        }
        return new Result(8, (int) train.x().size(0), epochs, nelbo, nelbo2, secs, List.copyOf(files));
    }

    private static TrainingConfig config(int epochs) {
        return TrainingConfig.defaults().withEpochs(epochs).withBatchSize(128).withUpdater(new Adam(2e-3))
                .withNormalization(Normalization.SCALE).withValidationFraction(0).withPatience(0);
    }

    /** Five interpolations between the first held-out images of digits (0, 1), (2, 3), ..., (8, 9). */
    private static INDArray interpolations(Vae vae, BundledData.Mnist test, int steps) {
        List<INDArray> rows = new ArrayList<>();
        for (int d = 0; d < 10; d += 2) {
            int a = first(test.digits(), d);
            int b = first(test.digits(), d + 1);
            if (a >= 0 && b >= 0) {
                rows.add(vae.interpolate(test.x().getRow(a), test.x().getRow(b), steps));
            }
        }
        return Nd4j.vstack(rows.toArray(new INDArray[0]));
    }

    private static int first(int[] digits, int d) {
        for (int i = 0; i < digits.length; i++) {
            if (digits[i] == d) {
                return i;
            }
        }
        return -1;
    }
}
