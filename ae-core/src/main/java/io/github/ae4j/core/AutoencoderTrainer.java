package io.github.ae4j.core;

import io.github.ae4j.core.data.RowSource;
import io.github.ae4j.core.data.TabularSchema;
import io.github.ae4j.core.internal.Arrays2;
import io.github.ae4j.core.internal.NativeGarbage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains any ae4j architecture on this machine: mini-batches with shuffling, optional input corruption
 * (denoising) and trimmed loss (robust training), a validation split; the epochs run in the one
 * {@link TrainingEngine} loop (early stopping, best-weights restore, divergence guard, checkpoints,
 * history, listeners) with a local {@link TrainingStep}. Trains on rows in memory or streamed from a
 * {@link RowSource} (bounded memory). The model records its {@link Provenance}, with a
 * {@link DataFingerprint} of the rows given to {@code fit}.
 *
 * <p>Deterministic: the same spec, data, configuration and seed give bitwise identical weights on
 * the same machine and thread count. A trainer is used for one training run at a time.
 */
public final class AutoencoderTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(AutoencoderTrainer.class);
    /** Streaming: rows read per block. */
    static final int STREAM_BLOCK = 8192;
    /** Streaming: at most this many validation rows are kept in memory. */
    static final int MAX_STREAM_VALIDATION = 50_000;

    private final TrainingConfig config;
    private final List<TrainingListener> userListeners;

    /**
     * Creates a trainer.
     *
     * @param config    how to train
     * @param listeners progress listeners
     */
    public AutoencoderTrainer(TrainingConfig config, TrainingListener... listeners) {
        this.config = Objects.requireNonNull(config, "config");
        this.userListeners = List.of(listeners);
    }

    /**
     * Trains a new model on rows held in memory.
     *
     * @param spec the architecture
     * @param x    raw training rows, shape [rows, spec.inputSize()]
     * @return the trained model
     */
    public Autoencoder fit(ModelSpec spec, INDArray x) {
        Objects.requireNonNull(spec, "spec");
        INDArray raw = checkRows(x, spec.inputSize());
        InMemory plan = new InMemory(raw, config);
        Normalizer normalizer = Normalizer.fit(config.normalization(), plan.rawTrain());
        plan.normalize(normalizer);
        return train(spec, normalizer, plan, new DataFingerprint().add(raw));
    }

    /**
     * Trains a new model on rows streamed from a source, in bounded memory: one pass fits the
     * normaliser, then each epoch streams the rows again, shuffled within blocks of
     * {@value #STREAM_BLOCK} rows. Validation rows are picked by a seeded hash of the row number until
     * {@value #MAX_STREAM_VALIDATION} are held in memory; every later row trains.
     *
     * @param spec   the architecture
     * @param source the rows
     * @return the trained model
     */
    public Autoencoder fit(ModelSpec spec, RowSource source) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(source, "source");
        if (source.width() != spec.inputSize()) {
            throw new IllegalArgumentException("expected " + spec.inputSize() + " values per training row, the source has "
                    + source.width());
        }
        Streaming plan = new Streaming(source, config);
        Normalizer normalizer = plan.fitNormalizer();
        plan.normalizer = normalizer;
        return train(spec, normalizer, plan, plan.fingerprint);
    }

    /**
     * Trains an existing model further (warm start) on rows in memory; the model itself is not
     * changed. The normaliser is kept.
     *
     * @param model the model to start from
     * @param x     raw rows
     * @return the new model
     */
    public Autoencoder continueTraining(Autoencoder model, INDArray x) {
        Objects.requireNonNull(model, "model");
        INDArray raw = checkRows(x, model.inputSize());
        ComputationGraph graph;
        synchronized (model.sharedGraph()) {
            graph = model.sharedGraph().clone();
        }
        Nd4j.getRandom().setSeed(TrainingConfig.nativeSeed(config.seed()));
        InMemory plan = new InMemory(raw, config);
        plan.normalize(model.normalizer());
        TabularSchema schema = model.schema().orElse(null);
        ModelInfo template = model.info().toBuilder().formatVersion(Ae4j.FORMAT_VERSION).ae4jVersion(Ae4j.VERSION)
                .dl4jVersion(Ae4j.DL4J_VERSION).training(describe(config))
                .provenance(Provenance.current(new DataFingerprint().add(raw)).withSchema(schema)).build();
        return run(graph, model.normalizer(), template, schema, plan, userListeners);
    }

    private Autoencoder train(ModelSpec spec, Normalizer normalizer, Plan plan, DataFingerprint data) {
        Nd4j.getRandom().setSeed(TrainingConfig.nativeSeed(config.seed()));
        ComputationGraph graph = new ComputationGraph(spec.buildGraph(config.updater(),
                TrainingConfig.nativeSeed(config.seed())));
        graph.init();
        ModelInfo template = ModelInfo.builder().spec(spec).latentSize(latentSize(graph, spec.inputSize()))
                .training(describe(config)).provenance(Provenance.current(data)).build();
        List<TrainingListener> all = new ArrayList<>(spec.trainingListeners(config));
        all.addAll(userListeners);
        return run(graph, normalizer, template, null, plan, all);
    }

    private static int latentSize(ComputationGraph g, int inputSize) {
        INDArray probe = Nd4j.zeros(DataType.FLOAT, 1, inputSize);
        INDArray z = g.output(List.of(ModelSpec.LATENT), false, new INDArray[] {probe}, null)[0];
        return (int) z.length();
    }

    private Autoencoder run(ComputationGraph graph, Normalizer normalizer, ModelInfo template, TabularSchema schema,
                            Plan plan, List<TrainingListener> listeners) {
        ReconstructionLoss loss = ReconstructionLosses.forName(template.loss(), template.lossClass());
        return new TrainingEngine(config, listeners).run(new LocalStep(graph, plan, loss), normalizer, template,
                schema);
    }

    // ------------------------------------------------------------------ the local step

    /**
     * Training rows (the first of each epoch, a fresh random sample each epoch) on which the reported
     * training loss is measured, in inference mode as the validation loss is. Was 2,048: that pass cost
     * 7-14% of a 6,000-row conv epoch and ~15% of a 2,400-row one (most of whose rows it scored again).
     * 512 rows keep the estimate on the validation loss's scale (which DL4J's own batch scores are not
     * for every graph: SameDiff layers, dropout, activity penalties, corrupted inputs, trimmed rows) with
     * a standard error about twice as large; with validation rows it is only reported, and without
     * them it picks checkpoints and the weights kept on divergence, where early stopping is not used.
     */
    static final int TRAIN_LOSS_ROWS = 512;

    /**
     * One epoch on this machine: the plan's mini-batches, each corrupted (denoising) and optionally
     * masked (trimmed loss), fitted by DL4J one after the other.
     */
    private final class LocalStep implements TrainingStep {
        private final ComputationGraph graph;
        private final Plan plan;
        private final ReconstructionLoss loss;
        private final INDArray val;
        private final org.nd4j.linalg.api.rng.Random noise;
        /** DL4J's step with the parameter update fused into one pass, where the graph allows it; else null. */
        private final FusedAdam fused;
        /** The gradient computed directly on OpenBLAS, for plain dense chains with an MSE loss; else null. */
        private final DenseChainStep dense;

        LocalStep(ComputationGraph graph, Plan plan, ReconstructionLoss loss) {
            this.graph = graph;
            this.plan = plan;
            this.loss = loss;
            this.val = plan.validation();
            this.noise = Nd4j.getRandomFactory()
                    .getNewRandomInstance(TrainingConfig.nativeSeed(config.seed() + 17));
            this.fused = FusedAdam.of(graph);
            this.dense = fused == null ? null : DenseChainStep.of(graph);
            // the working graph is only fitted: no input gradient for the layers that read the rows
            io.github.ae4j.core.layers.NativeDense.skipInputGradients(graph);
        }

        @Override
        public ComputationGraph graph() {
            return graph;
        }

        @Override
        public long trainingRows() {
            return plan.trainRows();
        }

        @Override
        public long validationRows() {
            return val == null ? 0 : val.size(0);
        }

        @Override
        public Epoch fitEpoch(int epoch) {
            long seen = 0;
            List<INDArray> probe = new ArrayList<>();   // the first training rows of the epoch, for the train loss
            long probeRows = 0;
            if (fused != null) {
                fused.beginEpoch();   // parameters and moments stay in Java arrays for the epoch's batches
            }
            try (Plan.Epoch batches = plan.epoch(epoch)) {
                while (batches.hasNext()) {
                    if (Thread.currentThread().isInterrupted()) {
                        return Epoch.interruptedEpoch();
                    }
                    INDArray clean = batches.next();
                    INDArray in = config.corruption().apply(clean, noise);
                    INDArray mask = config.trimFraction() > 0 ? trimMask(graph, loss, in, clean) : null;
                    INDArray[] masks = mask == null ? null : new INDArray[] {mask};
                    double s;
                    if (dense != null && masks == null) {
                        s = dense.computeGradientAndScore(in, clean);
                        fused.apply((int) clean.size(0));
                    } else if (fused != null) {
                        s = fused.fit(new INDArray[] {in}, new INDArray[] {clean}, masks);
                    } else {
                        graph.fit(new INDArray[] {in}, new INDArray[] {clean}, null, masks);
                        s = graph.score();
                    }
                    seen += clean.size(0);
                    if (!Double.isFinite(s)) {
                        return new Epoch(seen, s, false);
                    }
                    if (probeRows < TRAIN_LOSS_ROWS) {
                        probe.add(clean.dup());
                        probeRows += clean.size(0);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading training data failed in epoch " + epoch, e);
            } finally {
                if (fused != null) {
                    fused.endEpoch();
                }
            }
            // Measured as the validation loss is (same call, inference mode, end of epoch), so the two are on one
            // scale: the score DL4J reports from fit() is not, for graphs with SameDiff layers (6x on a conv model).
            double trainLoss = probe.isEmpty() ? Double.NaN
                    : loss(probe.size() == 1 ? probe.get(0) : Nd4j.concat(0, probe.toArray(INDArray[]::new)));
            return new Epoch(seen, trainLoss, false);
        }

        /** The loss over rows in inference mode: on the dense chain's own forward pass where it has one. */
        private double loss(INDArray rows) {
            return dense != null && dense.scoresAsDl4j() ? dense.score(rows) : score(graph, rows);
        }

        @Override
        public double validationLoss() {
            return val == null ? Double.NaN : loss(val);
        }
    }

    private INDArray trimMask(ComputationGraph graph, ReconstructionLoss loss, INDArray in, INDArray clean) {
        INDArray out = graph.outputSingle(false, in);
        double[] v = loss.perRow(clean, out.reshape(out.size(0), -1)).castTo(DataType.DOUBLE).toDoubleVector();
        int drop = (int) Math.floor(v.length * config.trimFraction());
        float[] mask = new float[v.length];
        Arrays.fill(mask, 1f);
        if (drop > 0) {
            double[] sorted = v.clone();
            Arrays.sort(sorted);
            double cut = sorted[v.length - drop];
            int dropped = 0;
            for (int i = 0; i < v.length && dropped < drop; i++) {
                if (v[i] >= cut) {
                    mask[i] = 0f;
                    dropped++;
                }
            }
        }
        return Nd4j.create(mask, new long[] {v.length, 1}, 'c');
    }

    /**
     * The graph's loss over rows, in inference mode. DL4J M2.1's {@code ComputationGraph.score} keeps every layer's
     * activations outside its workspaces, and {@code INDArray.close()} does not give their native memory back on the
     * CPU backend, so each call leaves native garbage that only a garbage collection frees (measured: ~209 KB per
     * scored row of a conv VAE, ~72 KB of the bench's conv autoencoder; {@code docs/notes/issue-19-session4-mem.md}).
     * Training makes few Java objects, so the heap, and with it the collection, can wait for many epochs while the
     * process grows by gigabytes (two conv VAE trainings were killed by the kernel that way). When the resident memory
     * grew by more than {@link NativeGarbage#BOUND} since the first look or the last collection asked for, this asks
     * for one (~0.1-0.3 s, against conv epochs of a minute or more); a model whose passes leave little
     * garbage rarely or never reaches the bound.
     */
    private double score(ComputationGraph graph, INDArray val) {
        garbage.baseline();   // before the first pass
        double sum = 0;
        long n = val.size(0);
        int b = Math.max(config.batchSize(), 1024);
        for (long from = 0; from < n; from += b) {
            long to = Math.min(n, from + b);
            INDArray part = val.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
            sum += graph.score(new DataSet(part, part), false) * (to - from);
        }
        garbage.checkNow();
        return sum / n;
    }

    /** The bound on what the scoring passes leave for the collector (its baseline: before this trainer's first pass). */
    private final NativeGarbage garbage = new NativeGarbage();

    /**
     * The training configuration as plain values, for model metadata.
     *
     * @param c the configuration
     * @return a map of its values
     */
    public static Map<String, Object> describe(TrainingConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epochs", c.epochs());
        m.put("batchSize", c.batchSize());
        m.put("updater", c.updater().toString());
        m.put("seed", c.seed());
        m.put("validationFraction", c.validationFraction());
        m.put("patience", c.patience());
        m.put("minDelta", c.minDelta());
        m.put("normalization", c.normalization().id());
        m.put("corruption", c.corruption().describe());
        m.put("trimFraction", c.trimFraction());
        return m;
    }

    // ------------------------------------------------------------------ data plans

    private static INDArray checkRows(INDArray x, int width) {
        Objects.requireNonNull(x, "x");
        if (x.isEmpty() || x.rank() < 1 || x.size(0) == 0) {
            throw new IllegalArgumentException("training data is empty: expected rows of " + width + " values");
        }
        INDArray r = x.rank() == 1 ? x.reshape(1, x.length()) : x;
        long cols = r.length() / r.size(0);
        if (cols != width) {
            throw new IllegalArgumentException("expected " + width + " values per training row, got " + cols);
        }
        if (r.size(0) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many rows for in-memory training: " + r.size(0)
                    + "; stream them with fit(spec, RowSource)");
        }
        r = r.reshape(r.size(0), cols).castTo(DataType.FLOAT);
        Arrays2.requireFinite(r, "training data");
        return r;
    }

    /** Where the batches of each epoch and the validation rows come from (already normalised). */
    private interface Plan {
        long trainRows();

        INDArray validation();

        Epoch epoch(int epoch) throws IOException;

        /** An epoch's mini-batches; an array {@link #next()} returns may be reused by the call after it. */
        interface Epoch extends Iterator<INDArray>, AutoCloseable {
            @Override
            void close() throws IOException;
        }
    }

    /** Rows in memory: a seeded validation split and a fresh permutation per epoch. */
    private static final class InMemory implements Plan {
        private final TrainingConfig config;
        private final INDArray raw;
        private final int[] trainIdx;
        private final int[] valIdx;
        private final Random shuffle;
        private INDArray train;
        private INDArray val;

        InMemory(INDArray raw, TrainingConfig config) {
            this.raw = raw;
            this.config = config;
            int rows = (int) raw.size(0);
            int[] perm = Arrays2.permutation(rows, new Random(config.seed()));
            int nVal = (int) Math.floor(rows * config.validationFraction());
            if (config.validationFraction() > 0 && nVal == 0) {
                LOG.warn("{} rows are too few for a {} validation split: training without validation",
                        rows, config.validationFraction());
            }
            if (rows - nVal < 1) {
                throw new IllegalArgumentException("no rows left for training after the validation split");
            }
            valIdx = Arrays.copyOfRange(perm, 0, nVal);
            trainIdx = Arrays.copyOfRange(perm, nVal, rows);
            Arrays.sort(valIdx);
            Arrays.sort(trainIdx);
            shuffle = new Random(config.seed() ^ 0x5DEECE66DL);
        }

        INDArray rawTrain() {
            return trainIdx.length == raw.size(0) ? raw : Nd4j.pullRows(raw, 1, trainIdx);
        }

        void normalize(Normalizer n) {
            // transform returns a new row-major array: no further copy needed; without normalisation the
            // rows are only read (batches are pulled copies), so no copy at all
            INDArray rows = rawTrain();
            train = n.type() == Normalization.NONE ? rows : n.transform(rows);
            val = valIdx.length == 0 ? null : n.transform(Nd4j.pullRows(raw, 1, valIdx));
        }

        @Override
        public long trainRows() {
            return train.size(0);
        }

        @Override
        public INDArray validation() {
            return val;
        }

        @Override
        public Epoch epoch(int epoch) {
            int n = (int) train.size(0);
            int[] order = Arrays2.permutation(n, shuffle);
            int b = config.batchSize();
            return new Epoch() {
                int from;
                INDArray reused;

                @Override
                public boolean hasNext() {
                    return from < n;
                }

                @Override
                public INDArray next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    int to = Math.min(n, from + b);
                    INDArray batch = Arrays2.gatherRows(train, order, from, to, reused);
                    if (reused == null && batch.size(0) == b) {
                        reused = batch;
                    }
                    from = to;
                    return batch;
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /** Rows streamed from a source: validation by hashed row number, shuffling within a buffer. */
    private static final class Streaming implements Plan {
        private final RowSource source;
        private final TrainingConfig config;
        private final long salt;
        private Normalizer normalizer;
        private final DataFingerprint fingerprint = new DataFingerprint();
        private long trainRows;
        private INDArray val;
        /** Rows from here on are never validation rows (the validation set is full). */
        private long validationEnd = Long.MAX_VALUE;

        Streaming(RowSource source, TrainingConfig config) {
            this.source = source;
            this.config = config;
            this.salt = config.seed() * 0x9E3779B97F4A7C15L;
        }

        private boolean isValidation(long row) {
            if (row >= validationEnd) {
                return false;
            }
            long h = row * 0xBF58476D1CE4E5B9L + salt;
            h ^= h >>> 31;
            h *= 0x94D049BB133111EBL;
            h ^= h >>> 29;
            return (h >>> 11) * 0x1.0p-53 < config.validationFraction();
        }

        Normalizer fitNormalizer() {
            Normalizer.Fitter f = Normalizer.fit(config.normalization(), source.width());
            List<INDArray> valRaw = new ArrayList<>();
            long valRows = 0;
            long row = 0;
            try (RowSource.Blocks blocks = source.open(STREAM_BLOCK)) {
                while (blocks.hasNext()) {
                    INDArray b = blocks.next();
                    Arrays2.requireFinite(b, "training data block at row " + row);
                    fingerprint.add(b);
                    int[][] split = split(row, (int) b.size(0));
                    if (valRows + split[1].length > MAX_STREAM_VALIDATION) {
                        // the validation set fills up inside this block: later rows all train
                        int keep = (int) (MAX_STREAM_VALIDATION - valRows);
                        validationEnd = row + (keep == 0 ? 0 : split[1][keep - 1] + 1);
                        split = split(row, (int) b.size(0));
                    }
                    if (split[1].length > 0) {
                        valRaw.add(Nd4j.pullRows(b, 1, split[1]));
                        valRows += split[1].length;
                    }
                    if (split[0].length > 0) {
                        f.accept(split[0].length == b.size(0) ? b : Nd4j.pullRows(b, 1, split[0]));
                    }
                    trainRows += split[0].length;
                    row += b.size(0);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading training data failed", e);
            }
            if (trainRows == 0) {
                throw new IllegalArgumentException("training data is empty: no rows left for training");
            }
            Normalizer n = f.result();
            val = valRaw.isEmpty() ? null : n.transform(Nd4j.vstack(valRaw.toArray(new INDArray[0]))).dup('c');
            return n;
        }

        private int[][] split(long first, int n) {
            int[] t = new int[n];
            int[] v = new int[n];
            int nt = 0;
            int nv = 0;
            for (int i = 0; i < n; i++) {
                if (isValidation(first + i)) {
                    v[nv++] = i;
                } else {
                    t[nt++] = i;
                }
            }
            return new int[][] {Arrays.copyOf(t, nt), Arrays.copyOf(v, nv)};
        }

        @Override
        public long trainRows() {
            return trainRows;
        }

        @Override
        public INDArray validation() {
            return val;
        }

        @Override
        public Epoch epoch(int epoch) throws IOException {
            RowSource.Blocks blocks = source.open(STREAM_BLOCK);
            Random shuffle = new Random(config.seed() * 31 + epoch);
            int b = config.batchSize();
            return new Epoch() {
                long row;
                INDArray buffer;
                int[] order;
                int from;
                INDArray reused;

                @Override
                public boolean hasNext() {
                    while (buffer == null || from >= order.length) {
                        if (!blocks.hasNext()) {
                            return false;
                        }
                        INDArray raw = blocks.next();
                        int[] keep = split(row, (int) raw.size(0))[0];
                        row += raw.size(0);
                        if (keep.length == 0) {
                            continue;
                        }
                        buffer = normalizer.transform(keep.length == raw.size(0) ? raw : Nd4j.pullRows(raw, 1, keep));
                        order = Arrays2.permutation(keep.length, shuffle);
                        from = 0;
                    }
                    return true;
                }

                @Override
                public INDArray next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    int to = Math.min(order.length, from + b);
                    INDArray batch = Arrays2.gatherRows(buffer, order, from, to, reused);
                    if (reused == null && batch.size(0) == b) {
                        reused = batch;
                    }
                    from = to;
                    return batch;
                }

                @Override
                public void close() throws IOException {
                    blocks.close();
                }
            };
        }
    }
}
