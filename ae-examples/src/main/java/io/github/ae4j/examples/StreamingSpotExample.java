package io.github.ae4j.examples;

import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.anomaly.DetectorConfig;
import io.github.ae4j.anomaly.threshold.Spot;
import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.ReconstructionLosses;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.dense.DenseAutoencoder;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Example 8: streaming detection with SPOT (Siffer et al., KDD 2017). A detector trained on digits
 * 1-9 scores a stream of held-out digits one by one; SPOT, started on the first scores, adapts its
 * extreme-value threshold as the stream goes and raises an alarm when a score crosses it. Bursts of
 * the anomalous digit 0 are mixed into the stream. Prints the alarms and plots the scores with the
 * moving threshold.
 *
 * <pre>java -cp ae-examples/target/ae-examples-0.1.0-SNAPSHOT.jar io.github.ae4j.examples.StreamingSpotExample [--out DIR] [--smoke]</pre>
 */
public final class StreamingSpotExample {

    private StreamingSpotExample() {
    }

    /**
     * Runs the example.
     *
     * @param args {@code [--out DIR] [--smoke]}
     * @throws IOException when the plot cannot be written
     */
    public static void main(String[] args) throws IOException {
        ExampleArgs a = ExampleArgs.parse(args, "streaming-spot");
        Files.createDirectories(a.out());
        BundledData.Digits d = BundledData.digits();
        int[] normal = IntStream.range(0, d.digits().length).filter(i -> d.digits()[i] != 0).toArray();
        int[] zeros = IntStream.range(0, d.digits().length).filter(i -> d.digits()[i] == 0).toArray();
        int nTrain = a.smoke() ? 300 : 900;
        INDArray train = Nd4j.pullRows(d.x(), 1, Arrays.copyOf(normal, nTrain));
        AnomalyDetector det = AnomalyDetector.fit(
                DenseAutoencoder.defaults(64).loss(ReconstructionLosses.binaryCrossEntropy()).build(), train,
                DetectorConfig.defaults().withTraining(TrainingConfig.defaults().withEpochs(a.smoke() ? 2 : 150)
                        .withPatience(10).withBatchSize(32).withUpdater(new Adam(3e-3))
                        .withNormalization(Normalization.SCALE)));

        // the stream: the remaining normal digits, with a burst of five zeros every 60 rows
        int[] rest = Arrays.copyOfRange(normal, nTrain, normal.length);
        int warmup = rest.length / 2;
        List<Integer> stream = new ArrayList<>();
        List<Integer> truth = new ArrayList<>();
        int z = 0;
        for (int i = warmup; i < rest.length; i++) {
            if ((i - warmup) % 60 == 30 && z + 5 <= zeros.length) {
                for (int k = 0; k < 5; k++) {
                    stream.add(zeros[z++]);
                    truth.add(1);
                }
            }
            stream.add(rest[i]);
            truth.add(0);
        }
        double[] initial = det.score(Nd4j.pullRows(d.x(), 1, Arrays.copyOf(rest, warmup)));
        Spot spot = Spot.fit(initial, new Spot.Config(a.smoke() ? 0.05 : 0.01, 0.9, 1000, 10));
        System.out.printf("SPOT started on %d scores: initial threshold %.4f, risk %s%n", initial.length,
                spot.threshold(), spot.config().risk());

        double[] scores = new double[stream.size()];
        double[] thresholds = new double[stream.size()];
        int alarms = 0;
        int caught = 0;
        for (int t = 0; t < stream.size(); t++) {
            double s = det.score(d.x().getRow(stream.get(t), true))[0];  // one row at a time, as it arrives
            thresholds[t] = spot.threshold();
            boolean alarm = spot.step(s);
            scores[t] = s;
            if (alarm) {
                alarms++;
                caught += truth.get(t);
                System.out.printf("  t=%4d  ALARM  score %.4f > threshold %.4f  (digit %d)%n", t, s, thresholds[t],
                        d.digits()[stream.get(t)]);
            }
        }
        long anomalies = truth.stream().filter(v -> v == 1).count();
        System.out.printf("%d rows streamed, %d alarms, %d of %d planted zeros caught; final threshold %.4f, %d peaks kept%n",
                stream.size(), alarms, caught, anomalies, spot.threshold(), spot.peakCount());
        double[] x = IntStream.range(0, scores.length).asDoubleStream().toArray();
        Map<String, double[]> lines = new LinkedHashMap<>();
        lines.put("anomaly score", scores);
        lines.put("SPOT threshold", thresholds);
        lines.put("planted anomaly", truth.stream().mapToDouble(v -> v * Arrays.stream(scores).max().orElse(1)).toArray());
        Plots.lines(a.out().resolve("spot.png"), "Streaming scores and the SPOT threshold", "stream position",
                "score", x, lines);
        System.out.println("plot written to " + a.out().resolve("spot.png").toAbsolutePath());
    }
}
