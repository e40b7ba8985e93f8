package io.github.ae4j.examples;

import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.anomaly.DetectorConfig;
import io.github.ae4j.anomaly.metrics.Metrics;
import io.github.ae4j.core.AutoencoderSpec;
import io.github.ae4j.core.Bottleneck;
import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.layers.ExactSameDiffLambdaLayer;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Example 7: a custom architecture in about 20 lines, trained and scored through the same detector
 * API as the built-in ones. The encoder has a residual block (DL4J's {@link ElementWiseVertex}) and
 * a custom SameDiff layer (the Swish activation {@code x * sigmoid(x)}, which DL4J's dense layers do
 * not offer as such); the decoder mirrors it. Data: the UCI digits with 0 as the anomaly.
 *
 * <pre>java -cp ae-examples/target/ae-examples-0.1.0-SNAPSHOT.jar io.github.ae4j.examples.CustomArchitectureExample [--out DIR] [--smoke]</pre>
 */
public final class CustomArchitectureExample {

    private CustomArchitectureExample() {
    }

    /** A custom SameDiff layer: Swish, {@code x * sigmoid(x)}. Needs a public no-arg constructor (JSON). */
    public static class Swish extends ExactSameDiffLambdaLayer {
        @Override
        public SDVariable defineLayer(SameDiff sd, SDVariable x) {
            return x.mul(sd.nn().sigmoid(x));
        }
    }

    /**
     * The architecture: 64 -> 48 -> residual(48) -> [8] -> 48 -> 64.
     *
     * @return the spec
     */
    public static AutoencoderSpec spec() {
        return AutoencoderSpec.of(64,
                (g, in, type) -> {
                    g.addLayer("e1", new DenseLayer.Builder().nOut(48).activation(Activation.IDENTITY).build(), in);
                    g.addLayer("e1_swish", new Swish(), "e1");
                    g.addLayer("e2", new DenseLayer.Builder().nOut(48).activation(Activation.TANH).build(), "e1_swish");
                    g.addVertex("e_res", new ElementWiseVertex(ElementWiseVertex.Op.Add), "e1_swish", "e2");
                    return "e_res";
                },
                Bottleneck.dense(8),
                (g, z, type) -> {
                    g.addLayer("d1", new DenseLayer.Builder().nOut(48).activation(Activation.IDENTITY).build(), z);
                    g.addLayer("d1_swish", new Swish(), "d1");
                    g.addLayer("d_out", new DenseLayer.Builder().nOut(64).activation(Activation.IDENTITY).build(), "d1_swish");
                    return "d_out";
                }).withName("custom residual+swish 64-48-[8]-48-64");
    }

    /**
     * Runs the example.
     *
     * @param args {@code [--out DIR] [--smoke]}
     * @throws IOException when the detector cannot be saved
     */
    public static void main(String[] args) throws IOException {
        ExampleArgs a = ExampleArgs.parse(args, "custom-architecture");
        Files.createDirectories(a.out());
        BundledData.Digits d = BundledData.digits();
        int n = a.smoke() ? 500 : d.digits().length;
        int[] normal = IntStream.range(0, n).filter(i -> d.digits()[i] != 0).toArray();
        int nTrain = normal.length * 2 / 3;
        INDArray train = Nd4j.pullRows(d.x(), 1, Arrays.copyOf(normal, nTrain));
        int[] testIdx = IntStream.range(0, n).filter(i -> d.digits()[i] == 0 || Arrays.binarySearch(normal, i) >= nTrain)
                .toArray();
        int[] y = Arrays.stream(testIdx).map(i -> d.digits()[i] == 0 ? 1 : 0).toArray();

        AnomalyDetector det = AnomalyDetector.fit(spec(), train, DetectorConfig.defaults().withTraining(
                TrainingConfig.defaults().withEpochs(a.smoke() ? 2 : 150).withPatience(10).withBatchSize(32)
                        .withUpdater(new Adam(3e-3)).withNormalization(Normalization.SCALE)));
        det.save(a.out().resolve("custom.ae4j"));
        // the Swish layer is this program's own class, not a plugin's: say so before loading a model that uses it
        io.github.ae4j.core.plugin.Architectures.trust(CustomArchitectureExample.class.getName() + "$");
        AnomalyDetector loaded = AnomalyDetector.load(a.out().resolve("custom.ae4j"));
        double[] scores = loaded.score(Nd4j.pullRows(d.x(), 1, testIdx));
        System.out.printf("%s: AUROC %.3f on %d held-out digits (0 = anomaly), threshold %.4f (%s); saved and reloaded%n",
                det.model().info().spec().get("name"), Metrics.auroc(scores, y), y.length,
                loaded.threshold().value(), loaded.threshold().spec());
    }
}
