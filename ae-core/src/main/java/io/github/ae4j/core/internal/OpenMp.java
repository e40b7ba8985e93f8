package io.github.ae4j.core.internal;

import java.util.function.Supplier;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * The calling thread's OpenMP thread count, which oneDNN reads: {@code dnnl_sgemm} when it is called, a primitive
 * when it is created. Work that runs on two threads side by side, each over its own rows ({@link Halves}), runs
 * its products on one thread each: with two threads per product, each of a step's products pays an OpenMP wake-up
 * and a barrier (under {@code OMP_WAIT_POLICY=PASSIVE}, which ae4j runs with), and two such products at once would
 * ask for four threads on two cores. ND4J's CPU backend sets the count through its native ops (the same OpenMP
 * runtime as oneDNN's); this class is for the direct oneDNN paths only, which exist on that backend only.
 */
public final class OpenMp {

    private OpenMp() {
    }

    /** @return the calling thread's OpenMP thread count */
    public static int threads() {
        return ops().ompGetMaxThreads();
    }

    /** @return whether ND4J runs on the CPU backend here (where its native ops and oneDNN share this count) */
    public static boolean cpu() {
        return Sgemm.available();
    }

    /**
     * Whether a job of products can run as two single-threaded lanes side by side: oneDNN is the product library
     * (only its thread count is the calling thread's), the process has more than one processor, and its OpenMP
     * runs two threads (the machine this was measured on; with more, one product on every thread keeps them busy).
     *
     * @return whether to split
     */
    public static boolean twoLanes() {
        return Halves.PARALLEL && Sgemm.library() == Sgemm.Library.ONEDNN && threads() == 2;
    }

    /**
     * Runs work with the calling thread's OpenMP thread count at 1, and restores the count after it, also when
     * the work throws.
     *
     * @param work the work
     * @param <T>  its result type
     * @return its result
     */
    public static <T> T onOneThread(Supplier<T> work) {
        NativeOps ops = ops();
        int threads = ops.ompGetMaxThreads();
        ops.setOmpNumThreads(1);
        try {
            return work.get();
        } finally {
            ops.setOmpNumThreads(threads);
        }
    }

    private static NativeOps ops() {
        return NativeOpsHolder.getInstance().getDeviceNativeOps();
    }
}
