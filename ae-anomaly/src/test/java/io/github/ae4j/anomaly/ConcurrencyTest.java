package io.github.ae4j.anomaly;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.testing.Synthetic;
import io.github.ae4j.dense.DenseAutoencoder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every inference method of a dense detector (and of its model) called from 8 threads gives
 * exactly the single-threaded result; throughput against one thread is printed. The default run
 * makes 1,000 single-row requests per thread; the slow-tagged run the full 10,000 per thread.
 */
class ConcurrencyTest {

    static final int THREADS = 8;
    static final int ROWS = 200;
    static final int METHODS = 9;

    @Test
    void givenOneDetector_when1000RequestsPerThreadFrom8Threads_thenResultsEqualSingleThreaded() throws Exception {
        check(1_000);
    }

    @Test
    @org.junit.jupiter.api.Tag("slow")
    void givenOneDetector_when10000RequestsPerThreadFrom8Threads_thenResultsEqualSingleThreaded() throws Exception {
        check(10_000);
    }

    private static void check(int requests) throws Exception {
        double[][] raw = Synthetic.manifold(1200, 12, 2, 0.05, 4);
        INDArray x = Nd4j.createFromArray(raw).castTo(DataType.FLOAT);
        AnomalyDetector det = AnomalyDetector.fit(DenseAutoencoder.defaults(12).build(), x,
                DetectorConfig.legacy().withTraining(TrainingConfig.defaults().withEpochs(3)));
        Autoencoder m = det.model();
        INDArray[] rows = new INDArray[ROWS];
        INDArray[] codes = new INDArray[ROWS];
        double[][][] expected = new double[ROWS][METHODS][];
        for (int i = 0; i < ROWS; i++) {
            rows[i] = x.getRow(i, true).dup();
            codes[i] = m.encode(rows[i]);
            for (int k = 0; k < METHODS; k++) {
                expected[i][k] = call(det, k, rows[i], codes[i]);
            }
        }
        double single = run(det, rows, codes, expected, 1, requests);
        double multi = run(det, rows, codes, expected, THREADS, requests);
        System.out.printf("ConcurrencyTest: %,d single-row requests/s on 1 thread, %,d/s on %d threads (%.2fx)%n",
                Math.round(single), Math.round(multi), THREADS, multi / single);
    }

    /** Runs {@code threads} x {@code perThread} requests, checking each result; returns requests per second. */
    private static double run(AnomalyDetector det, INDArray[] rows, INDArray[] codes, double[][][] expected,
                              int threads, int perThread) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicLong checked = new AtomicLong();
        long t0 = System.nanoTime();
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                final int seed = t;
                fs.add(pool.submit(() -> {
                    for (int r = 0; r < perThread; r++) {
                        int i = (r * 31 + seed * 7) % ROWS;
                        int k = (r + seed) % METHODS;
                        assertArrayEquals(expected[i][k], call(det, k, rows[i], codes[i]), 0.0,
                                "method " + k + " row " + i);
                        checked.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals((long) threads * perThread, checked.get());
        return threads * (double) perThread / ((System.nanoTime() - t0) / 1e9);
    }

    private static double[] call(AnomalyDetector det, int method, INDArray row, INDArray code) {
        Autoencoder m = det.model();
        return switch (method) {
            case 0 -> det.score(row);
            case 1 -> java.util.Arrays.stream(det.predict(row)).asDoubleStream().toArray();
            case 2 -> det.pValues(row);
            case 3 -> det.explain(row, 3)[0].features().stream().mapToDouble(Explanation.Contribution::share).toArray();
            case 4 -> m.encode(row).castTo(DataType.DOUBLE).toDoubleVector();
            case 5 -> m.decode(code).castTo(DataType.DOUBLE).toDoubleVector();
            case 6 -> m.reconstruct(row).castTo(DataType.DOUBLE).toDoubleVector();
            case 7 -> m.featureErrors(row).castTo(DataType.DOUBLE).toDoubleVector();
            default -> det.contributions(row)[0];
        };
    }
}
