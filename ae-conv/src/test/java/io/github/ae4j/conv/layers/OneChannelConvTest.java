package io.github.ae4j.conv.layers;

import static io.github.ae4j.conv.layers.ConvAsserts.assertClose;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.conv.ConvAutoencoder;
import io.github.ae4j.core.ReconstructionLosses;
import io.github.ae4j.core.internal.NativeOp;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * {@link OneChannelConv} against libnd4j's {@code conv2d} / {@code conv2d_bp} (the previous implementation of these
 * layers) on the same arrays, numerically (the convolution is linear in its weights and input, so central differences
 * are exact up to float rounding), and inside whole graphs with the path switched on and off.
 */
@Tag("onednn")   // the products need the CPU backend's natives (excluded under -Pcuda)
class OneChannelConvTest {

    private static NativeConv2D layer(int h, int w, int cin, int cout, int kh, int kw, boolean same) {
        NativeConv2D c = NativeConv2D.builder().filters(cout).kernel(kh, kw).samePadding(same)
                .activation(Activation.IDENTITY).build();
        c.setNIn(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(h, w, cin,
                org.deeplearning4j.nn.conf.CNN2DFormat.NHWC), true);
        return c;
    }

    private static long[] convArgs(NativeConv2D c) {
        return new long[] {c.getKernelHeight(), c.getKernelWidth(), 1, 1, 0, 0, 1, 1, c.isSamePadding() ? 1 : 0, 1, 0};
    }

    /** n images; 28x28 with 60 images spans two chunks of OneChannelConv.CHUNK_PIXELS. */
    @ParameterizedTest(name = "{0}x{1}x{2} -> {3} channels, kernel {4}x{5}, same {6}, {7} images")
    @CsvSource({
        "28, 28, 1, 16, 3, 3, true, 60",
        "28, 28, 16, 1, 3, 3, true, 60",
        "7, 5, 1, 4, 3, 3, false, 3",
        "9, 6, 3, 1, 5, 3, true, 2",
        "6, 7, 1, 1, 2, 2, true, 2",
        "8, 8, 5, 1, 2, 3, false, 4",
    })
    void givenOneChannelConvolutions_whenRunBothWays_thenEqualToLibnd4jsOps(int h, int w, int cin, int cout, int kh,
            int kw, boolean same, int n) {
        NativeConv2D c = layer(h, w, cin, cout, kh, kw, same);
        OneChannelConv p = OneChannelConv.of(c, DataType.FLOAT);
        assertNotNull(p);
        Nd4j.getRandom().setSeed(h * 31L + cin);
        int oh = Shapes.convOut(h, kh, 1, same);
        int ow = Shapes.convOut(w, kw, 1, same);
        INDArray x = Nd4j.rand(DataType.FLOAT, n, h, w, cin).subi(0.5);
        INDArray wt = Nd4j.rand(DataType.FLOAT, kh, kw, cin, cout).subi(0.5);
        INDArray b = Nd4j.rand(DataType.FLOAT, cout).subi(0.5);
        INDArray dz = Nd4j.rand(DataType.FLOAT, n, oh, ow, cout).subi(0.5);

        INDArray zWant = Nd4j.create(DataType.FLOAT, n, oh, ow, cout);
        NativeOp.of("conv2d", convArgs(c)).exec(new INDArray[] {x, wt, b}, zWant);
        INDArray z = Nd4j.create(DataType.FLOAT, n, oh, ow, cout);
        p.forward(x, wt, b, z);
        assertClose(zWant, z, 1e-5, "output");

        INDArray dxWant = Nd4j.create(DataType.FLOAT, x.shape());
        INDArray dwWant = Nd4j.create(DataType.FLOAT, wt.shape());
        INDArray dbWant = Nd4j.create(DataType.FLOAT, b.shape());
        NativeOp.of("conv2d_bp", convArgs(c)).exec(new INDArray[] {x, wt, b, dz}, dxWant, dwWant, dbWant);
        INDArray dx = Nd4j.create(DataType.FLOAT, x.shape()).assign(Float.NaN);
        INDArray dw = Nd4j.create(DataType.FLOAT, wt.shape()).assign(Float.NaN);
        INDArray db = Nd4j.create(DataType.FLOAT, b.shape()).assign(Float.NaN);
        p.backward(x, wt, dz, dx, dw, db);
        assertClose(dxWant, dx, 1e-5, "input gradient");
        assertClose(dwWant, dw, 1e-4, "weight gradient");
        assertClose(dbWant, db, 1e-4, "bias gradient");
        // without the input gradient (a first layer): the same parameter gradients
        dw.assign(Float.NaN);
        db.assign(Float.NaN);
        p.backward(x, wt, dz, null, dw, db);
        assertClose(dwWant, dw, 1e-4, "weight gradient without the input gradient");
        assertClose(dbWant, db, 1e-4, "bias gradient without the input gradient");
    }

