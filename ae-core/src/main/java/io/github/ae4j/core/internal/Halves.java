package io.github.ae4j.core.internal;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * A job in two halves, the first on the caller's thread and the second on a common-pool thread, for the Java
 * passes that run between native calls: those calls use every core, and while a Java pass runs the other cores
 * idle. Whichever side finishes first claims the second half if nobody has started it, so a busy pool never makes
 * the caller wait. On one processor both halves run on the caller, one after the other.
 */
public final class Halves {

    /** Whether a second thread may help: more than one processor. */
    public static final boolean PARALLEL = Runtime.getRuntime().availableProcessors() > 1;

    private Halves() {
    }

    /**
     * Runs both halves and waits for them. Each half must only write what the other does not read or write; the
     * second may run on either thread (after the first, when on the caller's).
     *
     * @param first  the caller's half
     * @param second the other half
     * @return whether both halves returned true (both run either way, unless the first throws: then the second
     *         does not start, or has finished, when the exception reaches the caller)
     */
    public static boolean both(BooleanSupplier first, BooleanSupplier second) {
        if (!PARALLEL) {
            boolean ok = first.getAsBoolean();
            return second.getAsBoolean() && ok;
        }
        AtomicBoolean claimed = new AtomicBoolean();
        boolean[] secondOk = {true};
        ForkJoinTask<?> other = ForkJoinPool.commonPool().submit(() -> {
            if (claimed.compareAndSet(false, true)) {
                secondOk[0] = second.getAsBoolean();
            }
        });
        boolean ok;
        try {
            ok = first.getAsBoolean();
        } catch (RuntimeException | Error e) {
            // the second half must not start (or still run) after the caller has left
            if (!claimed.compareAndSet(false, true)) {
                try {
                    other.join();
                } catch (RuntimeException | Error f) {
                    e.addSuppressed(f);
                }
            }
            throw e;
        }
        if (claimed.compareAndSet(false, true)) {
            other.cancel(false);
            secondOk[0] = second.getAsBoolean();
        } else {
            other.join();
        }
        return ok && secondOk[0];
    }
}
