package demo;

import io.github.ae4j.core.*;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.nd4j.linalg.activations.Activation;

public class Main {
    public static void main(String[] args) throws Exception {
        double[][] x = new double[1000][20];                       // your data: rows of 20 features
        java.util.Random r = new java.util.Random(1);
        for (double[] row : x) { double a = r.nextGaussian(), b = r.nextGaussian();
            for (int j = 0; j < 20; j++) row[j] = Math.sin(a * j / 7.0) + b * (j % 3); }

        Encoder encoder = (g, in, type) -> {
            g.addLayer("enc", new DenseLayer.Builder().nOut(12).activation(Activation.TANH).build(), in);
            return "enc";
        };
        Decoder decoder = (g, latent, type) -> {
            g.addLayer("dec", new DenseLayer.Builder().nOut(12).activation(Activation.TANH).build(), latent);
            g.addLayer("out", new DenseLayer.Builder().nOut(20).activation(Activation.IDENTITY).build(), "dec");
            return "out";
        };
        AutoencoderSpec spec = AutoencoderSpec.of(20, encoder, Bottleneck.dense(2), decoder);
        Autoencoder model = Autoencoder.fit(spec, x, TrainingConfig.defaults().withEpochs(30));

        double[][] codes = model.encode(x);                         // 2-D latent codes
        double[] errors = model.reconstructionError(x);            // higher = more anomalous
        model.save(Path.of("model.ae4j"));
        System.out.printf("code of row 0: %s, error %.4f%n", java.util.Arrays.toString(codes[0]), errors[0]);
    }
}