    /**
     * L = sum(z * r) is linear in the weights, the bias and the input, so (L(v + e) - L(v - e)) / 2e is the exact
     * derivative up to float rounding, whatever e: every entry of a small problem, checked with e = 0.5.
     */
    @ParameterizedTest(name = "{0} -> {1} channels")
    @CsvSource({"1, 3", "3, 1"})
    void givenALinearLoss_whenDifferentiatedNumerically_thenEqualsTheBackwardPass(int cin, int cout) {
        int h = 5;
        int w = 4;
        NativeConv2D c = layer(h, w, cin, cout, 3, 3, true);
        OneChannelConv p = OneChannelConv.of(c, DataType.FLOAT);
        Nd4j.getRandom().setSeed(17);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, h, w, cin).subi(0.5);
        INDArray wt = Nd4j.rand(DataType.FLOAT, 3, 3, cin, cout).subi(0.5);
        INDArray b = Nd4j.rand(DataType.FLOAT, cout).subi(0.5);
        INDArray r = Nd4j.rand(DataType.FLOAT, 2, h, w, cout).subi(0.5);
        INDArray dx = Nd4j.create(DataType.FLOAT, x.shape());
        INDArray dw = Nd4j.create(DataType.FLOAT, wt.shape());
        INDArray db = Nd4j.create(DataType.FLOAT, b.shape());
        p.backward(x, wt, r, dx, dw, db);
        ConvAsserts.assertCentralDifferences(new INDArray[][] {{x, dx}, {wt, dw}, {b, db}},
                () -> loss(p, x, wt, b, r));
    }

    private static double loss(OneChannelConv p, INDArray x, INDArray w, INDArray b, INDArray r) {
        INDArray z = Nd4j.create(DataType.FLOAT, r.shape());
        p.forward(x, w, b, z);
        return z.castTo(DataType.DOUBLE).muli(r.castTo(DataType.DOUBLE)).sumNumber().doubleValue();
    }

    /** The plane shifts against their definition, for equal and different plane sizes, both modes, all shifts. */
    @Test
    void givenShiftsOfEveryDirection_whenApplied_thenEqualTheDefinition() {
        java.util.Random r = new java.util.Random(5);
        int[][] sizes = {{5, 4, 5, 4}, {7, 9, 7, 9}, {6, 6, 4, 5}, {3, 8, 3, 8}};
        for (int[] z : sizes) {
            int sh = z[0];
            int sw = z[1];
            int dh = z[2];
            int dw = z[3];
            for (int dy = -3; dy <= 3; dy++) {
                for (int dx = -3; dx <= 3; dx++) {
                    for (boolean add : new boolean[] {false, true}) {
                        float[] src = new float[2 * sh * sw + 3];
                        float[] dst = new float[2 * dh * dw + 2];
                        for (int i = 0; i < src.length; i++) {
                            src[i] = r.nextFloat();
                        }
                        for (int i = 0; i < dst.length; i++) {
                            dst[i] = r.nextFloat();
                        }
                        float[] want = dst.clone();
                        for (int img = 0; img < 2; img++) {
                            for (int y = 0; y < dh; y++) {
                                for (int x = 0; x < dw; x++) {
                                    int sy = y + dy;
                                    int sx = x + dx;
                                    float v = sy >= 0 && sy < sh && sx >= 0 && sx < sw ? src[3 + (img * sh + sy) * sw + sx]
                                            : 0f;
                                    int d = 2 + (img * dh + y) * dw + x;
                                    want[d] = add ? want[d] + v : v;
                                }
                            }
                        }
                        OneChannelConv.shift(src, 3, sh, sw, dst, 2, dh, dw, 2, dy, dx, add);
                        org.junit.jupiter.api.Assertions.assertArrayEquals(want, dst,
                                java.util.Arrays.toString(z) + " dy " + dy + " dx " + dx + " add " + add);
                    }
                }
            }
        }
    }

    /**
     * The first layer's inputGradient=false survives the model's JSON, and a JSON written before the property existed
     * (no such key) reads as true: the input gradient is computed, as it always was.
     */
    @Test
    void givenGraphJsonWithAndWithoutInputGradient_whenRead_thenFalseOnlyWhereWritten() {
        ComputationGraphConfiguration conf = ConvAutoencoder.builder(28, 28, 1).build().buildGraph(new Sgd(0.1), 1);
        String json = conf.toJson();
        assertTrue(json.matches("(?s).*\"inputGradient\"\\s*:\\s*false.*"), "written for the first layer");
        NativeConv2D read = firstLayer(ComputationGraphConfiguration.fromJson(json));
        assertTrue(!read.isInputGradient());
        String old = json.replaceAll("\"inputGradient\"\\s*:\\s*(true|false)\\s*,?", "");
        assertTrue(!old.contains("inputGradient"), "the key removed");
        assertTrue(firstLayer(ComputationGraphConfiguration.fromJson(old)).isInputGradient(), "absent reads as true");
    }

    private static NativeConv2D firstLayer(ComputationGraphConfiguration conf) {
        return (NativeConv2D) ((org.deeplearning4j.nn.conf.graph.LayerVertex) conf.getVertices().get("enc1"))
                .getLayerConf().getLayer();
    }

    @Test
    void givenLayersOutsideItsReach_whenAsked_thenNoPath() {
        assertNull(OneChannelConv.of(layer(8, 8, 2, 3, 3, 3, true), DataType.FLOAT), "two channels on both sides");
        assertNull(OneChannelConv.of(layer(8, 8, 1, 3, 3, 3, true), DataType.DOUBLE), "double precision");
        NativeConv2D strided = NativeConv2D.builder().filters(3).kernel(3, 3).stride(2, 2).build();
        strided.setNIn(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(8, 8, 1,
                org.deeplearning4j.nn.conf.CNN2DFormat.NHWC), true);
        assertNull(OneChannelConv.of(strided, DataType.FLOAT), "a stride");
    }

    /** The reference conv autoencoder (1-channel first and last layers): outputs and gradients with the path on/off. */
    @Test
    void givenTheReferenceAutoencoder_whenThePathIsSwitchedOff_thenSameOutputsAndGradients() {
        ComputationGraphConfiguration conf = ConvAutoencoder.builder(28, 28, 1)
                .loss(ReconstructionLosses.binaryCrossEntropy()).build().buildGraph(new Sgd(0.1), 1);
        Nd4j.getRandom().setSeed(23);
        INDArray x = Nd4j.rand(DataType.FLOAT, 70, 784);
        INDArray[] out = new INDArray[2];
        org.deeplearning4j.nn.gradient.Gradient[] grads = new org.deeplearning4j.nn.gradient.Gradient[2];
        ComputationGraph[] graphs = new ComputationGraph[2];
        boolean saved = OneChannelConv.enabled;
        try {
            for (int i = 0; i < 2; i++) {
                OneChannelConv.enabled = i == 0;
                ComputationGraph g = new ComputationGraph(conf.clone());
                g.init();
                if (i == 1) {
                    g.setParams(graphs[0].params());
                }
                out[i] = g.outputSingle(false, x);
                g.setInputs(x);
                g.setLabels(x);
                g.computeGradientAndScore();
                grads[i] = g.gradient();
                graphs[i] = g;
            }
        } finally {
            OneChannelConv.enabled = saved;
        }
        NativeConv2D first = (NativeConv2D) ((org.deeplearning4j.nn.conf.graph.LayerVertex) conf.getVertices()
                .get("enc1")).getLayerConf().getLayer();
        assertTrue(!first.isInputGradient(), "the first layer skips its input gradient");
        assertClose(out[1], out[0], 1e-5, "output");
        for (String key : grads[1].gradientForVariable().keySet()) {
            assertClose(grads[1].getGradientFor(key), grads[0].getGradientFor(key), 1e-4, key);
        }
    }
}
