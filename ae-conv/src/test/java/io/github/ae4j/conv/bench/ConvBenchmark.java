package io.github.ae4j.conv.bench;

import io.github.ae4j.conv.ConvAutoencoder;
import io.github.ae4j.conv.layers.SameDiffConv2D;
import io.github.ae4j.conv.layers.SameDiffMaxPool2D;
import io.github.ae4j.core.AutoencoderSpec;
import io.github.ae4j.core.Bottleneck;
import io.github.ae4j.core.ModelSpec;
import io.github.ae4j.core.ReconstructionLosses;
import io.github.ae4j.core.data.Idx;
import io.github.ae4j.core.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Throughput of the reference conv autoencoder (28x28x1: conv 16 + pool, conv 8 + pool, mirrored
 * with upsampling + conv) in several implementations: training rows/s (batch 128 by default) and
 * scoring rows/s (batch 1024), on MNIST digits. Not a test. Run it from the repository root with
 *
 * <pre>
 * OMP_WAIT_POLICY=PASSIVE mvn -B -o -q -pl ae-conv test-compile exec:java \
 *     -Dexec.mainClass=io.github.ae4j.conv.bench.ConvBenchmark -Dexec.classpathScope=test \
 *     -Dexec.args="--rounds 5 ae4j sub-pool sd-pool dl4j"
 * </pre>
 *
 * <p>Variants: {@code ae4j} (the library's net: {@code NativeConv2D} layers, native conv2d with ReLU
 * and max pooling fused, NHWC, own backward pass), {@code sd-pool} (the previous SameDiff conv layers +
 * separate SameDiff max-pool layers), {@code sub-pool}
 * (SameDiff conv layers + DL4J {@code SubsamplingLayer}, NHWC), {@code dl4j} (stock DL4J
 * {@code ConvolutionLayer}/{@code SubsamplingLayer}/{@code Upsampling2D}, NCHW). Each variant is
 * measured in several interleaved rounds and the best round is reported, since other processes can
 * only slow a round down.
 *
 * <p>2026-12-06, shared machine (load average 21-24 on 2 cores), best of 5 interleaved rounds:
 * ae4j ({@code NativeConv2D}) 1,785 train / 9,848 score rows/s, sd-pool 876 / 7,641; training 1.8-3.6x
 * round by round.
 *
 * <p>Earlier, with SameDiff layers in the library net, on a 2-core AMD EPYC (AVX-512, oneDNN AVX2
 * natives, OMP_WAIT_POLICY=PASSIVE), best of 5 rounds: ae4j 2,138 train / 15,602 score rows/s; sub-pool 2,271 / 15,989; sd-pool 2,116 / 15,505
 * (the pooling variants are within the noise of each other); stock DL4J 122 / 326. PyTorch 1.13 on
 * such a machine: about 2,600 / 4,400.
 */
public final class ConvBenchmark {

