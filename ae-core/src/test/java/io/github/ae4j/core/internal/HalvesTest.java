package io.github.ae4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** {@link Halves}: both halves run exactly once, their results combine, failures reach the caller. */
class HalvesTest {

    @Test
    void givenTwoHalves_whenRun_thenEachRunsOnceAndTheResultsCombine() {
        for (int trial = 0; trial < 200; trial++) {
            int[] runs = new int[2];
            assertTrue(Halves.both(() -> ++runs[0] > 0, () -> ++runs[1] > 0));
            assertArrayEquals(new int[] {1, 1}, runs);
            assertFalse(Halves.both(() -> true, () -> false));
            assertFalse(Halves.both(() -> false, () -> true));
        }
    }

    @Test
    void givenABusyPool_whenRun_thenTheCallerTakesTheSecondHalf() throws InterruptedException {
        int workers = ForkJoinPool.commonPool().getParallelism();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(workers);
        for (int i = 0; i < workers; i++) {
            ForkJoinPool.commonPool().execute(() -> {
                busy.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        try {
            busy.await();
            Thread caller = Thread.currentThread();
            Thread[] ranOn = new Thread[1];
            assertTrue(Halves.both(() -> true, () -> {
                ranOn[0] = Thread.currentThread();
                return true;
            }));
            assertTrue(!Halves.PARALLEL || ranOn[0] == caller, "the pool was busy: the caller ran the second half");
        } finally {
            release.countDown();
        }
    }

    @Test
    void givenAFailingHalf_whenRun_thenItsExceptionReachesTheCaller() {
        assertThrows(IllegalStateException.class, () -> Halves.both(() -> true, () -> {
            throw new IllegalStateException("second");
        }));
        assertThrows(IllegalStateException.class, () -> Halves.both(() -> {
            throw new IllegalStateException("first");
        }, () -> true));
    }
}
