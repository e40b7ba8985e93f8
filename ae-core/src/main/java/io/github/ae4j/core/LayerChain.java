package io.github.ae4j.core;

import io.github.ae4j.core.internal.GraphPool;
import io.github.ae4j.core.internal.NativeOp;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The low-overhead inference path for a few rows: a graph whose vertices form a chain (one input,
 * each layer reading the one before it, as in every dense and convolutional autoencoder of ae4j) run
 * layer by layer, skipping the graph's per-call bookkeeping, with every array of the call (the
 * normalised input, the activations, the errors' temporaries) in one workspace per thread that is
 * sized on the first call and reused after: no allocation per call once warm. The runtime layers
 * belong to one graph replica, so an instance is used by one thread at a time (through
 * {@link GraphPool}).
 */
final class LayerChain {

    private static final String WORKSPACE = "ae4j-few-rows";
    private static final WorkspaceConfiguration CONFIG = WorkspaceConfiguration.builder()
            .initialSize(0)
            .overallocationLimit(0.2)
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policyReset(ResetPolicy.BLOCK_LEFT)
            .policySpill(SpillPolicy.REALLOCATE)
            .build();

    private final List<Layer> layers;
    private final List<InputPreProcessor> preProcessors;
    private final List<DenseStep> dense;
    private final LayerWorkspaceMgr mgr;
    private JavaChain java;
    private boolean javaTried;

    private LayerChain(List<Layer> layers, List<InputPreProcessor> preProcessors) {
        this.layers = layers;
        this.preProcessors = preProcessors;
        this.dense = new ArrayList<>();
        for (Layer l : layers) {
            dense.add(DenseStep.of(l));
        }
        LayerWorkspaceMgr.Builder b = LayerWorkspaceMgr.builder();
        for (ArrayType t : ArrayType.values()) {
            b.with(t, WORKSPACE, CONFIG);
        }
        this.mgr = b.build();
    }

    /**
     * The chain of a graph's layers, or null when the graph is not a plain chain (several inputs
     * or outputs, a vertex that is not a layer, a layer reading two vertices).
     *
     * @param g the graph
     * @return the chain, or null
     */
    static LayerChain of(ComputationGraph g) {
        List<org.deeplearning4j.nn.graph.vertex.impl.LayerVertex> chain = vertices(g);
        if (chain == null) {
            return null;
        }
        List<Layer> layers = new ArrayList<>();
        List<InputPreProcessor> pre = new ArrayList<>();
        for (var lv : chain) {
            layers.add(lv.getLayer());
            pre.add(lv.getLayerPreProcessor());
        }
        return new LayerChain(layers, pre);
    }

    /**
     * The layer vertices of a graph that is a plain chain (one input, each layer reading the one before it, the last
     * the network's output), in order; null when it is not one.
     *
     * @param g the graph
     * @return the vertices, or null
     */
    static List<org.deeplearning4j.nn.graph.vertex.impl.LayerVertex> vertices(ComputationGraph g) {
        if (g.getConfiguration().getNetworkInputs().size() != 1 || g.getConfiguration().getNetworkOutputs().size() != 1) {
            return null;
        }
        GraphVertex[] vertices = g.getVertices();
        List<org.deeplearning4j.nn.graph.vertex.impl.LayerVertex> chain = new ArrayList<>();
        int previous = -1;
        for (int i : g.topologicalSortOrder()) {
            GraphVertex v = vertices[i];
            if (v.isInputVertex()) {
                if (previous != -1) {
                    return null;
                }
                previous = i;
                continue;
            }
            VertexIndices[] in = v.getInputVertices();
            if (!v.hasLayer() || !(v instanceof org.deeplearning4j.nn.graph.vertex.impl.LayerVertex lv) || in == null
                    || in.length != 1 || in[0].getVertexIndex() != previous) {
                return null;
            }
            chain.add(lv);
            previous = i;
        }
        if (chain.isEmpty() || !vertices[previous].getVertexName().equals(
                g.getConfiguration().getNetworkOutputs().get(0))) {
            return null;
        }
        return chain;
    }

    /**
     * Runs {@code f} inside this thread's reused workspace with a forward function of the chain; what
     * {@code f} returns must be detached from the workspace ({@link INDArray#detach()}) before it
     * returns.
     *
     * @param f   the work: gets the forward function (input rows to the chain's output, inference)
     * @param <T> its result
     * @return the result
     */
    @SuppressWarnings("try")
    <T> T inWorkspace(Function<Function<INDArray, INDArray>, T> f) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIG, WORKSPACE)) {
            return f.apply(this::forward);
        }
    }

    /**
     * The plain-Java path of this chain for one or a few rows, built on first use; null when the
     * chain is not made of small dense layers {@link JavaChain} covers.
     *
     * @return the Java chain, or null
     */
    JavaChain java() {
        if (!javaTried) {
            java = JavaChain.of(layers, preProcessors);
            javaTried = true;
        }
        return java;
    }

    private INDArray forward(INDArray x) {
        INDArray a = x;
        int n = (int) x.size(0);
        for (int i = 0; i < layers.size(); i++) {
            InputPreProcessor p = preProcessors.get(i);
            if (p != null) {
                a = p.preProcess(a, n, mgr);
            }
            DenseStep d = dense.get(i);
            a = d != null ? d.forward(a, mgr) : layers.get(i).activate(a, false, mgr);
        }
        for (Layer l : layers) {
            l.clear();
        }
        return a;
    }

    /**
     * A plain dense layer (bias, no layer normalisation, no weight noise) computed as one libnd4j
     * {@code matmul} through a reused op context, a bias row added and the activation applied in
     * place: for a few rows ~4x faster than DL4J's {@code DenseLayer.activate}, whose
     * {@code INDArray.mmul} costs ~120 us for one 784-wide row on 2 cores (~27 us this way).
     */
    private static final class DenseStep {
        private final Layer layer;
        private final NativeOp matmul = NativeOp.of("matmul");

        private DenseStep(Layer layer) {
            this.layer = layer;
        }

        static DenseStep of(Layer l) {
            // DL4J's dense layer or ae4j's NativeDense runtime layer (a subclass with the same parameters)
            if (!(l instanceof org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer)
                    || !(l.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.DenseLayer)) {
                return null;
            }
            org.deeplearning4j.nn.conf.layers.DenseLayer c =
                    (org.deeplearning4j.nn.conf.layers.DenseLayer) l.conf().getLayer();
            if (!c.hasBias() || c.hasLayerNorm() || c.getWeightNoise() != null || c.getActivationFn() == null) {
                return null;
            }
            return new DenseStep(l);
        }

        INDArray forward(INDArray x, LayerWorkspaceMgr mgr) {
            INDArray w = layer.getParam(DefaultParamInitializer.WEIGHT_KEY);
            INDArray b = layer.getParam(DefaultParamInitializer.BIAS_KEY);
            if (x.rank() != 2 || x.size(1) != w.size(0)) {
                return layer.activate(x, false, mgr);   // DL4J's own error for a wrong width
            }
            INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), x.size(0), w.size(1));
            matmul.exec(new INDArray[] {x, w}, out);
            out.addiRowVector(b);
            return layer.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BaseLayer bl
                    ? bl.getActivationFn().getActivation(out, false) : out;
        }
    }
}
