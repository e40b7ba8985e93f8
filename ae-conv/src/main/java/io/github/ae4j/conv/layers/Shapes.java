package io.github.ae4j.conv.layers;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;

/** Shape arithmetic and graph pieces shared by the SameDiff layers. */
final class Shapes {

    private Shapes() {
    }

    static int positive(int v, String what) {
        if (v < 1) {
            throw new IllegalArgumentException(what + " must be >= 1, got " + v);
        }
        return v;
    }

    /** Output size of a convolution: SAME gives ceil(in / stride), VALID floor((in - k) / stride) + 1. */
    static int convOut(int in, int kernel, int stride, boolean same) {
        if (same) {
            return (in + stride - 1) / stride;
        }
        return in < kernel ? 0 : (in - kernel) / stride + 1;
    }

    /**
     * The output {height, width, channels} of a fused convolution layer (upsampling, crop/pad,
     * convolution, pooling) for an input of {@code h x w}; a clear error when a VALID kernel does not fit.
     */
    static int[] convLayerOutput(int h, int w, int upH, int upW, int resizeH, int resizeW, int kH, int kW, int sH,
                                 int sW, boolean same, int poolH, int poolW, int filters) {
        int hh = resizeH > 0 ? resizeH : h * upH;
        int ww = resizeW > 0 ? resizeW : w * upW;
        int oh = convOut(hh, kH, sH, same);
        int ow = convOut(ww, kW, sW, same);
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException("a " + kH + "x" + kW + " VALID convolution does not fit a " + hh + "x"
                    + ww + " input");
        }
        return new int[] {poolOut(oh, poolH), poolOut(ow, poolW), filters};
    }

    /** Output size of SAME max pooling with kernel = stride = pool: ceil(in / pool). */
    static int poolOut(int in, int pool) {
        return pool <= 1 ? in : (in + pool - 1) / pool;
    }

    /**
     * Max pooling of NHWC activations with kernel = stride = pool and SAME padding, whose output size
     * is {@link #poolOut(int, int)}.
     */
    static SDVariable maxPool(SameDiff sd, SDVariable x, int poolHeight, int poolWidth) {
        return sd.cnn().maxPooling2d(x, Pooling2DConfig.builder()
                .kH(poolHeight).kW(poolWidth).sH(poolHeight).sW(poolWidth)
                .paddingMode(PaddingMode.SAME).isNHWC(true).build());
    }

    /**
     * The layer input as NHWC {@code [n, h, w, c]}: as it is when it already has that shape, reshaped
     * otherwise (flattened HWC rows, or a one-channel NCHW map, whose memory order is the same).
     */
    static SDVariable toNhwc(SameDiff sd, SDVariable input, int h, int w, int c) {
        long[] s = input.getShape();
        if (s != null && s.length == 4 && s[1] == h && s[2] == w && s[3] == c) {
            return input;
        }
        return sd.reshape(input, -1, h, w, c);
    }

    /**
     * The (height, width, channels) an input type stands for, reading flattened rows as HWC.
     */
    static int[] imageShape(InputType t, int h, int w, int c, String layer) {
        String name = layer == null ? "layer" : "layer '" + layer + "'";
        if (t instanceof InputType.InputTypeConvolutional ct) {
            if (ct.getFormat() == CNN2DFormat.NCHW && ct.getChannels() > 1) {
                throw new IllegalArgumentException(name + " expects NHWC activations, got " + t
                        + ": put only NHWC layers (or ae4j's SameDiff layers) before it");
            }
            return new int[] {(int) ct.getHeight(), (int) ct.getWidth(), (int) ct.getChannels()};
        }
        if (t instanceof InputType.InputTypeConvolutionalFlat f) {
            return new int[] {(int) f.getHeight(), (int) f.getWidth(), (int) f.getDepth()};
        }
        if (t instanceof InputType.InputTypeFeedForward ff) {
            if (h > 0 && w > 0 && c > 0 && (long) h * w * c == ff.getSize()) {
                return new int[] {h, w, c};
            }
            throw new IllegalArgumentException(name + " got flat rows of " + ff.getSize() + " values but its input shape "
                    + h + "x" + w + "x" + c + " does not match: set the input shape");
        }
        throw new IllegalArgumentException(name + " expects image activations (convolutional NHWC, convolutionalFlat or"
                + " feed-forward rows), got " + t);
    }
}
