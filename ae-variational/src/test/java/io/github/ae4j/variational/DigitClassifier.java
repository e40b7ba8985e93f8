package io.github.ae4j.variational;

import java.util.Arrays;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A small MLP digit classifier for 28x28 images in [0, 1], trained in tests on real digits (with
 * one-pixel shifts as augmentation) to judge generated images.
 */
final class DigitClassifier {

    private final MultiLayerNetwork net;

    private DigitClassifier(MultiLayerNetwork net) {
        this.net = net;
    }

    /**
     * Trains the classifier.
     *
     * @param x      images in [0, 1], [n, 784]
     * @param labels digits
     * @param epochs passes over the augmented data
     * @param seed   the seed
     * @return the classifier
     */
    static DigitClassifier train(INDArray x, int[] labels, int epochs, long seed) {
        return train(x, labels, epochs, 1e-3, 256, true, seed);
    }

    static DigitClassifier train(INDArray x, int[] labels, int epochs, double lr, int hidden, boolean shifts, long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed).updater(new Adam(lr)).weightInit(WeightInit.RELU).dataType(DataType.FLOAT)
                .list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(hidden).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(hidden).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray aug = shifts ? augment(x) : x;
        int copies = (int) (aug.size(0) / x.size(0));
        INDArray y = Nd4j.zeros(DataType.FLOAT, aug.size(0), 10);
        for (int c = 0; c < copies; c++) {
            for (int i = 0; i < labels.length; i++) {
                y.putScalar((long) c * labels.length + i, labels[i], 1f);
            }
        }
        Random rnd = new Random(seed);
        int n = (int) aug.size(0);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int e = 0; e < epochs; e++) {
            for (int i = n - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int from = 0; from < n; from += 128) {
                int[] idx = Arrays.copyOfRange(order, from, Math.min(n, from + 128));
                net.fit(Nd4j.pullRows(aug, 1, idx), Nd4j.pullRows(y, 1, idx));
            }
        }
        return new DigitClassifier(net);
    }

    /** The images and their copies shifted by one pixel in each of the four directions. */
    private static INDArray augment(INDArray x) {
        INDArray img = x.reshape(x.size(0), 28, 28);
        INDArray[] parts = new INDArray[5];
        parts[0] = x;
        int[][] shifts = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
        for (int s = 0; s < 4; s++) {
            INDArray out = Nd4j.zeros(DataType.FLOAT, x.size(0), 28, 28);
            int dy = shifts[s][0];
            int dx = shifts[s][1];
            out.get(NDArrayIndex.all(), NDArrayIndex.interval(Math.max(0, dy), 28 + Math.min(0, dy)),
                    NDArrayIndex.interval(Math.max(0, dx), 28 + Math.min(0, dx)))
                    .assign(img.get(NDArrayIndex.all(), NDArrayIndex.interval(Math.max(0, -dy), 28 + Math.min(0, -dy)),
                            NDArrayIndex.interval(Math.max(0, -dx), 28 + Math.min(0, -dx))));
            parts[s + 1] = out.reshape(x.size(0), 784);
        }
        return Nd4j.vstack(parts);
    }

    /**
     * Class probabilities.
     *
     * @param x images in [0, 1]
     * @return [n, 10] probabilities
     */
    INDArray probabilities(INDArray x) {
        return net.output(x.castTo(DataType.FLOAT), false);
    }

    /**
     * Accuracy on labelled images.
     *
     * @param x      images in [0, 1]
     * @param labels digits
     * @return the fraction classified correctly
     */
    double accuracy(INDArray x, int[] labels) {
        INDArray pred = probabilities(x).argMax(1);
        int ok = 0;
        for (int i = 0; i < labels.length; i++) {
            if (pred.getInt(i) == labels[i]) {
                ok++;
            }
        }
        return ok / (double) labels.length;
    }

    /** What a classifier says about a set of images. */
    record Verdict(double confidentFraction, int classesCovered, int[] counts) {
    }

    /**
     * Classifies images: the fraction labelled with probability at least {@code minProbability},
     * and how many classes those confident labels cover.
     *
     * @param x              images in [0, 1]
     * @param minProbability the confidence bar
     * @return the verdict
     */
    Verdict judge(INDArray x, double minProbability) {
        INDArray p = probabilities(x);
        INDArray max = p.max(1);
        INDArray arg = p.argMax(1);
        int[] counts = new int[10];
        int confident = 0;
        for (int i = 0; i < p.size(0); i++) {
            if (max.getDouble(i) >= minProbability) {
                confident++;
                counts[arg.getInt(i)]++;
            }
        }
        int covered = (int) Arrays.stream(counts).filter(c -> c > 0).count();
        return new Verdict(confident / (double) p.size(0), covered, counts);
    }
}
