package io.github.ae4j.core.internal;

import org.bytedeco.javacpp.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bound on the native memory that ND4J arrays leave for the garbage collector. In DL4J/ND4J 1.0.0-M2.1 on the CPU
 * backend a native buffer (and each array's native shape information) is freed only when the garbage collector
 * collects its Java object ({@code INDArray.close()} gives nothing back), while the Java objects are small: a
 * process that mostly runs ND4J ops fills its native memory long before its heap asks for a collection. Measured
 * on the bench's conv autoencoder: ~65 KB of resident memory per single-row scoring call, the process growing from
 * ~0.7 to ~1.4 GB over 10,000 calls; DL4J's {@code ComputationGraph.score} leaves ~209 KB per scored row of a conv
 * VAE (a trainer was killed by the kernel at 9.6 GB before its guard). Where such work runs, this asks for a
 * collection when the resident memory grew by more than {@link #BOUND} since its owner's baseline (taken before
 * the work, and again after each collection): one collection (~0.1-0.3 s) per 256 MB of garbage. The baseline is
 * per owner, so what other work grew (a trainer's data and state, say) does not count.
 */
public final class NativeGarbage {

    private static final Logger LOG = LoggerFactory.getLogger(NativeGarbage.class);

    /** Growth of the resident memory that triggers a collection. */
    public static final long BOUND = 256L << 20;

    /** Calls between two looks at the resident memory in {@link #check()} (a look reads /proc: a few microseconds). */
    private static final int EVERY = 32;

    private static int collections;

    private long baseline = -1;
    private long calls;

    /** A guard with its own baseline: one per owner of such work (a trainer, a model's scoring paths). */
    public NativeGarbage() {
    }

    /** Takes the baseline now, unless it has one: the resident memory before the owner's garbage-making work. */
    public synchronized void baseline() {
        if (baseline < 0) {
            baseline = Pointer.physicalBytes();
        }
    }

    /** After work that may leave ND4J garbage (a scoring call through ND4J ops): looks every {@value #EVERY} calls. */
    public void check() {
        synchronized (this) {
            if (++calls % EVERY != 0) {
                return;
            }
        }
        checkNow();
    }

    /** After work that leaves much ND4J garbage at once (a scoring pass over many rows): looks now. */
    public void checkNow() {
        long rss = Pointer.physicalBytes();
        synchronized (this) {
            if (baseline < 0 || rss < baseline) {
                baseline = rss;
                return;
            }
            if (rss - baseline <= BOUND) {
                return;
            }
        }
        int n;
        synchronized (NativeGarbage.class) {
            n = ++collections;
        }
        LOG.debug("ND4J garbage: resident memory grew {} MB, collection {} asked for", (rss - baseline) >> 20, n);
        System.gc();
        synchronized (this) {
            baseline = Pointer.physicalBytes();
        }
    }

    /** @return how many collections this asked for so far (for tests and logs) */
    public static synchronized int collections() {
        return collections;
    }
}
