package io.github.ae4j.examples;

import io.github.ae4j.conv.ConvAutoencoder;
import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.TrainingListener;
import io.github.ae4j.variational.Vae;
import io.github.ae4j.variational.VaePlots;
import io.github.ae4j.variational.VariationalAutoencoder;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
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
 * interpolations, then a convolutional VAE with the same latent size, beta and epochs (ae-conv's encoder and decoder
 * through {@link VariationalAutoencoder#builder(io.github.ae4j.core.AutoencoderSpec)}, with the VAE's defaults) and
 * writes the same prior points decoded by both models side by side, then a VAE with a 2-D latent space and writes
 * the latent space of the test digits coloured by digit and the decoded manifold. Prints the held-out negative ELBO
 * and the parameter count of each.
 *
 * <pre>java -cp ae-examples/target/ae-examples-0.1.0-SNAPSHOT.jar io.github.ae4j.examples.VariationalExample [--out DIR] [--smoke]</pre>
 *
 * <p>Output files (default folder {@code out/vae}): {@code samples.png} (100 prior samples),
 * {@code samples-dense-vs-conv.png} (the same 100 prior points decoded by the dense and the convolutional VAE),
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
     * @param convNegativeElbo    the same for the convolutional VAE
     * @param denseParameters     parameters of the dense generative model
     * @param convParameters      parameters of the convolutional one
     * @param planarNegativeElbo  the same for the 2-D model
     * @param trainSeconds        training time of the three models
     * @param files               the pictures written
     */
    public record Result(int latent, int trainRows, int epochs, double heldOutNegativeElbo, double convNegativeElbo,
                         long denseParameters, long convParameters, double planarNegativeElbo, double trainSeconds,
                         List<Path> files) {
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
        int epochs = smoke ? 2 : 20; // as MnistConvVaeQualityTest, whose judge scores these two models' samples
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

        // 2. a convolutional VAE, same latent size, beta, epochs and data; the same prior points decoded by both
        int[] filters = smoke ? new int[] {4, 8} : new int[] {32, 64};
        Autoencoder conv = Autoencoder.fit(VariationalAutoencoder.builder(ConvAutoencoder.builder(28, 28, 1)
                .filters(filters).denseBottleneck(8).build()).beta(2).build(), train.x(), config(epochs), listeners);
        Vae convVae = Vae.of(conv);
        double convNelbo = convVae.meanNegativeElbo(test.x(), 16, 1L);
        long denseParams = model.graph().numParams();
        long convParams = conv.graph().numParams();
        Path side = out.resolve("samples-dense-vs-conv.png");
        writeSideBySide(side, vae, nelbo, convVae, convNelbo, 7L);
        files.add(side);

        // 3. a VAE with a 2-D latent space: the latent space of the test digits and its decoded manifold
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
        report.printf("  %s: %,d parameters, %d epochs, held-out -ELBO %.1f nats per image%n",
                model.info().spec().get("name"), denseParams, epochs, nelbo);
        report.printf("  %s: %,d parameters, %d epochs, held-out -ELBO %.1f nats per image%n",
                conv.info().spec().get("name"), convParams, epochs, convNelbo);
        report.printf("  %s: %d epochs, held-out -ELBO %.1f nats per image%n", planar.info().spec().get("name"),
                planarEpochs, nelbo2);
        report.printf("  training time %.0f s%n", secs);
        for (Path f : files) {
            report.println("  wrote " + f);
        }
        return new Result(8, (int) train.x().size(0), epochs, nelbo, convNelbo, denseParams, convParams, nelbo2,
                secs, List.copyOf(files));
    }

    /**
     * The same 100 prior points decoded by two 28x28 VAEs of the same latent size, side by side, each under its
     * parameter count and held-out negative ELBO.
     */
    static void writeSideBySide(Path file, Vae dense, double denseNelbo, Vae conv, double convNelbo, long seed)
            throws IOException {
        INDArray z = dense.samplePrior(100, seed);
        VaePlots.writePng(file, sideBySide(
                VaePlots.imageGrid(dense.decode(z), 28, 28, 1, 10, 2),
                String.format("dense VAE, %,d parameters, -ELBO %.1f", dense.model().graph().numParams(), denseNelbo),
                VaePlots.imageGrid(conv.decode(z), 28, 28, 1, 10, 2),
                String.format("conv VAE, %,d parameters, -ELBO %.1f", conv.model().graph().numParams(), convNelbo)));
    }

    /** Two pictures next to each other, each under its title, on white. */
    private static BufferedImage sideBySide(BufferedImage left, String leftTitle, BufferedImage right,
                                            String rightTitle) {
        int gap = 24;
        int titleHeight = 30;
        BufferedImage img = new BufferedImage(left.getWidth() + gap + right.getWidth() + 2 * gap,
                titleHeight + Math.max(left.getHeight(), right.getHeight()) + gap, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        FontMetrics fm = g.getFontMetrics();
        int x0 = gap;
        int x1 = gap + left.getWidth() + gap;
        g.drawString(leftTitle, x0 + Math.max(0, (left.getWidth() - fm.stringWidth(leftTitle)) / 2), titleHeight - 9);
        g.drawString(rightTitle, x1 + Math.max(0, (right.getWidth() - fm.stringWidth(rightTitle)) / 2),
                titleHeight - 9);
        g.drawImage(left, x0, titleHeight, null);
        g.drawImage(right, x1, titleHeight, null);
        g.dispose();
        return img;
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
