package io.github.ae4j.variational;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Replicas of one inference graph, cloned lazily up to one per processor, so that threads using
 * one {@link Vae} at the same time do not queue on one graph (DL4J's {@code output} is
 * synchronized). The weights are never modified: every replica gives the same results.
 */
final class Replicas {

    private static final int MAX = Math.max(1, Integer.getInteger("ae4j.inference.replicas",
            Runtime.getRuntime().availableProcessors()));

    private final ComputationGraph prototype;
    private final ConcurrentLinkedQueue<ComputationGraph> idle = new ConcurrentLinkedQueue<>();
    private final Semaphore permits = new Semaphore(MAX);

    Replicas(ComputationGraph prototype) {
        this.prototype = prototype;
        idle.add(prototype);
    }

    <T> T with(Function<ComputationGraph, T> f) {
        permits.acquireUninterruptibly();
        ComputationGraph g = idle.poll();
        try {
            if (g == null) {
                synchronized (prototype) {
                    g = prototype.clone();
                }
            }
            return f.apply(g);
        } finally {
            if (g != null) {
                idle.add(g);
            }
            permits.release();
        }
    }
}
