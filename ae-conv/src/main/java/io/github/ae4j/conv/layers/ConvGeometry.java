package io.github.ae4j.conv.layers;

/**
 * The sizes of a {@link NativeConv2D} convolution as its convolution sees them (after upsampling and crop/pad), with
 * libnd4j's SAME padding: half the total at the top/left, rounded down, the rest at the bottom/right. The one place
 * the direct paths ({@link OneChannelConv}, {@link OneDnnConv}) take their geometry from, so that they pad exactly as
 * {@code conv2d} does.
 *
 * @param kh        kernel height
 * @param kw        kernel width
 * @param sh        stride along the height
 * @param sw        stride along the width
 * @param cin       input channels
 * @param cout      output channels (filters)
 * @param ih        input height
 * @param iw        input width
 * @param oh        output height
 * @param ow        output width
 * @param padTop    zero rows above
 * @param padLeft   zero columns on the left
 * @param padBottom zero rows below
 * @param padRight  zero columns on the right
 */
record ConvGeometry(int kh, int kw, int sh, int sw, int cin, int cout, int ih, int iw, int oh, int ow, int padTop,
                    int padLeft, int padBottom, int padRight) {

    /**
     * @param c a layer configuration with its input size set
     * @return its convolution's geometry
     */
    static ConvGeometry of(NativeConv2D c) {
        int kh = c.getKernelHeight();
        int kw = c.getKernelWidth();
        int sh = c.getStrideHeight();
        int sw = c.getStrideWidth();
        int[] in = c.convInputSize();
        boolean same = c.isSamePadding();
        int oh = Shapes.convOut(in[0], kh, sh, same);
        int ow = Shapes.convOut(in[1], kw, sw, same);
        int th = same ? Math.max(0, (oh - 1) * sh + kh - in[0]) : 0;
        int tw = same ? Math.max(0, (ow - 1) * sw + kw - in[1]) : 0;
        return new ConvGeometry(kh, kw, sh, sw, c.getInputChannels(), c.getFilters(), in[0], in[1], oh, ow, th / 2,
                tw / 2, th - th / 2, tw - tw / 2);
    }
}
