package io.github.ae4j.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.apache.spark.SparkException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Helpers for rows held as {@code float[]} in RDDs: splits, batching, error unwrapping. */
final class Rows {

    private Rows() {
    }

    /**
     * A seeded, deterministic split decision for the row at position {@code index} of partition
     * {@code partition}: true for about {@code fraction} of the rows. Stable as long as the RDD's
     * partitioning and row order are (true for files read the same way).
     */
    static boolean heldOut(long seed, long salt, int partition, long index, double fraction) {
        if (fraction <= 0) {
            return false;
        }
        long h = seed * 0x9E3779B97F4A7C15L + salt;
        h ^= (partition + 1L) * 0xC2B2AE3D27D4EB4FL;
        h += index * 0xBF58476D1CE4E5B9L;
        h ^= h >>> 31;
        h *= 0x94D049BB133111EBL;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return (h >>> 11) * 0x1.0p-53 < fraction;
    }

    /**
     * The rows of a partition that are (or are not) held out by {@link #heldOut}, in order.
     *
     * @param partition the partition's index
     * @param it        its rows
     * @param seed      the split's seed
     * @param salt      which split (validation, calibration)
     * @param fraction  the held-out fraction
     * @param held      true for the held-out rows, false for the others
     * @return the rows
     */
    static java.util.Iterator<float[]> split(int partition, java.util.Iterator<float[]> it, long seed, long salt,
                                             double fraction, boolean held) {
        List<float[]> out = new java.util.ArrayList<>();
        long i = 0;
        while (it.hasNext()) {
            float[] r = it.next();
            if (heldOut(seed, salt, partition, i++, fraction) == held) {
                out.add(r);
            }
        }
        return out.iterator();
    }

    /** Stacks rows into a [rows, width] float matrix. */
    static INDArray matrix(List<float[]> rows, int width) {
        float[] flat = new float[Math.multiplyExact(rows.size(), width)];
        for (int i = 0; i < rows.size(); i++) {
            float[] r = rows.get(i);
            if (r.length != width) {
                throw new IllegalArgumentException("expected rows of " + width + " features, got " + r.length);
            }
            System.arraycopy(r, 0, flat, i * width, width);
        }
        return Nd4j.create(flat, new long[] {rows.size(), width}, 'c').castTo(DataType.FLOAT);
    }

    /** Groups an iterator into lists of at most {@code size} elements. */
    static <T> Iterator<List<T>> chunks(Iterator<T> it, int size) {
        Objects.requireNonNull(it, "it");
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public List<T> next() {
                if (!it.hasNext()) {
                    throw new NoSuchElementException();
                }
                List<T> l = new ArrayList<>(Math.min(size, 4096));
                while (l.size() < size && it.hasNext()) {
                    l.add(it.next());
                }
                return l;
            }
        };
    }

    /**
     * A failure of a Spark job whose root cause is an {@link IllegalArgumentException} thrown by our
     * own code on an executor (bad input), as that exception, so that callers see the same exception
     * type as on one machine. Anything else is returned unchanged, or (a checked exception that Scala
     * code threw undeclared, such as {@link SparkException}) rethrown as it is.
     */
    static RuntimeException unwrap(Throwable e) {
        Throwable t = e;
        while (t != null) {
            if (t instanceof IllegalArgumentException iae) {
                return t == e ? iae : new IllegalArgumentException(iae.getMessage(), e);
            }
            if (t instanceof SparkException && t.getCause() == null && t.getMessage() != null
                    && t.getMessage().contains("java.lang.IllegalArgumentException: ")) {
                String m = t.getMessage();
                int at = m.indexOf("java.lang.IllegalArgumentException: ") + "java.lang.IllegalArgumentException: ".length();
                int end = m.indexOf('\n', at);
                return new IllegalArgumentException(end < 0 ? m.substring(at) : m.substring(at, end), e);
            }
            t = t.getCause();
        }
        if (e instanceof RuntimeException r) {
            return r;
        }
        throw Rows.<RuntimeException>sneaky(e);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }
}
