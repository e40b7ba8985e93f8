package io.github.ae4j.conv.layers;

import io.github.ae4j.core.internal.NativeOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Max pooling with kernel = stride = pool size and SAME padding for the native layers ({@link NativeConv2D}'s fused
 * pooling, {@link NativeMaxPool2D}): on oneDNN's primitives with their workspace kept from forward to backward
 * ({@link OneDnnPool}) where they apply, else libnd4j's {@code maxpool2d} / {@code maxpool2d_bp}. One instance per
 * runtime layer, used by one thread at a time.
 */
final class MaxPooling {

    private final NativeOp pool;
    private final NativeOp poolBp;
    private final OneDnnPool direct;

    /**
     * @param h  input height
     * @param w  input width
     * @param c  channels
     * @param ph pool height (and stride)
     * @param pw pool width (and stride)
     * @param dt the network's data type
     */
    MaxPooling(int h, int w, int c, int ph, int pw, DataType dt) {
        long[] args = NativeSupport.poolArgs(ph, pw);
        pool = NativeOp.of("maxpool2d", args);
        poolBp = NativeOp.of("maxpool2d_bp", args);
        direct = OneDnnPool.of(h, w, c, ph, pw, dt);
    }

    /**
     * @param x        [n, h, w, c]
     * @param out      [n, ceil(h / ph), ceil(w / pw), c], written
     * @param training whether {@link #backward} will follow
     */
    void forward(INDArray x, INDArray out, boolean training) {
        if (direct == null || x.dataType() != DataType.FLOAT || !direct.forward(x, out, training)) {
            pool.exec(new INDArray[] {x}, out);
        }
    }

    /**
     * @param x  the forward pass's input (libnd4j's op pools it again)
     * @param dz the gradient at the output
     * @param dx the gradient at the input, written
     */
    void backward(INDArray x, INDArray dz, INDArray dx) {
        if (direct == null || dz.dataType() != DataType.FLOAT || !direct.backward(dz, dx)) {
            poolBp.exec(new INDArray[] {x, dz}, dx);
        }
    }
}
