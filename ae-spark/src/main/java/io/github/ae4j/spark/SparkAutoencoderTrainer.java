package io.github.ae4j.spark;

import io.github.ae4j.core.Ae4j;
import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.AutoencoderTrainer;
import io.github.ae4j.core.DataFingerprint;
import io.github.ae4j.core.FeatureStatistics;
import io.github.ae4j.core.ModelInfo;
import io.github.ae4j.core.ModelSpec;
import io.github.ae4j.core.Normalizer;
import io.github.ae4j.core.Provenance;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.TrainingDivergedException;
import io.github.ae4j.core.TrainingEngine;
import io.github.ae4j.core.TrainingListener;
import io.github.ae4j.core.TrainingStep;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Trains any ae4j {@link ModelSpec} on rows held in a Spark RDD, with DL4J's
 * {@link SparkComputationGraph} and {@link ParameterAveragingTrainingMaster}, and returns an
 * ordinary {@link Autoencoder} (same file format, same scoring as one trained on one machine).
 *
 * <p>What happens, and where:
 * <ol>
 *   <li>a seeded hash of each row's position (partition, index) holds out
 *       {@link TrainingConfig#validationFraction()} of the rows for validation (executors);</li>
 *   <li>the normaliser is fitted on the training rows in one distributed pass: per-partition
 *       count/mean/M2/min/max merged by {@code treeAggregate} ({@link FeatureStatistics});</li>
 *   <li>the normalised training rows are cached (memory and disk, serialised);</li>
 *   <li>each epoch, every partition shuffles its rows (seeded by epoch and partition), cuts them
 *       into mini-batches of {@link TrainingConfig#batchSize()} rows and applies the input
 *       corruption (executors); a seeded global permutation of the mini-batches assigns each to an
 *       averaging round and a worker slot, and one shuffle per epoch groups them by slot;</li>
 *   <li>each round, DL4J fits {@link SparkTrainingConfig#averagingFrequency()} mini-batches on each
 *       of {@link SparkTrainingConfig#workers()} workers (executors) and averages parameters and
 *       optimiser state (a reduce to the driver). ae4j cuts the rounds itself, because DL4J M2's own
 *       splitting silently skips mini-batches, and restores the optimiser's iteration count on the
 *       workers, which DL4J M2 resets every round ({@link IterationCountHook});</li>
 *   <li>the validation loss is computed on the executors; the epoch loop (early stopping,
 *       best-weights restore, the divergence guard, checkpoints, history, listeners) is ae-core's
 *       {@link TrainingEngine}, on the driver, the same loop as {@link AutoencoderTrainer}'s: this
 *       class supplies only the step ({@link TrainingStep}) and the distributed data preparation.</li>
 * </ol>
 *
 * <p>Not supported: trimmed loss ({@link TrainingConfig#trimFraction()} &gt; 0; DL4J's workers
 * fit fixed mini-batches) and corruptions other than the built-ins unless they are
 * {@link java.io.Serializable}. The training loss reported per epoch is the mean over rounds of
 * DL4J's averaged worker scores (each worker's last mini-batch of the round), not a full pass.
 *
 * <p>A trainer is used for one training run at a time.
 */
public final class SparkAutoencoderTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(SparkAutoencoderTrainer.class);
    /** Salt of the validation split hash. */
    static final long VALIDATION_SALT = 0x7A11DA7EL;
    /** Rows per DataSet when scoring validation rows. */
    static final int SCORE_BATCH = 1024;

    private final JavaSparkContext sc;
    private final TrainingConfig config;
    private final SparkTrainingConfig spark;
    private final List<TrainingListener> userListeners;

    /**
     * Creates a trainer.
     *
     * @param sc        the Spark context
     * @param config    how to train (as on one machine; trimmed loss is not supported)
     * @param spark     how training is distributed
     * @param listeners progress listeners, called on the driver
     * @throws IllegalArgumentException when {@code config} asks for trimmed loss, or for a corruption
     *                                  that cannot be sent to executors
     */
    public SparkAutoencoderTrainer(JavaSparkContext sc, TrainingConfig config, SparkTrainingConfig spark,
                                   TrainingListener... listeners) {
        this.sc = Objects.requireNonNull(sc, "sc");
        this.config = Objects.requireNonNull(config, "config");
        this.spark = Objects.requireNonNull(spark, "spark");
        this.userListeners = List.of(Objects.requireNonNull(listeners, "listeners"));
        if (config.trimFraction() > 0) {
            throw new IllegalArgumentException("trimmed loss (trimFraction " + config.trimFraction() + ") is not"
                    + " supported in distributed training: expected trimFraction 0 (train on one machine for trimmed loss)");
        }
        CorruptionSpec.of(config.corruption());
    }

    /**
     * Trains a new model.
     *
     * @param spec the architecture
     * @param rows raw training rows of {@code spec.inputSize()} values (normal data only, for
     *             anomaly detection); the RDD should be deterministic (e.g. read from files), as it
     *             is traversed several times
     * @return the trained model (best validation weights when early stopping is on)
     * @throws IllegalArgumentException on rows of the wrong width, NaN/infinite values, or no rows
     *                                  left for training
     * @throws TrainingDivergedException when the loss becomes NaN or infinite
     */
    public Autoencoder fit(ModelSpec spec, JavaRDD<float[]> rows) {
        try {
            return fitUnwrapped(spec, rows);
        } catch (Exception e) {
            throw Rows.unwrap(e);
        }
    }

    private Autoencoder fitUnwrapped(ModelSpec spec, JavaRDD<float[]> rows) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(rows, "rows");
        final int width = spec.inputSize();
        final long seed = config.seed();
        final double valFraction = config.validationFraction();

        JavaRDD<float[]> checked = rows.mapPartitionsWithIndex((p, it) -> checkWidth(p, it, width), true);
        JavaRDD<float[]> rawTrain = checked.mapPartitionsWithIndex(
                (p, it) -> Rows.split(p, it, seed, VALIDATION_SALT, valFraction, false), true);
        JavaRDD<float[]> rawVal = checked.mapPartitionsWithIndex(
                (p, it) -> Rows.split(p, it, seed, VALIDATION_SALT, valFraction, true), true);

        FeatureStatistics stats;
        DataFingerprint fingerprint;
        try {
            // one pass: the normaliser's statistics of the training rows (as before, rows of each partition in
            // order) and the fingerprint of all rows (order-independent, so the same as on one machine)
            Summary summary = checked.mapPartitionsWithIndex((p, it) -> tagged(p, it, seed, valFraction), true)
                    .treeAggregate(new Summary(width), Summary::add, Summary::merge);
            stats = summary.stats;
            fingerprint = summary.fingerprint;
        } catch (Exception e) {
            throw Rows.unwrap(e);
        }
        if (stats.count() == 0) {
            throw new IllegalArgumentException("training data is empty: expected rows of " + width + " values"
                    + (valFraction > 0 ? " (no rows left after the " + valFraction + " validation split)" : ""));
        }
        Normalizer normalizer = stats.normalizer(config.normalization());
        LOG.info("normaliser fitted on {} training rows ({} features, {})", stats.count(), width,
                config.normalization().id());

        Scaling scaling = new Scaling(normalizer);
        JavaRDD<float[]> train = rawTrain.map(scaling::apply).persist(StorageLevel.MEMORY_AND_DISK_SER());
        JavaRDD<DataSet> val = null;
        long nVal = 0;
        if (valFraction > 0) {
            val = rawVal.map(scaling::apply).mapPartitions(it -> toDataSets(it, width), true)
                    .persist(StorageLevel.MEMORY_AND_DISK_SER());
            nVal = val.map(DataSet::numExamples).fold(0, Integer::sum);
            if (nVal == 0) {
                LOG.warn("no rows fell into the {} validation split: training without validation", valFraction);
                val.unpersist(false);
                val = null;
            }
        }
        try {
            return train(spec, normalizer, train, stats.count(), val, nVal, fingerprint);
        } finally {
            train.unpersist(false);
            if (val != null) {
                val.unpersist(false);
            }
        }
    }

    private Autoencoder train(ModelSpec spec, Normalizer normalizer, JavaRDD<float[]> train, long nTrain,
                              JavaRDD<DataSet> val, long nVal, DataFingerprint fingerprint) {
        Nd4j.getRandom().setSeed(TrainingConfig.nativeSeed(config.seed()));
        ComputationGraph graph = new ComputationGraph(spec.buildGraph(config.updater(),
                TrainingConfig.nativeSeed(config.seed())));
        graph.init();
        int latent = (int) graph.output(List.of(ModelSpec.LATENT), false,
                new INDArray[] {Nd4j.zeros(DataType.FLOAT, 1, spec.inputSize())}, null)[0].length();
        final int workers = workers();
        Map<String, Object> training = new LinkedHashMap<>(AutoencoderTrainer.describe(config));
        training.put("spark", describe(spark, workers));
        ModelInfo template = ModelInfo.builder().spec(spec).latentSize(latent).training(training)
                .provenance(Provenance.current(fingerprint)).build();
        List<TrainingListener> listeners = new ArrayList<>(spec.trainingListeners(config));
        listeners.addAll(userListeners);
        Autoencoder model = new TrainingEngine(config, listeners).run(
                new SparkStep(graph, train, nTrain, val, nVal, spec.inputSize(), workers), normalizer, template, null);
        LOG.info("distributed training stopped after {} epochs: {}", model.info().history().size(),
                model.info().stopReason());
        return model;
    }

    /**
     * One epoch on the cluster: the epoch's mini-batches (shuffled, corrupted, assigned to rounds and worker
     * slots on the executors) fitted in parameter-averaging rounds; the validation loss computed on the
     * executors. The epoch loop itself is {@link TrainingEngine}'s.
     */
    private final class SparkStep implements TrainingStep {
        private final SparkComputationGraph sparkGraph;
        private final JavaRDD<float[]> train;
        private final long nTrain;
        private final JavaRDD<DataSet> val;
        private final long nVal;
        private final int width;
        private final int workers;
        private final long[] offsets;
        private final long nBatches;
        private final long roundSize;
        private final int rounds;
        private final LongAccumulator examples;

        SparkStep(ComputationGraph graph, JavaRDD<float[]> train, long nTrain, JavaRDD<DataSet> val, long nVal,
                  int width, int workers) {
            this.train = train;
            this.nTrain = nTrain;
            this.val = val;
            this.nVal = nVal;
            this.width = width;
            this.workers = workers;
            final int batch = config.batchSize();
            // mini-batches per partition (fixed: the training rows are cached), their global numbering,
            // and the rounds: each round gives every worker averagingFrequency mini-batches
            this.offsets = batchOffsets(train, batch);
            this.nBatches = offsets[offsets.length - 1];
            this.roundSize = (long) workers * spark.averagingFrequency();
            this.rounds = (int) ((nBatches + roundSize - 1) / roundSize);
            LOG.info("distributed training: {} rows in {} mini-batches of {} per epoch, {} workers, {} rounds per"
                    + " epoch", nTrain, nBatches, batch, workers, rounds);
            this.examples = sc.sc().longAccumulator("ae4j rows trained");
            ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(workers, batch)
                    .batchSizePerWorker(batch)
                    .averagingFrequency(spark.averagingFrequency())
                    .workerPrefetchNumBatches(0)
                    .saveUpdater(true)
                    .rngSeed(config.seed())
                    .storageLevel(null)
                    .repartionData(Repartition.Never)
                    .rddTrainingApproach(RDDTrainingApproach.Direct)
                    .build();
            tm.addHook(new IterationCountHook(graph, examples));
            this.sparkGraph = new SparkComputationGraph(sc, graph, tm);
        }

        @Override
        public ComputationGraph graph() {
            return sparkGraph.getNetwork();
        }

        @Override
        public long trainingRows() {
            return nTrain;
        }

        @Override
        public long validationRows() {
            return val == null ? 0 : nVal;
        }

        @Override
        public Epoch fitEpoch(int epoch) {
            final int ep = epoch;
            final int w = width;
            final int batch = config.batchSize();
            final long seed = config.seed();
            final CorruptionSpec corruption = CorruptionSpec.of(config.corruption());
            final long[] offs = offsets;
            final long rs = roundSize;
            final int freq = spark.averagingFrequency();
            final Permutation order = new Permutation(nBatches, seed * 31 + epoch);
            // one shuffle per epoch: every mini-batch goes to the partition of the worker slot it has in
            // its round, so each round below is a filter giving every worker at most averagingFrequency
            // mini-batches (DL4J is told not to repartition, and would drop batches beyond that)
            JavaPairRDD<Integer, Tuple2<Integer, MultiDataSet>> batches = train.mapPartitionsWithIndex(
                    (p, it) -> miniBatches(p, it, w, batch, seed, ep, corruption, offs[p], order, rs, freq), true)
                    .mapToPair(t -> t)
                    .partitionBy(new HashPartitioner(workers))
                    .persist(StorageLevel.MEMORY_AND_DISK_SER());
            double lossSum = 0;
            long lossWeight = 0;
            examples.reset();
            try {
                for (int r = 0; r < rounds; r++) {
                    final int round = r;
                    long inRound = Math.min(roundSize, nBatches - r * roundSize);
                    ComputationGraphConfiguration conf = sparkGraph.getNetwork().getConfiguration();
                    int iteration = conf.getIterationCount();
                    sparkGraph.fitMultiDataSet(batches.filter(t -> t._2()._1() == round).map(t -> t._2()._2()));
                    // DL4J advances the count by averagingFrequency and the epoch by one per call: set both
                    // to what one machine would have: the sequential updates each worker made
                    conf.setIterationCount(iteration + (int) ((inRound + workers - 1) / workers));
                    conf.setEpochCount(epoch - 1);
                    lossSum += sparkGraph.getScore() * inRound;
                    lossWeight += inRound;
                }
            } catch (Exception e) {
                throw Rows.unwrap(e);
            } finally {
                batches.unpersist(false);
            }
            sparkGraph.getNetwork().getConfiguration().setEpochCount(epoch);
            if (examples.value() != nTrain) {
                LOG.warn("epoch {}: {} of {} training rows were trained on", epoch, examples.value(), nTrain);
            }
            return new Epoch(nTrain, lossSum / Math.max(lossWeight, 1), false);
        }

        @Override
        public double validationLoss() {
            return val == null ? Double.NaN : sparkGraph.calculateScore(val, true, SCORE_BATCH);
        }
    }

    /** Cumulative mini-batch counts: element p is the number of mini-batches before partition p. */
    private static long[] batchOffsets(JavaRDD<float[]> train, int batch) {
        List<Long> counts = train.mapPartitions(it -> {
            long c = 0;
            while (it.hasNext()) {
                it.next();
                c++;
            }
            return List.of(c).iterator();
        }, true).collect();
        long[] offsets = new long[counts.size() + 1];
        for (int p = 0; p < counts.size(); p++) {
            offsets[p + 1] = offsets[p] + (counts.get(p) + batch - 1) / batch;
        }
        return offsets;
    }

    private int workers() {
        return spark.workers() > 0 ? spark.workers() : sc.defaultParallelism();
    }

    static Map<String, Object> describe(SparkTrainingConfig s, int workers) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trainingMaster", "parameter-averaging");
        m.put("workers", workers);
        m.put("averagingFrequency", s.averagingFrequency());
        return m;
    }

    // ------------------------------------------------------------------ executor-side functions

    static Iterator<float[]> checkWidth(int partition, Iterator<float[]> it, int width) {
        return new Iterator<>() {
            long i;

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public float[] next() {
                float[] r = it.next();
                if (r == null || r.length != width) {
                    throw new IllegalArgumentException("expected " + width + " values per training row, got "
                            + (r == null ? "null" : r.length) + " (row " + i + " of partition " + partition + ")");
                }
                for (int j = 0; j < width; j++) {
                    if (!Float.isFinite(r[j])) {
                        throw new IllegalArgumentException("training data contains " + r[j] + " at row " + i
                                + " of partition " + partition + ", feature " + j + ": expected finite values");
                    }
                }
                i++;
                return r;
            }
        };
    }

    /** Rows of a partition with whether each is a training row (not held out for validation). */
    static Iterator<Tuple2<float[], Boolean>> tagged(int partition, Iterator<float[]> it, long seed, double fraction) {
        return new Iterator<>() {
            long i;

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Tuple2<float[], Boolean> next() {
                return new Tuple2<>(it.next(), !Rows.heldOut(seed, VALIDATION_SALT, partition, i++, fraction));
            }
        };
    }

    /** The normaliser's statistics of the training rows and the fingerprint of all rows, merged over partitions. */
    static final class Summary implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        final FeatureStatistics stats;
        final DataFingerprint fingerprint = new DataFingerprint();

        Summary(int width) {
            stats = new FeatureStatistics(width);
        }

        Summary add(Tuple2<float[], Boolean> row) {
            fingerprint.add(row._1());
            if (row._2()) {
                stats.add(row._1());
            }
            return this;
        }

        Summary merge(Summary other) {
            stats.merge(other.stats);
            fingerprint.merge(other.fingerprint);
            return this;
        }
    }

    static Iterator<DataSet> toDataSets(Iterator<float[]> it, int width) {
        Iterator<List<float[]>> chunks = Rows.chunks(it, SCORE_BATCH);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return chunks.hasNext();
            }

            @Override
            public DataSet next() {
                INDArray x = Rows.matrix(chunks.next(), width);
                return new DataSet(x, x);
            }
        };
    }

    static Iterator<Tuple2<Integer, Tuple2<Integer, MultiDataSet>>> miniBatches(
            int partition, Iterator<float[]> it, int width, int batch, long seed, int epoch, CorruptionSpec corruption,
            long firstBatch, Permutation order, long roundSize, int freq) {
        List<float[]> rows = new ArrayList<>();
        it.forEachRemaining(rows::add);
        long s = seed * 1_000_003L + epoch * 7919L + partition;
        Collections.shuffle(rows, new Random(s));
        org.nd4j.linalg.api.rng.Random noise = corruption.isNone() ? null
                : Nd4j.getRandomFactory().getNewRandomInstance(TrainingConfig.nativeSeed(s ^ 0x5DEECE66DL));
        List<Tuple2<Integer, Tuple2<Integer, MultiDataSet>>> out = new ArrayList<>((rows.size() + batch - 1) / batch);
        long b = firstBatch;
        for (int from = 0; from < rows.size(); from += batch) {
            INDArray clean = Rows.matrix(rows.subList(from, Math.min(rows.size(), from + batch)), width);
            INDArray in = noise == null ? clean : corruption.get().apply(clean, noise);
            long position = order.apply(b++);
            int round = (int) (position / roundSize);
            int slot = (int) ((position % roundSize) / freq);
            out.add(new Tuple2<>(slot, new Tuple2<>(round, new org.nd4j.linalg.dataset.MultiDataSet(in, clean))));
        }
        if (noise != null) {
            try {
                noise.close();
            } catch (Exception e) {
                LOG.debug("closing the noise generator failed", e);
            }
        }
        return out.iterator();
    }

    /** The normaliser's affine map, applied in float arithmetic on executors. */
    static final class Scaling implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final float[] offset;
        private final float[] scale;
        private final boolean identity;

        Scaling(Normalizer n) {
            double[] o = n.offset();
            double[] s = n.scale();
            offset = new float[o.length];
            scale = new float[s.length];
            for (int j = 0; j < o.length; j++) {
                offset[j] = (float) o[j];
                scale[j] = (float) s[j];
            }
            identity = n.type() == io.github.ae4j.core.Normalization.NONE;
        }

        float[] apply(float[] x) {
            float[] z = new float[x.length];
            for (int j = 0; j < x.length; j++) {
                z[j] = identity ? x[j] : (x[j] - offset[j]) / scale[j];
            }
            return z;
        }
    }
}
