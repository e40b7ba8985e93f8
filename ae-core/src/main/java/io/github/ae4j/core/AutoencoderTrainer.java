package io.github.ae4j.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared training loop for every ae4j architecture: mini-batches with shuffling, optional
 * input corruption (denoising) and trimmed loss (robust training), a validation split with early
 * stopping and best-weights restore, a divergence guard, per-epoch checkpoints and progress
 * reporting.
 *
 * <p>Deterministic: the same spec, data, configuration and seed give bitwise identical weights on
 * the same machine and thread count.
 */
public final class AutoencoderTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(AutoencoderTrainer.class);

    private final TrainingConfig config;
    private final List<TrainingListener> userListeners;
    private List<TrainingListener> listeners;

    /**
     * Creates a trainer.
     *
     * @param config    how to train
     * @param listeners progress listeners
     */
    public AutoencoderTrainer(TrainingConfig config, TrainingListener... listeners) {
        this.config = Objects.requireNonNull(config, "config");
        this.userListeners = List.of(listeners);
        this.listeners = this.userListeners;
    }

    /**
     * Trains a new model.
     *
     * @param spec the architecture
     * @param x    raw training rows, shape [rows, spec.inputSize()]
     * @return the trained model
     */
    public Autoencoder fit(ModelSpec spec, INDArray x) {
        Objects.requireNonNull(spec, "spec");
        List<TrainingListener> all = new ArrayList<>(spec.trainingListeners(config));
        all.addAll(userListeners);
        listeners = all;
        INDArray raw = checkRows(x, spec.inputSize());
        Split split = split(raw.size(0));
        Normalizer normalizer = Normalizer.fit(config.normalization(), rows(raw, split.train));
        Nd4j.getRandom().setSeed(config.seed());
        ComputationGraph graph = new ComputationGraph(spec.buildGraph(config.updater(), config.seed()));
        graph.init();
        Map<String, Object> specInfo = spec.describe();
        ModelInfo template = new ModelInfo(Ae4j.FORMAT_VERSION, spec.kind(), Ae4j.VERSION, Ae4j.DL4J_VERSION,
                null, 0, specInfo, null, spec.loss().name(), spec.loss().getClass().getName(),
                spec.decoderOutput(), spec.decoderOutputActivation().name(), spec.inputShape(), spec.inputSize(),
                latentSize(graph, spec.inputSize()), List.of(), null, Map.of());
        return run(graph, normalizer, template, null, raw, split);
    }

    /**
     * Trains an existing model further (warm start); the model itself is not changed.
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
        Nd4j.getRandom().setSeed(config.seed());
        return run(graph, model.normalizer(), model.info(), model.schema().orElse(null), raw,
                split(raw.size(0)));
    }

    private static int latentSize(ComputationGraph g, int inputSize) {
        INDArray probe = Nd4j.zeros(DataType.FLOAT, 1, inputSize);
        INDArray z = g.output(List.of(ModelSpec.LATENT), false, new INDArray[] {probe}, null)[0];
        return (int) z.length();
    }

    private record Split(int[] train, int[] validation) {
    }

    private Split split(long n) {
        int rows = (int) n;
        int[] perm = permutation(rows, new Random(config.seed()));
        int nVal = (int) Math.floor(rows * config.validationFraction());
        if (config.validationFraction() > 0 && nVal == 0) {
            LOG.warn("{} rows are too few for a {} validation split: training without validation",
                    rows, config.validationFraction());
        }
        if (rows - nVal < 1) {
            throw new IllegalArgumentException("no rows left for training after the validation split");
        }
        int[] val = Arrays.copyOfRange(perm, 0, nVal);
        int[] train = Arrays.copyOfRange(perm, nVal, rows);
        Arrays.sort(val);
        Arrays.sort(train);
        return new Split(train, val);
    }

    private static int[] permutation(int n, Random rnd) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static INDArray rows(INDArray x, int[] idx) {
        if (idx.length == x.size(0)) {
            return x;
        }
        return Nd4j.pullRows(x, 1, idx);
    }

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
            throw new IllegalArgumentException("too many rows for in-memory training: " + r.size(0));
        }
        r = r.reshape(r.size(0), cols).castTo(DataType.FLOAT);
        Arrays2.requireFinite(r, "training data");
        return r;
    }

    private Autoencoder run(ComputationGraph graph, Normalizer normalizer, ModelInfo template,
                            io.github.ae4j.core.data.TabularSchema schema, INDArray raw, Split split) {
        long t0 = System.nanoTime();
        INDArray all = normalizer.transform(raw);
        INDArray train = rows(all, split.train).dup('c');
        INDArray val = split.validation.length == 0 ? null : rows(all, split.validation).dup('c');
        int nTrain = (int) train.size(0);
        listeners.forEach(l -> l.onStart(config.epochs(), nTrain, val == null ? 0 : val.size(0)));

        List<ModelInfo.Epoch> history = new ArrayList<>(template.history() == null ? List.of() : template.history());
        int epochOffset = history.size();
        Random shuffle = new Random(config.seed() ^ 0x5DEECE66DL);
        org.nd4j.linalg.api.rng.Random noise = Nd4j.getRandomFactory().getNewRandomInstance(config.seed() + 17);
        INDArray bestParams = null;
        double best = Double.POSITIVE_INFINITY;
        int sinceBest = 0;
        String stopReason = "max-epochs";
        int epoch = 0;
        Autoencoder lastGood = null;
        try {
            for (epoch = 1; epoch <= config.epochs(); epoch++) {
                long e0 = System.nanoTime();
                final int ep = epoch;
                listeners.forEach(l -> l.onEpochStart(ep, graph));
                int[] order = permutation(nTrain, shuffle);
                double lossSum = 0;
                for (int from = 0; from < nTrain; from += config.batchSize()) {
                    if (Thread.currentThread().isInterrupted()) {
                        stopReason = "interrupted";
                        break;
                    }
                    int to = Math.min(nTrain, from + config.batchSize());
                    INDArray clean = Nd4j.pullRows(train, 1, Arrays.copyOfRange(order, from, to));
                    INDArray in = config.corruption().apply(clean, noise);
                    INDArray mask = config.trimFraction() > 0 ? trimMask(graph, in, clean, template) : null;
                    graph.fit(new INDArray[] {in}, new INDArray[] {clean}, null,
                            mask == null ? null : new INDArray[] {mask});
                    double s = graph.score();
                    if (!Double.isFinite(s)) {
                        throw diverged(epoch, s, graph, normalizer, template, schema, bestParams, history, t0);
                    }
                    lossSum += s * (to - from);
                }
                if ("interrupted".equals(stopReason)) {
                    break;
                }
                double trainLoss = lossSum / nTrain;
                double valLoss = val == null ? Double.NaN : score(graph, val);
                if (val != null && !Double.isFinite(valLoss)) {
                    throw diverged(epoch, valLoss, graph, normalizer, template, schema, bestParams, history, t0);
                }
                double monitored = val == null ? trainLoss : valLoss;
                boolean improved = monitored < best - config.minDelta() * Math.abs(best)
                        || best == Double.POSITIVE_INFINITY;
                if (improved) {
                    best = monitored;
                    sinceBest = 0;
                    bestParams = graph.params().dup();
                } else {
                    sinceBest++;
                }
                history.add(new ModelInfo.Epoch(epochOffset + epoch, trainLoss, valLoss));
                double secs = (System.nanoTime() - e0) / 1e9;
                double elapsed = (System.nanoTime() - t0) / 1e9;
                EpochReport report = new EpochReport(epoch, config.epochs(), trainLoss, valLoss,
                        val == null ? Double.NaN : best, improved && val != null, nTrain / Math.max(secs, 1e-9),
                        elapsed, elapsed / epoch * (config.epochs() - epoch));
                listeners.forEach(l -> l.onEpochEnd(report));
                if (improved && config.checkpoint() != null) {
                    lastGood = build(graph, normalizer, template, schema, history, t0, "checkpoint");
                    lastGood.save(config.checkpoint());
                }
                if (val != null && config.patience() > 0 && sinceBest >= config.patience()) {
                    stopReason = "early-stopping";
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + config.checkpoint(), e);
        }
        int epochsRun = Math.min(epoch, config.epochs());
        if (bestParams != null && val != null) {
            graph.setParams(bestParams);
        }
        final String reason = stopReason;
        listeners.forEach(l -> l.onEnd(epochsRun, reason));
        LOG.debug("training stopped after {} epochs: {}", epochsRun, reason);
        return build(graph, normalizer, template, schema, history, t0, reason);
    }

    private INDArray trimMask(ComputationGraph graph, INDArray in, INDArray clean, ModelInfo template) {
        ReconstructionLoss loss = ReconstructionLosses.forName(template.loss(), template.lossClass());
        INDArray out = graph.outputSingle(false, in);
        INDArray perRow = loss.perRow(clean, out.reshape(out.size(0), -1)).castTo(DataType.DOUBLE);
        double[] v = perRow.toDoubleVector();
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

    private double score(ComputationGraph graph, INDArray val) {
        double sum = 0;
        long n = val.size(0);
        int b = Math.max(config.batchSize(), 1024);
        for (long from = 0; from < n; from += b) {
            long to = Math.min(n, from + b);
            INDArray part = val.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to),
                    org.nd4j.linalg.indexing.NDArrayIndex.all());
            sum += graph.score(new DataSet(part, part), false) * (to - from);
        }
        return sum / n;
    }

    private TrainingDivergedException diverged(int epoch, double loss, ComputationGraph graph, Normalizer normalizer,
                                               ModelInfo template, io.github.ae4j.core.data.TabularSchema schema,
                                               INDArray bestParams, List<ModelInfo.Epoch> history, long t0) {
        Autoencoder best = null;
        if (bestParams != null) {
            graph.setParams(bestParams);
            best = build(graph, normalizer, template, schema, history, t0, "diverged");
        }
        return new TrainingDivergedException(epoch, loss, best);
    }

    private Autoencoder build(ComputationGraph graph, Normalizer normalizer, ModelInfo template,
                              io.github.ae4j.core.data.TabularSchema schema, List<ModelInfo.Epoch> history,
                              long t0, String stopReason) {
        ComputationGraph copy = graph.clone();
        double secs = template.trainingSeconds() + (System.nanoTime() - t0) / 1e9;
        ModelInfo info = new ModelInfo(Ae4j.FORMAT_VERSION, template.kind(), Ae4j.VERSION, Ae4j.DL4J_VERSION,
                Instant.now().toString(), secs, template.spec(), describe(config), template.loss(),
                template.lossClass(), template.decoderOutput(), template.decoderActivation(), template.inputShape(),
                template.inputSize(), template.latentSize(), List.copyOf(history), stopReason,
                template.extras() == null ? Map.of() : template.extras());
        return new Autoencoder(copy, normalizer, info, schema);
    }

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
}