    private ConvBenchmark() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args variants to run (default: all); {@code --seconds N} per measurement (4); {@code --train-batch N}
     *             (128); {@code --rounds N} (3)
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        double seconds = 4;
        int trainBatch = 128;
        int rounds = 3;
        java.util.List<String> variants = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--train-batch" -> trainBatch = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> variants.add(args[i]);
            }
        }
        if (variants.isEmpty()) {
            variants = java.util.List.of("ae4j", "sd-pool", "sub-pool", "dl4j");
        }
        Path dir = Files.createTempDirectory("convbench");
        INDArray x = Idx.readImages(TestData.copy("mnist-train-6000-images-idx3-ubyte.gz", dir), 4096).pixels().divi(255);
        System.out.printf(Locale.ROOT, "OMP_WAIT_POLICY=%s, cores=%d, train batch %d, score batch 1024, %d rounds of"
                        + " %.0f s per measurement, best round reported (other processes only slow a round down)%n",
                System.getenv("OMP_WAIT_POLICY"), Runtime.getRuntime().availableProcessors(), trainBatch, rounds,
                seconds);
        java.util.Map<String, ComputationGraph> graphs = new java.util.LinkedHashMap<>();
        for (String v : variants) {
            ComputationGraph g = new ComputationGraph(spec(v).buildGraph(new Adam(1e-3), 42));
            g.init();
            graphs.put(v, g);
        }
        java.util.Map<String, double[]> best = new java.util.LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            for (java.util.Map.Entry<String, ComputationGraph> e : graphs.entrySet()) {
                double train = trainRate(e.getValue(), x, trainBatch, seconds);
                double score = scoreRate(e.getValue(), x, 1024, seconds);
                double[] b = best.computeIfAbsent(e.getKey(), k -> new double[2]);
                b[0] = Math.max(b[0], train);
                b[1] = Math.max(b[1], score);
                System.out.printf(Locale.ROOT, "round %d %-9s train %,8.0f rows/s   score %,8.0f rows/s%n", r + 1,
                        e.getKey(), train, score);
            }
        }
        for (java.util.Map.Entry<String, double[]> e : best.entrySet()) {
            System.out.printf(Locale.ROOT, "BEST %-9s train %,8.0f rows/s   score %,8.0f rows/s   params %d%n", e.getKey(),
                    e.getValue()[0], e.getValue()[1], graphs.get(e.getKey()).numParams());
        }
    }

    static ModelSpec spec(String variant) {
        InputType in = InputType.convolutionalFlat(28, 28, 1);
        switch (variant) {
            case "ae4j":
                return ConvAutoencoder.builder(28, 28, 1).loss(ReconstructionLosses.binaryCrossEntropy()).build();
            case "sd-pool":
            case "sub-pool": {
                boolean sd = variant.equals("sd-pool");
                return new AutoencoderSpec(in, (g, input, t) -> {
                    g.addLayer("c1", SameDiffConv2D.builder().input(28, 28, 1).filters(16).activation(Activation.RELU)
                            .build(), input);
                    g.addLayer("p1", sd ? new SameDiffMaxPool2D(2, 2, false) : pool(CNN2DFormat.NHWC), "c1");
                    g.addLayer("c2", SameDiffConv2D.builder().filters(8).activation(Activation.RELU).build(), "p1");
                    g.addLayer("p2", sd ? new SameDiffMaxPool2D(2, 2, true) : pool(CNN2DFormat.NHWC), "c2");
                    return "p2";
                }, Bottleneck.encoderOutput(Activation.IDENTITY), (g, latent, t) -> {
                    g.addLayer("d2", SameDiffConv2D.builder().input(7, 7, 8).upsample(2, 2).filters(8)
                            .activation(Activation.RELU).build(), latent);
                    g.addLayer("d1", SameDiffConv2D.builder().upsample(2, 2).filters(16).activation(Activation.RELU)
                            .build(), "d2");
                    g.addLayer("out", SameDiffConv2D.builder().filters(1).flatten(true).build(), "d1");
                    return "out";
                }, ReconstructionLosses.binaryCrossEntropy(), false, variant);
            }
            case "dl4j":
                return new AutoencoderSpec(in, (g, input, t) -> {
                    g.addLayer("c1", conv(16, Activation.RELU), input);
                    g.addLayer("p1", pool(CNN2DFormat.NCHW), "c1");
                    g.addLayer("c2", conv(8, Activation.RELU), "p1");
                    g.addLayer("p2", pool(CNN2DFormat.NCHW), "c2");
                    return "p2";
                }, Bottleneck.encoderOutput(Activation.IDENTITY), (g, latent, t) -> {
                    g.addLayer("u2", new Upsampling2D.Builder(2).build(), latent);
                    g.addLayer("d2", conv(8, Activation.RELU), "u2");
                    g.addLayer("u1", new Upsampling2D.Builder(2).build(), "d2");
                    g.addLayer("d1", conv(16, Activation.RELU), "u1");
                    g.addLayer("out", conv(1, Activation.IDENTITY), "d1");
                    g.inputPreProcessor(ModelSpec.RECONSTRUCTION, new CnnToFeedForwardPreProcessor(28, 28, 1));
                    return "out";
                }, ReconstructionLosses.binaryCrossEntropy(),
                        false, variant);
            default:
                throw new IllegalArgumentException("unknown variant " + variant);
        }
    }

    /** DL4J's 2x2 SAME max pooling in the given layout (NHWC after SameDiff layers, NCHW in stock DL4J). */
    private static SubsamplingLayer pool(CNN2DFormat format) {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                .convolutionMode(ConvolutionMode.Same).dataFormat(format).build();
    }

    private static ConvolutionLayer conv(int filters, Activation a) {
        return new ConvolutionLayer.Builder(3, 3).nOut(filters).convolutionMode(ConvolutionMode.Same).activation(a)
                .build();
    }

    static double trainRate(ComputationGraph g, INDArray x, int batch, double seconds) {
        int n = (int) x.size(0);
        int from = 0;
        for (int i = 0; i < 3; i++) {   // warm-up
            INDArray b = x.get(NDArrayIndex.interval(0, batch), NDArrayIndex.all());
            g.fit(new INDArray[] {b}, new INDArray[] {b});
        }
        long rows = 0;
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < seconds * 1e9) {
            if (from + batch > n) {
                from = 0;
            }
            INDArray b = x.get(NDArrayIndex.interval(from, from + batch), NDArrayIndex.all()).dup();
            g.fit(new INDArray[] {b}, new INDArray[] {b});
            rows += batch;
            from += batch;
        }
        return rows / ((System.nanoTime() - t0) / 1e9);
    }

    static double scoreRate(ComputationGraph g, INDArray x, int batch, double seconds) {
        int n = (int) x.size(0);
        INDArray first = x.get(NDArrayIndex.interval(0, batch), NDArrayIndex.all()).dup();
        g.outputSingle(false, first);
        long rows = 0;
        int from = 0;
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < seconds * 1e9) {
            if (from + batch > n) {
                from = 0;
            }
            INDArray b = x.get(NDArrayIndex.interval(from, from + batch), NDArrayIndex.all()).dup();
            INDArray out = g.outputSingle(false, b);
            if (out.length() == 0) {
                throw new AssertionError();
            }
            rows += batch;
            from += batch;
        }
        Nd4j.getExecutioner().commit();
        return rows / ((System.nanoTime() - t0) / 1e9);
    }
}
