package io.github.ae4j.core.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Replicas of one inference graph, so that threads calling a model at the same time do not queue
 * on one graph (DL4J's {@code ComputationGraph.output} is synchronized, and its
 * {@code output(List, ...)} and {@code feedForward} are not thread-safe at all). Replicas are
 * cloned lazily, up to a maximum (default: the number of processors; system property
 * {@code ae4j.inference.replicas}); a thread borrows one for the duration of a call. The weights
 * are never modified, so all replicas give identical results.
 */
public final class GraphPool {

    /** Default maximum number of replicas. */
    public static final int DEFAULT_MAX = Math.max(1, Integer.getInteger("ae4j.inference.replicas",
            Runtime.getRuntime().availableProcessors()));

    private final ComputationGraph prototype;
    private final ConcurrentLinkedQueue<ComputationGraph> idle = new ConcurrentLinkedQueue<>();
    private final Semaphore permits;

    /**
     * A pool around one graph.
     *
     * @param prototype the graph (used as the first replica; never modified by the pool)
     * @param max       the most replicas, at least 1
     */
    public GraphPool(ComputationGraph prototype, int max) {
        this.prototype = prototype;
        this.permits = new Semaphore(Math.max(1, max));
        idle.add(prototype);
    }

    /**
     * Runs {@code f} with a graph no other thread is using.
     *
     * @param f   the work
     * @param <T> its result
     * @return the result
     */
    public <T> T with(Function<ComputationGraph, T> f) {
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
