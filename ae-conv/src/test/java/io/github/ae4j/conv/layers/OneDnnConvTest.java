package io.github.ae4j.conv.layers;

import static io.github.ae4j.conv.layers.ConvAsserts.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.conv.ConvAutoencoder;
import io.github.ae4j.core.ReconstructionLosses;
import io.github.ae4j.core.internal.NativeOp;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.gradient.Gradient;
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
 * {@link OneDnnConv} against libnd4j's {@code conv2d} and {@code conv2d_bp} (the previous implementation) on the same
 * arrays,
 * over repeated calls with collections in between (its native memory), and inside whole graphs with the path on and
 * off.
 */
@Tag("onednn")   // oneDNN's bindings and natives of the CPU backend (excluded under -Pcuda)
class OneDnnConvTest {

    private static NativeConv2D layer(int h, int w, int cin, int cout, int k1, int k2, int stride, boolean same) {
        NativeConv2D c = NativeConv2D.builder().filters(cout).kernel(k1, k2).stride(stride, stride).samePadding(same)
                .activation(Activation.IDENTITY).build();
        c.setNIn(InputType.convolutional(h, w, cin, CNN2DFormat.NHWC), true);
        return c;
    }

    @ParameterizedTest(name = "{0}x{1}x{2} -> {3} channels, kernel {4}x{5}, stride {6}, same {7}, {8} images")
    @CsvSource({
        "14, 14, 16, 8, 3, 3, 1, true, 32",
        "14, 14, 8, 8, 3, 3, 1, true, 7",
        "28, 28, 8, 16, 3, 3, 1, true, 5",
        "9, 10, 3, 5, 2, 2, 1, false, 3",
        "11, 7, 4, 6, 3, 3, 2, true, 4",
        "8, 9, 2, 3, 2, 3, 1, true, 2",
    })
    void givenConvolutions_whenRunBothWays_thenEqualToConv2dAndConv2dBp(int h, int w, int cin, int cout, int k1,
            int k2, int stride, boolean same, int n) {
        NativeConv2D c = layer(h, w, cin, cout, k1, k2, stride, same);
        OneDnnConv p = OneDnnConv.of(c, DataType.FLOAT);
        assertNotNull(p);
        int oh = Shapes.convOut(h, k1, stride, same);
        int ow = Shapes.convOut(w, k2, stride, same);
        Nd4j.getRandom().setSeed(h * 17L + cout);
        INDArray x = Nd4j.rand(DataType.FLOAT, n, h, w, cin).subi(0.5);
        INDArray wt = Nd4j.rand(DataType.FLOAT, k1, k2, cin, cout).subi(0.5);
        INDArray b = Nd4j.rand(DataType.FLOAT, cout).subi(0.5);
        INDArray dz = Nd4j.rand(DataType.FLOAT, n, oh, ow, cout).subi(0.5);
        INDArray dxWant = Nd4j.create(DataType.FLOAT, x.shape());
        INDArray dwWant = Nd4j.create(DataType.FLOAT, wt.shape());
        INDArray dbWant = Nd4j.create(DataType.FLOAT, b.shape());
        long[] args = {k1, k2, stride, stride, 0, 0, 1, 1, same ? 1 : 0, 1, 0};
        NativeOp.of("conv2d_bp", args).exec(new INDArray[] {x, wt, b, dz}, dxWant, dwWant, dbWant);
        INDArray zWant = Nd4j.create(DataType.FLOAT, n, oh, ow, cout);
        NativeOp.of("conv2d", args).exec(new INDArray[] {x, wt, b}, zWant);
        for (int rows : new int[] {n, 1, n}) {   // a second batch size, then the first again (both kept)
            INDArray xr = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, rows)).dup();
            INDArray z = Nd4j.create(DataType.FLOAT, rows, oh, ow, cout).assign(Float.NaN);
            assertTrue(p.forward(xr, wt, b, z), "oneDNN accepted the forward primitive");
            assertClose(zWant.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, rows)), z, 1e-5,
                    "output of " + rows + " images");
        }
        for (int call = 0; call < 3; call++) {   // the primitives are built once and reused
            INDArray dx = Nd4j.create(DataType.FLOAT, x.shape()).assign(Float.NaN);
            INDArray dw = Nd4j.create(DataType.FLOAT, wt.shape()).assign(Float.NaN);
            INDArray db = Nd4j.create(DataType.FLOAT, b.shape()).assign(Float.NaN);
            assertTrue(p.backward(x, wt, dz, call == 2 ? null : dx, dw, db), "oneDNN accepted the primitives");
            if (call < 2) {
                assertClose(dxWant, dx, 1e-5, "input gradient, call " + call);
            }
            assertClose(dwWant, dw, 1e-4, "weight gradient, call " + call);
            assertClose(dbWant, db, 1e-4, "bias gradient, call " + call);
        }
    }

    /**
     * L = sum(z * r) is linear in the weights, the bias and the input, so central differences give the exact
     * derivative up to float rounding, whatever the step: every entry of a small strided problem, checked with a
     * step of 0.5 (the double-precision gradient checks of {@code NativeLayersTest} run on libnd4j's ops, since this
     * path is float-only).
     */
    @ParameterizedTest(name = "stride {0}, same {1}")
    @CsvSource({"1, true", "2, true", "1, false"})
    void givenALinearLoss_whenDifferentiatedNumerically_thenEqualsTheBackwardPass(int stride, boolean same) {
        NativeConv2D c = layer(6, 5, 3, 4, 3, 3, stride, same);
        OneDnnConv p = OneDnnConv.of(c, DataType.FLOAT);
        int oh = Shapes.convOut(6, 3, stride, same);
        int ow = Shapes.convOut(5, 3, stride, same);
        Nd4j.getRandom().setSeed(41);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 6, 5, 3).subi(0.5);
        INDArray wt = Nd4j.rand(DataType.FLOAT, 3, 3, 3, 4).subi(0.5);
        INDArray b = Nd4j.rand(DataType.FLOAT, 4).subi(0.5);
        INDArray r = Nd4j.rand(DataType.FLOAT, 2, oh, ow, 4).subi(0.5);
        INDArray dx = Nd4j.create(DataType.FLOAT, x.shape());
        INDArray dw = Nd4j.create(DataType.FLOAT, wt.shape());
        INDArray db = Nd4j.create(DataType.FLOAT, b.shape());
        assertTrue(p.backward(x, wt, r, dx, dw, db));
        ConvAsserts.assertCentralDifferences(new INDArray[][] {{x, dx}, {wt, dw}, {b, db}},
                () -> linearLoss(p, x, wt, b, r));
    }

    private static double linearLoss(OneDnnConv p, INDArray x, INDArray w, INDArray b, INDArray r) {
        INDArray z = Nd4j.create(DataType.FLOAT, r.shape());
        assertTrue(p.forward(x, w, b, z));
        return z.castTo(DataType.DOUBLE).muli(r.castTo(DataType.DOUBLE)).sumNumber().doubleValue();
    }

    /** The thread's scratch buffer: 64-byte aligned, kept while large enough, replaced by a larger one on demand. */
    @Test
    void givenGrowingRequests_whenTakingTheThreadsScratch_thenAlignedAndLargeEnough() {
        org.bytedeco.javacpp.FloatPointer a = OneDnnConv.Scratch.of(1000);
        assertEquals(0, a.address() % 64);
        assertEquals(a.address(), OneDnnConv.Scratch.of(10).address(), "a smaller request reuses the buffer");
        org.bytedeco.javacpp.FloatPointer b = OneDnnConv.Scratch.of(1_000_000);
        assertEquals(0, b.address() % 64);
        assertTrue(b.capacity() >= 1_000_000);
        b.put(999_999, 1f);   // inside the native allocation
        assertEquals(16, OneDnnConv.Scratch.aligned(1));
        assertEquals(16, OneDnnConv.Scratch.aligned(64));
        assertEquals(32, OneDnnConv.Scratch.aligned(65));
    }

    /**
     * The memory objects point at ND4J's buffers by address: many calls on fresh arrays, with collections and other
     * ND4J work in between and three alternating batch sizes (so the dropped size's native objects are closed each
     * time), neither crash nor change the gradients.
     */
    @Test
    void givenManyCallsWithCollectionsBetween_whenRunning_thenSameGradientsAndNoNativeFault() {
        NativeConv2D c = layer(14, 14, 8, 8, 3, 3, 1, true);
        OneDnnConv p = OneDnnConv.of(c, DataType.FLOAT);
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 16, 14, 14, 8);
        INDArray wt = Nd4j.rand(DataType.FLOAT, 3, 3, 8, 8);
        INDArray dz = Nd4j.rand(DataType.FLOAT, 16, 14, 14, 8);
        INDArray dw0 = Nd4j.create(DataType.FLOAT, wt.shape());
        p.backward(x, wt, dz, Nd4j.create(DataType.FLOAT, x.shape()), dw0, Nd4j.create(DataType.FLOAT, 8));
        for (int i = 0; i < 300; i++) {
            int n = i % 3 == 0 ? 5 : i % 3 == 1 ? 16 : 9;   // three sizes: the oldest one's objects are closed
            INDArray xi = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n)).dup();
            INDArray dzi = dz.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n)).dup();
            INDArray dw = Nd4j.create(DataType.FLOAT, wt.shape());
            p.backward(xi, wt.dup(), dzi, Nd4j.create(DataType.FLOAT, xi.shape()), dw, Nd4j.create(DataType.FLOAT, 8));
            p.forward(xi, wt.dup(), Nd4j.zeros(DataType.FLOAT, 8), Nd4j.create(DataType.FLOAT, xi.shape()));
            Nd4j.rand(DataType.FLOAT, 256, 256).mmul(Nd4j.rand(DataType.FLOAT, 256, 256));   // garbage to free
            if (i % 50 == 0) {
                System.gc();
            }
            if (n == 16) {
                assertClose(dw0, dw, 1e-6, "call " + i);
            }
        }
    }

    /**
     * Whole graphs: outputs, scores and every gradient with the direct paths on (convolutions, one-channel products,
     * pooling, upsampling in Java), and with all off (libnd4j's ops).
     */
    @Test
    void givenAutoencoders_whenTheDirectPathsAreSwitchedOff_thenSameGradients() {
        ComputationGraphConfiguration[] confs = {
            ConvAutoencoder.builder(28, 28, 1).loss(ReconstructionLosses.binaryCrossEntropy()).build()
                    .buildGraph(new Sgd(0.1), 1),
            ConvAutoencoder.builder(13, 11, 2).filters(6, 4).activation(Activation.TANH).batchNorm(true).build()
                    .buildGraph(new Sgd(0.1), 1),
            ConvAutoencoder.builder(9, 10, 1).filters(5, 3).stridedConvolution().activation(Activation.LEAKYRELU)
                    .denseBottleneck(4).build().buildGraph(new Sgd(0.1), 1),
        };
        int[] inputs = {784, 13 * 11 * 2, 90};
        boolean savedA = OneChannelConv.enabled;
        boolean savedB = OneDnnConv.enabled;
        boolean savedD = OneDnnPool.enabled;
        boolean savedE = NearestUpsample.enabled;
        try {
            for (int k = 0; k < confs.length; k++) {
                Nd4j.getRandom().setSeed(29 + k);
                INDArray x = Nd4j.rand(DataType.FLOAT, 24, inputs[k]);
                Gradient[] grads = new Gradient[2];
                INDArray[] outs = new INDArray[2];
                ComputationGraph first = null;
                for (int i = 0; i < 2; i++) {
                    OneChannelConv.enabled = i == 0;
                    OneDnnConv.enabled = i == 0;
                    OneDnnPool.enabled = i == 0;
                    NearestUpsample.enabled = i == 0;
                    ComputationGraph g = new ComputationGraph(confs[k].clone());
                    g.init();
                    if (first != null) {
                        g.setParams(first.params());
                    }
                    first = g;
                    outs[i] = g.outputSingle(false, x);
                    g.setInputs(x);
                    g.setLabels(x);
                    g.computeGradientAndScore();
                    grads[i] = g.gradient();
                }
                assertClose(outs[1], outs[0], 1e-5, k + ": output");
                // a bias before batch normalisation has a gradient that is zero up to rounding: its differences are
                // judged against a hundredth of the largest gradient
                double largest = 0;
                for (INDArray gr : grads[1].gradientForVariable().values()) {
                    largest = Math.max(largest, gr.amaxNumber().doubleValue());
                }
                for (String key : grads[1].gradientForVariable().keySet()) {
                    assertClose(grads[1].getGradientFor(key), grads[0].getGradientFor(key), 1e-4,
                            1e-2 * largest, k + ": " + key);
                }
            }
        } finally {
            OneChannelConv.enabled = savedA;
            OneDnnConv.enabled = savedB;
            OneDnnPool.enabled = savedD;
            NearestUpsample.enabled = savedE;
        }
    }
}
