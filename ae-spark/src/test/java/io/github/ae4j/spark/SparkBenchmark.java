package io.github.ae4j.spark;

import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.anomaly.threshold.Thresholds;
import io.github.ae4j.core.AnomalyScorer;
import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.EpochReport;
import io.github.ae4j.core.ModelSpec;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.TrainingListener;
import io.github.ae4j.core.testing.Models;
import io.github.ae4j.core.testing.Synthetic;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Throughput of distributed training and scoring in Spark local mode with 1 and 2 cores, next to
 * single-machine training and scoring in the same JVM: a dense 64-32-[8]-32-64 autoencoder on
 * synthetic rows of 64 features, batch 64, averaging every 10 mini-batches (by default). Prints a Markdown table.
 *
 * <p>Run (from the repository root, after {@code mvn -o -q -pl ae-spark test-compile}):
 * <pre>
 * mvn -o -q -pl ae-spark dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test.cp
 * OMP_WAIT_POLICY=PASSIVE java $(SPARK_OPENS) -Xmx3g \
 *     -cp ae-spark/target/test-classes:ae-spark/target/classes:$(cat ae-spark/target/test.cp) \
 *     io.github.ae4j.spark.SparkBenchmark [rows,rows,...] [epochs] [averaging frequency]
 * </pre>
 * where SPARK_OPENS is the {@code spark.jvm.options} list of ae-spark's pom.
 */
public final class SparkBenchmark {

    private SparkBenchmark() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args optional: comma-separated row counts (default 10000,40000), epochs (default 4), averaging
     *             frequency (default 10)
     */
    public static void main(String[] args) {
        int[] sizes = args.length > 0 ? java.util.Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {10_000, 40_000};
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int frequency = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        ModelSpec spec = Models.dense(64, 32, 8);
        TrainingConfig tc = TrainingConfig.defaults().withEpochs(epochs).withBatchSize(64).withPatience(0);
        List<String> table = new ArrayList<>();
        table.add("| where | rows | train rows/s (epochs 2..) | first epoch s | score rows/s |");
        table.add("|---|---:|---:|---:|---:|");
        int[] runs = new int[sizes.length + 1];
        runs[0] = 5_000;   // warm-up of every code path (JIT, Spark, ND4J), not reported
        System.arraycopy(sizes, 0, runs, 1, sizes.length);
        for (int run = 0; run < runs.length; run++) {
            int n = runs[run];
            boolean report = run > 0;
            double[][] x = Synthetic.manifold(n, 64, 4, 0.05, 7);
            INDArray xa = Nd4j.create(x);
            // one machine, same JVM
            Rate local = new Rate();
            Autoencoder m = Autoencoder.fit(spec, x, tc, local);
            AnomalyDetector det = AnomalyDetector.of(m, AnomalyScorer.reconstructionError(), xa, Thresholds.parse("percentile:99"));
            det.score(xa);
            long s0 = System.nanoTime();
            det.score(xa);
            double localScore = n / ((System.nanoTime() - s0) / 1e9);
            if (report) {
                table.add(row("one machine (core)", n, local, localScore));
            }
            for (int cores : new int[] {1, 2}) {
                SparkSession spark = SparkSession.builder().master("local[" + cores + "]").appName("bench")
                        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                        .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
                try {
                    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
                    JavaRDD<float[]> rdd = sc.parallelize(LocalSpark.floats(x), 2 * cores)
                            .persist(StorageLevel.MEMORY_ONLY());
                    rdd.count();
                    SparkTrainingConfig stc = SparkTrainingConfig.defaults().withAveragingFrequency(frequency);
                    Rate r = new Rate();
                    Autoencoder dm = new SparkAutoencoderTrainer(sc, tc, stc, r).fit(spec, rdd);
                    AnomalyDetector dd = AnomalyDetector.of(dm, AnomalyScorer.reconstructionError(), xa,
                            Thresholds.parse("percentile:99"));
                    double score;
                    try (SparkScorer scorer = SparkScorer.of(sc, dd)) {
                        scorer.score(rdd).count();   // loads the model in the executor JVM
                        long t0 = System.nanoTime();
                        scorer.score(rdd).count();
                        score = n / ((System.nanoTime() - t0) / 1e9);
                    }
                    if (report) {
                        table.add(row("Spark local[" + cores + "], " + cores + " worker" + (cores > 1 ? "s" : ""), n, r,
                                score));
                    }
                    rdd.unpersist();
                } finally {
                    spark.stop();
                }
            }
        }
        table.forEach(System.out::println);
    }

    private static String row(String where, int n, Rate r, double score) {
        return String.format(Locale.ROOT, "| %s | %,d | %,.0f | %.1f | %,.0f |", where, n, r.steady(), r.first, score);
    }

    /** Records the rows/s of epochs after the first, and the first epoch's seconds. */
    private static final class Rate implements TrainingListener {
        double first;
        double sum;
        int count;

        @Override
        public void onEpochEnd(EpochReport r) {
            if (r.epoch() == 1) {
                first = r.elapsedSeconds();
            } else {
                sum += r.rowsPerSecond();
                count++;
            }
        }

        double steady() {
            return count == 0 ? Double.NaN : sum / count;
        }
    }
}
