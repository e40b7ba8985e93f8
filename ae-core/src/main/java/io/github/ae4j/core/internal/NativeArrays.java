package io.github.ae4j.core.internal;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Float ND4J arrays as direct buffers and native pointers, for the paths that hand them to Java loops or to oneDNN
 * and OpenBLAS called directly ({@link Sgemm}, the dense chain, ae-conv's direct convolutions). The array must stay
 * referenced while a buffer or pointer is used: neither keeps ND4J's memory alive.
 */
public final class NativeArrays {

    private NativeArrays() {
    }

    /**
     * @param a a float array
     * @return its values from its first element, as a direct float buffer (absolute indexes from 0)
     */
    public static FloatBuffer buffer(INDArray a) {
        return buffer(a, 0);
    }

    /**
     * @param a    a float array
     * @param from an element offset
     * @return its values from its element {@code from}, as a direct float buffer (absolute indexes from 0)
     */
    public static FloatBuffer buffer(INDArray a, long from) {
        FloatBuffer b = a.data().asNioFloat();
        b.position(Math.toIntExact(a.offset() + from));
        return b.slice();
    }

    /**
     * @param a an array
     * @return {@code a} itself when it is float, row-major and contiguous, else a float row-major copy
     */
    public static INDArray contiguous(INDArray a) {
        return a.ordering() == 'c' && a.elementWiseStride() == 1 && a.dataType() == DataType.FLOAT ? a
                : a.castTo(DataType.FLOAT).dup('c');
    }

    /**
     * @param a a float array
     * @return a pointer to its first element, with position 0
     */
    public static FloatPointer pointer(INDArray a) {
        return new FloatPointer(buffer(a));
    }

    /**
     * A pointer to the float {@code offset} places past {@code p}'s current element, with position 0: an address, not
     * a position, because JavaCPP adds a position in bytes where a function takes {@code void*} (oneDNN's memory
     * handles) and in floats where it takes {@code float*} (sgemm).
     *
     * @param p      a pointer
     * @param offset floats past its current element
     * @return the pointer
     */
    public static FloatPointer at(FloatPointer p, long offset) {
        long target = p.address() + 4L * (p.position() + offset);   // not named 'address': the field would shadow it
        return new FloatPointer() {
            {
                address = target;
            }
        };
    }
}
