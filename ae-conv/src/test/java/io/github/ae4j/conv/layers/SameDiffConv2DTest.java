package io.github.ae4j.conv.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class SameDiffConv2DTest {

    /** One layer reading flat HWC rows, flattening its output, in a graph of its own. */
    private static ComputationGraph graph(SameDiffConv2D layer, int h, int w, int c) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Sgd(0.1))
                .dataType(DataType.FLOAT).graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutionalFlat(h, w, c))
                .addLayer("conv", layer, "in")
                .addLayer("out", new LossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                        .build(), "conv")
                .setOutputs("out").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    /** Reference: direct NHWC convolution of one HWC row (SAME: TF-style padding, more at the end). */
    private static double[] naive(double[] x, int h, int w, int c, double[][][][] k, double[] b, int sh, int sw,
                                  boolean same, int up, int rh, int rw) {
        // upsample + crop/pad
        int uh = rh > 0 ? rh : h * up;
        int uw = rw > 0 ? rw : w * up;
        double[] u = new double[uh * uw * c];
        for (int y = 0; y < uh; y++) {
            for (int xx = 0; xx < uw; xx++) {
                for (int ch = 0; ch < c; ch++) {
                    int sy = y / up;
                    int sx = xx / up;
                    u[(y * uw + xx) * c + ch] = sy < h && sx < w ? x[(sy * w + sx) * c + ch] : 0;
                }
            }
        }
        int kh = k.length;
        int kw = k[0].length;
        int f = k[0][0][0].length;
        int oh;
        int ow;
        int padTop;
        int padLeft;
        if (same) {
            oh = (uh + sh - 1) / sh;
            ow = (uw + sw - 1) / sw;
            padTop = Math.max(0, (oh - 1) * sh + kh - uh) / 2;
            padLeft = Math.max(0, (ow - 1) * sw + kw - uw) / 2;
        } else {
            oh = (uh - kh) / sh + 1;
            ow = (uw - kw) / sw + 1;
            padTop = 0;
            padLeft = 0;
        }
        double[] out = new double[oh * ow * f];
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                for (int o = 0; o < f; o++) {
                    double s = b[o];
                    for (int i = 0; i < kh; i++) {
                        for (int j = 0; j < kw; j++) {
                            int iy = oy * sh + i - padTop;
                            int ix = ox * sw + j - padLeft;
                            if (iy < 0 || ix < 0 || iy >= uh || ix >= uw) {
                                continue;
                            }
                            for (int ch = 0; ch < c; ch++) {
                                s += u[(iy * uw + ix) * c + ch] * k[i][j][ch][o];
                            }
                        }
                    }
                    out[(oy * ow + ox) * f + o] = s;
                }
            }
        }
        return out;
    }

    private static void check(int h, int w, int c, int f, int kh, int kw, int sh, int sw, boolean same, int up, int rh,
                              int rw) {
        SameDiffConv2D.Builder lb = SameDiffConv2D.builder().filters(f).kernel(kh, kw).stride(sh, sw).samePadding(same)
                .flatten(true);
        if (up > 1) {
            lb.upsample(up, up);
        }
        if (rh > 0) {
            lb.resize(rh, rw);
        }
        ComputationGraph g = graph(lb.build(), h, w, c);
        Random r = new Random(h * 31L + w);
        double[][][][] k = new double[kh][kw][c][f];
        double[] b = new double[f];
        float[] kf = new float[kh * kw * c * f];
        int p = 0;
        for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
                for (int ch = 0; ch < c; ch++) {
                    for (int o = 0; o < f; o++) {
                        k[i][j][ch][o] = r.nextGaussian();
                        kf[p++] = (float) k[i][j][ch][o];
                    }
                }
            }
        }
        for (int o = 0; o < f; o++) {
            b[o] = r.nextGaussian();
        }
        g.getLayer("conv").paramTable().get(SameDiffConv2D.WEIGHT_KEY)
                .assign(Nd4j.create(kf, new long[] {kh, kw, c, f}, 'c'));
        g.getLayer("conv").paramTable().get(SameDiffConv2D.BIAS_KEY).assign(Nd4j.createFromArray(b).castTo(DataType.FLOAT));
        double[][] x = new double[2][h * w * c];
        for (double[] row : x) {
            for (int i = 0; i < row.length; i++) {
                row[i] = r.nextGaussian();
            }
        }
        INDArray out = g.outputSingle(false, Nd4j.createFromArray(x).castTo(DataType.FLOAT));
        for (int n = 0; n < 2; n++) {
            double[] want = naive(x[n], h, w, c, k, b, sh, sw, same, up, rh, rw);
            double[] got = out.getRow(n).castTo(DataType.DOUBLE).toDoubleVector();
            assertEquals(want.length, got.length, "output size");
            assertArrayEquals(want, got, 1e-3, "row " + n + " for " + h + "x" + w + "x" + c);
        }
    }

    @Test
    void givenColourRowsInHwcOrder_whenConvolvingSame_thenMatchesDirectNhwcConvolution() {
        check(5, 4, 3, 2, 3, 3, 1, 1, true, 1, 0, 0);
    }

    @Test
    void givenStrideAndValidPadding_whenConvolving_thenMatchesDirectConvolution() {
        check(7, 6, 2, 3, 3, 2, 2, 2, false, 1, 0, 0);
        check(7, 5, 1, 2, 3, 3, 2, 2, true, 1, 0, 0);
    }

    @Test
    void givenUpsamplingWithCropAndPad_whenConvolving_thenMatchesUpsampleCropConvolve() {
        check(4, 3, 2, 2, 3, 3, 1, 1, true, 2, 7, 5);    // 8x6 cropped to 7x5
        check(3, 3, 1, 1, 3, 3, 1, 1, true, 2, 7, 7);    // 6x6 zero-padded to 7x7
    }

    @Test
    void givenLayersInAGraph_whenSerialisedToJson_thenConfigurationRoundTrips() {
        SameDiffConv2D conv = SameDiffConv2D.builder().filters(4).kernel(3, 1).stride(1, 2).samePadding(false)
                .activation(Activation.LEAKYRELU).upsample(2, 1).resize(9, 9).pool(2, 2).flatten(true).build();
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutionalFlat(5, 9, 2))
                .addLayer("conv", conv, "in")
                .addLayer("out", new LossLayer.Builder(LossFunctions.LossFunction.MSE).build(), "conv")
                .setOutputs("out").build();
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back);
        SameDiffConv2D c2 = (SameDiffConv2D) ((org.deeplearning4j.nn.conf.graph.LayerVertex) back.getVertices()
                .get("conv")).getLayerConf().getLayer();
        assertEquals(5, c2.getInputHeight());
        assertEquals(2, c2.getInputChannels());
        assertEquals(Activation.LEAKYRELU, c2.getActivation());
        assertTrue(c2.isFlattenOutput());
    }

    @Test
    void givenNchwColourActivations_whenConnecting_thenRejectedWithClearMessage() {
        SameDiffConv2D conv = SameDiffConv2D.builder().filters(2).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> conv.getOutputType(0, InputType.convolutional(4, 4, 3)));
        assertTrue(e.getMessage().contains("NHWC"), e.getMessage());
    }

    @Test
    void givenUnsupportedActivationOrMissingFilters_whenBuilding_thenRejected() {
        assertThrows(IllegalArgumentException.class, () -> SameDiffConv2D.builder().activation(Activation.SOFTMAX));
        assertThrows(IllegalArgumentException.class, () -> SameDiffConv2D.builder().build());
        assertThrows(IllegalArgumentException.class, () -> SameDiffConv2D.builder().kernel(0, 3));
    }
}
