package io.github.ae4j.core;

import io.github.ae4j.core.data.DataKind;
import io.github.ae4j.core.data.RowSource;
import io.github.ae4j.core.data.TabularSchema;
import io.github.ae4j.core.internal.Arrays2;
import io.github.ae4j.core.internal.NativeGarbage;
import io.github.ae4j.core.internal.GraphPool;
import io.github.ae4j.core.internal.Subgraphs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A trained autoencoder: the graph with its weights, the normaliser fitted on the training data,
 * and what was recorded about it ({@link ModelInfo}). Immutable and safe to share between threads:
 * concurrent calls run on replicas of the graphs (up to one per processor), not one at a time.
 *
 * <p>All methods take raw (un-normalised) rows of {@link #inputSize()} values and apply the stored
 * normaliser themselves: a user never re-implements scaling. Reconstructions are returned in the
 * raw space; reconstruction errors are computed in the normalised space, where the loss was
 * trained (so that binary cross-entropy sees [0, 1] values).
 *
 * <p>Create one with {@link #fit(ModelSpec, INDArray, TrainingConfig, TrainingListener...)} or
 * {@link #load(Path)}.
 */
public final class Autoencoder {

    /**
     * Rows per internal batch in inference methods, bounding temporary memory; fewer where the graph's activations
     * are large ({@link #PASS_FLOATS}).
     */
    static final int INFERENCE_BATCH = 4096;

    /**
     * The activations one pass of the inference methods may hold, in floats (64 MB): the graph's output methods keep
     * every layer's activation until the pass ends. The reference conv autoencoder holds ~35,000 floats per row, so
     * 4,096 rows were ~570 MB; {@code ae4j train}'s standardised scorer then reconstructed its 2,400 training rows in
     * one pass at the end of training, ~150 MB of the command's peak RSS on 3,000 MNIST images (1,084-1,155 MB
     * against 949-1,003 MB with 256-row passes).
     */
    static final long PASS_FLOATS = 16L << 20;

    /**
     * Scoring calls of up to this many rows look at the resident memory only every few calls
     * ({@link NativeGarbage#check()}); larger calls look every time.
     */
    static final int FEW_ROWS = 64;

    /**
     * Rows per pass of a layer chain in its reused workspace (the workspace is sized by the largest pass: ~150 MB for
     * the bench's conv autoencoder at 1,024 rows).
     */
    static final int WORKSPACE_ROWS = 1024;

    private final ComputationGraph graph;
    private final Normalizer normalizer;
    private final ModelInfo info;
    private final TabularSchema schema;
    private final DataKind data;
    private final ReconstructionLoss loss;
    private final Activation decoderActivation;
    private final GraphPool encoderGraph;
    private final GraphPool decoderGraph;
    private final GraphPool reconstructionGraph;
    private volatile GraphPool activationGraph;
    /** Layer chains of the reconstruction graph's replicas (identity keys). */
    private final Map<ComputationGraph, Optional<LayerChain>> chains = new java.util.IdentityHashMap<>();
    private final Map<ComputationGraph, Optional<DenseChainScorer>> scorers = new java.util.IdentityHashMap<>();
    /** The bound on the native garbage of the scoring paths through ND4J ops (baseline: this model's first call). */
    private final NativeGarbage garbage = new NativeGarbage();
    /** Rows per pass of the inference methods, 0 until {@link #inferenceRows} works them out. */
    private volatile int inferenceRows;

    Autoencoder(ComputationGraph graph, Normalizer normalizer, ModelInfo info, TabularSchema schema) {
        this(graph, normalizer, info, schema, null);
    }

    Autoencoder(ComputationGraph graph, Normalizer normalizer, ModelInfo info, TabularSchema schema, DataKind data) {
        this.graph = Objects.requireNonNull(graph, "graph");
        this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
        this.info = Objects.requireNonNull(info, "info");
        this.schema = schema;
        this.data = data != null ? data : inferData(info, schema);
        if (this.data.isImage() && (long) this.data.imageShape()[0] * this.data.imageShape()[1]
                * this.data.imageShape()[2] != info.inputSize()) {
            throw new IllegalArgumentException("data kind " + this.data + " does not match the model's input size "
                    + info.inputSize());
        }
        if (normalizer.features() != info.inputSize()) {
            throw new IllegalArgumentException("normalizer has " + normalizer.features()
                    + " features, the model takes " + info.inputSize());
        }
        this.loss = ReconstructionLosses.forName(info.loss(), info.lossClass());
        ComputationGraphConfiguration conf = graph.getConfiguration();
        String decoderOut = info.decoderOutput();
        Activation decoderAct = Activation.valueOf(info.decoderActivation());
        String beforeLoss = decoderAct == Activation.IDENTITY ? beforeLossLayer(conf, decoderOut) : null;
        if (beforeLoss != null) {
            // the loss layer only applies its activation in inference: run the graph up to the vertex it
            // reads and apply the activation in Java, so the fused errors get the pre-activation output
            // (binary cross-entropy from the logits, no clipped probabilities); same reconstructions
            decoderAct = lossLayerActivation(conf, decoderOut);
            decoderOut = beforeLoss;
        }
        this.decoderActivation = decoderAct;
        int replicas = GraphPool.DEFAULT_MAX;
        this.encoderGraph = new GraphPool(Subgraphs.instantiate(Subgraphs.upTo(conf, ModelSpec.LATENT), graph), replicas);
        this.decoderGraph = new GraphPool(Subgraphs.instantiate(
                Subgraphs.between(conf, ModelSpec.LATENT, decoderOut), graph), replicas);
        this.reconstructionGraph = new GraphPool(
                Subgraphs.instantiate(Subgraphs.upTo(conf, decoderOut), graph), replicas);

    }

    /**
     * The vertex a plain DL4J loss layer at {@code out} reads, when that layer has an identity or
     * sigmoid activation, no preprocessor and one input that is neither a network input nor the
     * latent vertex; null otherwise.
     */
    private static String beforeLossLayer(ComputationGraphConfiguration conf, String out) {
        if (!(conf.getVertices().get(out) instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv)
                || lv.getPreProcessor() != null || lv.getLayerConf() == null
                || lv.getLayerConf().getLayer().getClass() != org.deeplearning4j.nn.conf.layers.LossLayer.class
                || lossLayerActivation(conf, out) == null) {
            return null;
        }
        java.util.List<String> in = conf.getVertexInputs().get(out);
        if (in == null || in.size() != 1 || conf.getNetworkInputs().contains(in.get(0))
                || ModelSpec.LATENT.equals(in.get(0)) || !conf.getVertices().containsKey(in.get(0))) {
            return null;
        }
        return in.get(0);
    }

    /** The loss layer's activation at {@code out} when it is identity or sigmoid, else null. */
    private static Activation lossLayerActivation(ComputationGraphConfiguration conf, String out) {
        org.nd4j.linalg.activations.IActivation a = ((org.deeplearning4j.nn.conf.layers.LossLayer)
                ((org.deeplearning4j.nn.conf.graph.LayerVertex) conf.getVertices().get(out)).getLayerConf().getLayer())
                .getActivationFn();
        if (a instanceof org.nd4j.linalg.activations.impl.ActivationSigmoid) {
            return Activation.SIGMOID;
        }
        return a instanceof org.nd4j.linalg.activations.impl.ActivationIdentity ? Activation.IDENTITY : null;
    }

    // ------------------------------------------------------------------ training

    /**
     * Trains a new autoencoder on rows held in memory.
     *
     * @param spec      the architecture
     * @param x         training rows, shape [rows, spec.inputSize()] (normal data only, for anomaly
     *                  detection)
     * @param config    how to train
     * @param listeners progress listeners
     * @return the trained model (best validation weights when early stopping is on)
     * @throws IllegalArgumentException on rows of the wrong width, NaN/infinite values, or too few rows
     * @throws TrainingDivergedException when the loss becomes NaN or infinite
     */
    public static Autoencoder fit(ModelSpec spec, INDArray x, TrainingConfig config, TrainingListener... listeners) {
        return new AutoencoderTrainer(config, listeners).fit(spec, x);
    }

    /**
     * Trains a new autoencoder on rows streamed from a source (e.g. a CSV file larger than memory,
     * {@link io.github.ae4j.core.data.CsvRowSource}), in bounded memory.
     *
     * @param spec      the architecture
     * @param source    the training rows
     * @param config    how to train
     * @param listeners progress listeners
     * @return the trained model
     */
    public static Autoencoder fit(ModelSpec spec, RowSource source, TrainingConfig config,
                                  TrainingListener... listeners) {
        return new AutoencoderTrainer(config, listeners).fit(spec, source);
    }

    /**
     * Trains a new autoencoder on rows given as Java arrays.
     *
     * @param spec      the architecture
     * @param x         training rows
     * @param config    how to train
     * @param listeners progress listeners
     * @return the trained model
     */
    public static Autoencoder fit(ModelSpec spec, double[][] x, TrainingConfig config, TrainingListener... listeners) {
        return fit(spec, Arrays2.toMatrix(x, spec.inputSize(), "training data"), config, listeners);
    }

    /**
     * Continues training this model on new rows (warm start). The weights, the optimiser state and
     * the normaliser are kept (the normaliser is not re-fitted: new data is scaled as before); the
     * epochs, batch size, validation split and early stopping come from {@code config}. This model
     * is not changed: a new one is returned.
     *
     * @param x         rows, shape [rows, inputSize()]
     * @param config    how to train
     * @param listeners progress listeners
     * @return the further-trained model
     */
    public Autoencoder continueTraining(INDArray x, TrainingConfig config, TrainingListener... listeners) {
        return new AutoencoderTrainer(config, listeners).continueTraining(this, x).withData(data);
    }

    // ------------------------------------------------------------------ inference

    /**
     * Latent codes of rows.
     *
     * @param x rows, shape [rows, inputSize()] (or any shape whose trailing dimensions hold
     *          inputSize() values per row)
     * @return codes, shape [rows, latentSize()]
     */
    public INDArray encode(INDArray x) {
        return fewAlone(x, () -> batched(normalized(x, "x"), b -> flat(encoderGraph.with(g -> g.outputSingle(false, b)))));
    }

    /**
     * Latent codes of rows given as Java arrays.
     *
     * @param x rows
     * @return codes, one row per input row
     */
    public double[][] encode(double[][] x) {
        return encode(Arrays2.toMatrix(x, inputSize(), "x")).toDoubleMatrix();
    }

    /**
     * Decodes latent codes into reconstructions, in the raw input space.
     *
     * @param z codes, shape [rows, latentSize()]
     * @return reconstructions, shape [rows, inputSize()]
     */
    public INDArray decode(INDArray z) {
        INDArray zz = checked(z, latentSize(), "z", "latent values");
        INDArray out = batched(zz, b -> activate(flat(decoderGraph.with(g -> g.outputSingle(false, b)))));
        return normalizer.inverse(out);
    }

    /**
     * Reconstructions of rows, in the raw input space.
     *
     * @param x rows, shape [rows, inputSize()]
     * @return reconstructions, shape [rows, inputSize()]
     */
    public INDArray reconstruct(INDArray x) {
        return normalizer.inverse(reconstructNormalized(normalized(x, "x")));
    }

    /**
     * Per-row reconstruction error: the loss's per-feature error averaged over features, computed in
     * the normalised space. Higher means the row fits the training data worse.
     *
     * @param x rows, shape [rows, inputSize()]
     * @return errors, shape [rows]
     */
    public INDArray reconstructionError(INDArray x) {
        return fewAlone(x, () -> errorsOf(x));
    }

    /** Calls of at most this many rows run their native ops on the calling thread alone ({@link #fewAlone}). */
    static final int ALONE_ROWS = 4;

    /**
     * Runs a call's work with the calling thread's OpenMP count at 1 when it has at most {@link #ALONE_ROWS} rows
     * (CPU backend): each native op then opens no two-thread team (a wake-up and a barrier per op). The conv
     * reference net's single-row {@code reconstructionError} took 0.87-1.01 ms with two threads per op and 0.31 ms
     * with one ({@code ae4j bench --arch conv}, alternating processes with {@code OMP_NUM_THREADS=2} and 1). Used by
     * the per-row entry points a detector's scoring calls ({@link #reconstructionError}, {@link #featureErrors},
     * {@link #encode}).
     */
    private INDArray fewAlone(INDArray x, java.util.function.Supplier<INDArray> work) {
        if (x != null && !x.isEmpty() && (x.rank() == 1 || x.rank() >= 2 && x.size(0) <= ALONE_ROWS)
                && io.github.ae4j.core.internal.OpenMp.cpu()) {
            return io.github.ae4j.core.internal.OpenMp.onOneThread(work);
        }
        return work.get();
    }

    private INDArray errorsOf(INDArray x) {
        if (x != null && x.rank() >= 1 && !x.isEmpty() && (x.rank() == 1 || x.size(0) <= JavaChain.MAX_ROWS)
                && JavaChain.supports(loss, decoderActivation)) {
            INDArray e = javaErrors(x);
            if (e != null) {
                return e;
            }
        }
        INDArray rows = shapeChecked(x, inputSize(), "x", "features");
        boolean plain = normalizer.type() == Normalization.NONE && rows.dataType() == DataType.FLOAT
                && rows.ordering() == 'c' && rows.elementWiseStride() == 1;
        boolean java = errorsInJava(rows.size(0));
        if (plain && java) {
            // read in place; the scorer checks the values as it reads them (requireFinite's sum was ~0.6 ms of a
            // 1,024-row call)
            INDArray e = denseChainErrors(rows);
            if (e != null) {
                return e;
            }
        }
        Arrays2.requireFinite(rows, "x");
        // without normalisation the rows are only read: no copy (transform's copy was ~10% of a 1,024-row call)
        INDArray xn = plain ? rows : normalizer.transform(rows);
        if (!plain && java) {
            INDArray e = denseChainErrors(xn);
            if (e != null) {
                return e;
            }
        }
        // a chain of layers: run in a reused workspace, WORKSPACE_ROWS rows at a time, so a call leaves no arrays
        // behind for the garbage collector (the graph's outputSingle keeps every activation outside its workspaces)
        INDArray e = reconstructionGraph.with(g -> {
            LayerChain chain = chainOf(g);
            return chain == null ? null : batched(xn, WORKSPACE_ROWS, b -> chain.inWorkspace(forward -> {
                INDArray z = flat(forward.apply(b));
                INDArray err = errorsInJava(b.size(0)) ? JavaChain.rowErrors(b, z, loss)
                        : FusedErrors.perRow(loss, decoderActivation, b, z);
                return err.reshape(b.size(0), 1).detach();
            }));
        });
        if (e == null) {
            e = batched(xn, b -> {
                INDArray z = flat(reconstructionGraph.with(g -> g.outputSingle(false, b)));
                return FusedErrors.perRow(loss, decoderActivation, b, z).reshape(b.size(0), 1);
            });
        }
        // ND4J leaves native garbage per call here (shape information, views; the graph path its activations)
        if (xn.size(0) > FEW_ROWS) {
            garbage.checkNow();
        } else {
            garbage.check();
        }
        return e.reshape(xn.size(0));
    }

    /**
     * Errors of a dense chain (products on oneDNN/OpenBLAS directly, errors in Java, any number of rows), or null
     * when the reconstruction graph is not one ({@link DenseChainScorer}).
     */
    private INDArray denseChainErrors(INDArray xn) {
        return reconstructionGraph.with(g -> {
            DenseChainScorer s = scorerOf(g);
            return s == null || s.inputSize() != inputSize() ? null : s.errors(xn, loss);
        });
    }

    /**
     * Whether errors of this many rows are computed in Java ({@link JavaChain#rowErrors}) rather than by
     * {@link FusedErrors}' ND4J ops: always for MSE and MAE (a few operations per value), and for up to
     * {@link #FEW_ROWS} rows for the losses with a logarithm or exponential per value (binary cross-entropy, MSE after
     * a sigmoid: in Java those took ~32 ms more per 1,024 conv rows than the vectorised ops, while for a few rows the
     * ops' per-call cost and garbage dominate).
     */
    private boolean errorsInJava(long rows) {
        return JavaChain.supports(loss, decoderActivation) && (rows <= FEW_ROWS
                || loss == ReconstructionLosses.mse() || loss == ReconstructionLosses.mae());
    }

    /**
     * Errors of one or a few rows in plain Java ({@link JavaChain}), or null when the reconstruction
     * graph is not a chain of small dense layers. The input checks are those of the other paths: the
     * same messages for a wrong width or a non-finite value.
     */
    private INDArray javaErrors(INDArray x) {
        INDArray rows = x.rank() == 1 ? x.reshape(1, x.length()) : x;
        if (rows.length() / rows.size(0) != inputSize() || rows.rank() != 2) {
            return null;   // the general path reports the shape
        }
        return reconstructionGraph.with(g -> {
            LayerChain chain = chainOf(g);
            JavaChain j = chain == null ? null : chain.java();
            if (j == null || j.inputSize() != inputSize()) {
                return null;
            }
            float[][] raw = rows.toFloatMatrix();
            float[] errors = new float[raw.length];
            for (int i = 0; i < raw.length; i++) {
                for (float v : raw[i]) {
                    if (!Float.isFinite(v)) {
                        Arrays2.requireFinite(rows, "x");   // throws with the row and column
                    }
                }
                errors[i] = (float) j.error(normalizer.transformRow(raw[i]), loss);
            }
            return Nd4j.createFromArray(errors);
        });
    }

    /** @return the activation applied in Java to the reconstruction graph's output (for tests) */
    Activation scoringActivation() {
        return decoderActivation;
    }

    /** The dense-chain scorer of a replica of the reconstruction graph (null when it is none), built once. */
    private DenseChainScorer scorerOf(ComputationGraph g) {
        synchronized (scorers) {
            return scorers.computeIfAbsent(g, k -> Optional.ofNullable(DenseChainScorer.of(k))).orElse(null);
        }
    }

    /** The layer chain of a replica of the reconstruction graph (null when it is no chain), built once. */
    private LayerChain chainOf(ComputationGraph g) {
        synchronized (chains) {
            return chains.computeIfAbsent(g, k -> Optional.ofNullable(LayerChain.of(k))).orElse(null);
        }
    }

    /**
     * Per-row reconstruction error of rows given as Java arrays.
     *
     * @param x rows
     * @return one error per row
     */
    public double[] reconstructionError(double[][] x) {
        return reconstructionError(Arrays2.toMatrix(x, inputSize(), "x")).toDoubleVector();
    }

    /**
     * Per-feature reconstruction error, in the normalised space: which features a row fails to
     * reconstruct.
     *
     * @param x rows, shape [rows, inputSize()]
     * @return errors, shape [rows, inputSize()]
     */
    public INDArray featureErrors(INDArray x) {
        return fewAlone(x, () -> batched(normalized(x, "x"), b -> loss.perFeature(b, reconstructNormalized(b))));
    }

    /**
     * Activations of named vertices of the training graph, for normalised rows, at inference (no
     * dropout, no sampling). For extensions that need more than encode/decode (e.g. the latent mean
     * and variance of a variational model). Thread-safe.
     *
     * @param normalizedX normalised rows (see {@link #normalize(INDArray)})
     * @param vertices    names of graph vertices
     * @return one array per vertex, in the order asked
     */
    public INDArray[] activations(INDArray normalizedX, String... vertices) {
        INDArray in = normalizedX.castTo(DataType.FLOAT);
        GraphPool pool = activationGraph;
        if (pool == null) {
            synchronized (graph) {
                pool = activationGraph;
                if (pool == null) {
                    pool = new GraphPool(graph.clone(), GraphPool.DEFAULT_MAX);
                    activationGraph = pool;
                }
            }
        }
        return pool.with(g -> g.output(Arrays.asList(vertices), false, new INDArray[] {in}, null));
    }

    /**
     * Applies the stored normaliser (checking width and values first).
     *
     * @param x raw rows
     * @return normalised rows, a new float array
     */
    public INDArray normalize(INDArray x) {
        return normalized(x, "x");
    }

    private INDArray reconstructNormalized(INDArray xn) {
        return batched(xn, b -> activate(flat(reconstructionGraph.with(g -> g.outputSingle(false, b)))));
    }

    private INDArray activate(INDArray a) {
        if (decoderActivation == Activation.IDENTITY) {
            return a;
        }
        return decoderActivation.getActivationFunction().getActivation(a.dup(), false);
    }

    private static INDArray flat(INDArray a) {
        return a.rank() == 2 ? a : a.reshape(a.size(0), -1);
    }

    private INDArray normalized(INDArray x, String what) {
        return normalizer.transform(checked(x, inputSize(), what, "features"));
    }

    private static INDArray checked(INDArray x, int width, String what, String unit) {
        INDArray r = shapeChecked(x, width, what, unit);
        Arrays2.requireFinite(r, what);
        return r;
    }

    /** {@link #checked} without the finiteness check (for a path that checks the values it reads itself). */
    private static INDArray shapeChecked(INDArray x, int width, String what, String unit) {
        Objects.requireNonNull(x, what);
        if (x.rank() < 1 || x.isEmpty() || x.size(0) == 0) {
            throw new IllegalArgumentException(what + " is empty: expected at least one row of " + width + " " + unit);
        }
        INDArray r = x.rank() == 1 ? x.reshape(1, x.length()) : x;
        long cols = r.length() / r.size(0);
        if (cols != width) {
            throw new IllegalArgumentException("expected " + width + " " + unit + " per row, got " + cols
                    + " (" + what + " has shape " + Arrays.toString(x.shape()) + ")");
        }
        return r.rank() == 2 ? r : r.reshape(r.size(0), cols);
    }

    private INDArray batched(INDArray x, java.util.function.UnaryOperator<INDArray> f) {
        return batched(x, inferenceRows(), f);
    }

    /** Rows per pass of the inference methods ({@link #rowsPerPass}), worked out once. */
    private int inferenceRows() {
        int r = inferenceRows;
        if (r == 0) {
            r = rowsPerPass(graph.getConfiguration(), info.inputShape());
            inferenceRows = r;
        }
        return r;
    }

    /**
     * As many rows as keep one pass's activations within {@link #PASS_FLOATS}, between 16 and
     * {@link #INFERENCE_BATCH}: the activations per row from the configuration's shape inference on rows of the
     * model's input shape ({@code convolutionalFlat} for {@code [h, w, c]}, as the specs declare it, else
     * {@code feedForward}); {@link #INFERENCE_BATCH} where the inference fails (a custom vertex without it).
     *
     * @param conf  the graph's configuration (not changed: a copy is inferred, with any preprocessor it lacks)
     * @param shape the per-example input shape
     * @return rows per pass
     */
    static int rowsPerPass(org.deeplearning4j.nn.conf.ComputationGraphConfiguration conf, int[] shape) {
        long values = 1;
        for (int d : shape) {
            values *= d;
        }
        try {
            org.deeplearning4j.nn.conf.inputs.InputType in = shape.length == 3
                    ? org.deeplearning4j.nn.conf.inputs.InputType.convolutionalFlat(shape[0], shape[1], shape[2])
                    : org.deeplearning4j.nn.conf.inputs.InputType.feedForward(values);
            long perRow = 0;   // the map holds the input vertex too
            for (org.deeplearning4j.nn.conf.inputs.InputType t : conf.clone().getLayerActivationTypes(true, false, in)
                    .values()) {
                perRow += t.arrayElementsPerExample();
            }
            return (int) Math.max(16, Math.min(INFERENCE_BATCH, PASS_FLOATS / Math.max(1, perRow)));
        } catch (RuntimeException e) {   // DL4J's shape inference reports what it cannot infer this way
            return INFERENCE_BATCH;
        }
    }

    private static INDArray batched(INDArray x, int size, java.util.function.UnaryOperator<INDArray> f) {
        long n = x.size(0);
        if (n <= size) {
            return f.apply(x);
        }
        INDArray[] parts = new INDArray[(int) ((n + size - 1) / size)];
        for (int i = 0; i < parts.length; i++) {
            long from = (long) i * size;
            long to = Math.min(n, from + size);
            parts[i] = f.apply(x.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()));
        }
        return Nd4j.vstack(parts);
    }

    // ------------------------------------------------------------------ accessors

    /** @return values per input row */
    public int inputSize() {
        return info.inputSize();
    }

    /** @return the per-example input shape (e.g. {@code [28, 28, 1]} for images) */
    public int[] inputShape() {
        return info.inputShape().clone();
    }

    /** @return values per latent code */
    public int latentSize() {
        return info.latentSize();
    }

    /** @return the model family ({@code autoencoder}, {@code variational}) */
    public String kind() {
        return info.kind();
    }

    /** @return the fitted normaliser */
    public Normalizer normalizer() {
        return normalizer;
    }

    /** @return the reconstruction loss used for errors */
    public ReconstructionLoss loss() {
        return loss;
    }

    /** @return what was recorded about this model */
    public ModelInfo info() {
        return info;
    }

    /**
     * The kind of data the model was trained on: a table (see {@link #schema()}), images of a shape,
     * or plain rows. Recorded by {@link #withData} or {@link #withSchema}; for files written before
     * it was a typed field, read from the command line's old extras key, else inferred (a schema
     * means a table, a 3-d input shape means images).
     *
     * @return the kind of data
     */
    public DataKind data() {
        return data;
    }

    /**
     * A copy that records the kind of data it was trained on.
     *
     * @param d the kind (an image shape must hold {@link #inputSize()} values)
     * @return the copy (sharing this model's weights)
     */
    public Autoencoder withData(DataKind d) {
        Objects.requireNonNull(d, "d");
        return new Autoencoder(graph, normalizer, info, schema, d);
    }

    private static DataKind inferData(ModelInfo info, TabularSchema schema) {
        java.util.Optional<DataKind> legacy = DataKind.fromLegacyExtras(info.extras());
        if (legacy.isPresent()) {
            return legacy.get();
        }
        if (schema != null) {
            return DataKind.table();
        }
        int[] s = info.inputShape();
        if (s != null && s.length == 3 && s[0] > 0 && s[1] > 0 && s[2] > 0) {
            return DataKind.image(s[0], s[1], s[2]);
        }
        return DataKind.rows();
    }

    /** @return the tabular schema (column names, categories, imputation values), if trained from a table */
    public Optional<TabularSchema> schema() {
        return Optional.ofNullable(schema);
    }

    /**
     * A copy of the training graph, for advanced use (its layers, its configuration). Changing the
     * copy does not change this model.
     *
     * @return a copy of the graph
     */
    public ComputationGraph graph() {
        synchronized (graph) {
            return graph.clone();
        }
    }

    /**
     * A copy that records a tabular schema (used by the command line and CSV helpers).
     *
     * @param s the schema, or null
     * @return the copy (sharing this model's weights, which are never modified)
     */
    public Autoencoder withSchema(TabularSchema s) {
        ModelInfo i = info.provenance() == null ? info : info.withProvenance(info.provenance().withSchema(s));
        return new Autoencoder(graph, normalizer, i, s, s != null && data.type() == DataKind.Type.ROWS
                ? DataKind.table() : data);
    }

    /**
     * A copy with one extra metadata value (for modules: image shape, variational settings, ...).
     *
     * @param key   the key
     * @param value a plain value, list or map
     * @return the copy
     */
    public Autoencoder withExtra(String key, Object value) {
        Map<String, Object> e = new LinkedHashMap<>(info.extras() == null ? Map.of() : info.extras());
        e.put(key, value);
        return new Autoencoder(graph, normalizer, info.withExtras(e), schema, data);
    }

    // ------------------------------------------------------------------ persistence

    /**
     * Saves the model as one file (graph JSON, weights, optimiser state, normaliser, metadata),
     * atomically: a temporary file in the same folder is written, then moved into place.
     *
     * @param path the file
     * @throws IOException on I/O failure (the previous file, if any, is left intact)
     */
    public void save(Path path) throws IOException {
        ModelFile.write(path, this, Map.of());
    }

    /**
     * Loads a model saved by {@link #save(Path)} (or a detector file, ignoring the detector part).
     * Safe on untrusted files: no Java deserialisation, size caps on every entry, checksums checked.
     *
     * @param path the file
     * @return the model
     * @throws IOException when the file is missing, truncated, corrupt, or of a newer format
     */
    public static Autoencoder load(Path path) throws IOException {
        return ModelFile.read(path).model();
    }

    /**
     * Rebuilds a model from its parts (used by {@link ModelFile}).
     *
     * @param graph      the graph with its weights
     * @param normalizer the normaliser
     * @param info       the metadata
     * @param schema     the tabular schema, or null
     * @return the model
     */
    public static Autoencoder restore(ComputationGraph graph, Normalizer normalizer, ModelInfo info,
                                      TabularSchema schema) {
        return new Autoencoder(graph, normalizer, info, schema);
    }

    /**
     * Rebuilds a model from its parts, with the kind of data it was trained on (used by {@link ModelFile}).
     *
     * @param graph      the graph with its weights
     * @param normalizer the normaliser
     * @param info       the metadata
     * @param schema     the tabular schema, or null
     * @param data       the kind of data, or null to infer it (older files)
     * @return the model
     */
    public static Autoencoder restore(ComputationGraph graph, Normalizer normalizer, ModelInfo info,
                                      TabularSchema schema, DataKind data) {
        return new Autoencoder(graph, normalizer, info, schema, data);
    }

    /**
     * The training graph itself, not a copy, for {@link ModelFile} and trainers in other modules.
     * Callers must not modify it and must synchronise on it while using it.
     *
     * @return the graph
     */
    public ComputationGraph sharedGraph() {
        return graph;
    }

    @Override
    public String toString() {
        return "Autoencoder[" + info.kind() + ", " + info.spec().getOrDefault("name", "?") + ", input "
                + inputSize() + ", latent " + latentSize() + ", loss " + loss.name() + "]";
    }
}
