package io.github.ae4j.core.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Cuts parts out of a trained autoencoder graph: the encoder (input to latent), the decoder (latent
 * to reconstruction) and the inference path (input to reconstruction), as graphs of their own that
 * carry copies of the trained weights under the same layer names.
 *
 * <p>A graph takes data only at its inputs, so decoding a latent code needs a graph whose input is
 * the latent vertex. These graphs are derived from the stored graph configuration, never from the
 * encoder/decoder lambdas, so they exist for loaded models too.
 */
public final class Subgraphs {

    private Subgraphs() {
    }

    /**
     * The part of {@code full} that computes {@code output} from the network inputs.
     *
     * @param full   the full configuration
     * @param output the vertex to end at
     * @return a new configuration with that vertex as its only output
     */
    public static ComputationGraphConfiguration upTo(ComputationGraphConfiguration full, String output) {
        Set<String> keep = ancestors(full, output);
        keep.add(output);
        keep.removeAll(full.getNetworkInputs());
        return cut(full, keep, full.getNetworkInputs(), output);
    }

    /**
     * The part of {@code full} that computes {@code output} from the vertex {@code from}, which
     * becomes the network input (with the same name).
     *
     * @param full   the full configuration
     * @param from   the vertex whose output becomes the new network input
     * @param output the vertex to end at
     * @return a new configuration
     * @throws IllegalArgumentException when a vertex on the way needs anything but {@code from}
     */
    public static ComputationGraphConfiguration between(ComputationGraphConfiguration full, String from,
                                                        String output) {
        Set<String> keep = ancestors(full, output);
        keep.add(output);
        Set<String> below = ancestors(full, from);
        below.add(from);
        keep.removeAll(below);
        for (String v : keep) {
            for (String in : full.getVertexInputs().get(v)) {
                if (!keep.contains(in) && !in.equals(from)) {
                    throw new IllegalArgumentException("vertex '" + v + "' reads '" + in
                            + "', which is not computed from '" + from + "': the decoder cannot be cut out");
                }
            }
        }
        return cut(full, keep, List.of(from), output);
    }

    private static ComputationGraphConfiguration cut(ComputationGraphConfiguration full, Set<String> keep,
                                                     List<String> inputs, String output) {
        ComputationGraphConfiguration c = full.clone();
        Map<String, GraphVertex> vertices = new LinkedHashMap<>();
        Map<String, List<String>> vertexInputs = new LinkedHashMap<>();
        for (Map.Entry<String, GraphVertex> e : c.getVertices().entrySet()) {
            if (keep.contains(e.getKey())) {
                vertices.put(e.getKey(), e.getValue());
                vertexInputs.put(e.getKey(), new ArrayList<>(c.getVertexInputs().get(e.getKey())));
            }
        }
        c.setVertices(vertices);
        c.setVertexInputs(vertexInputs);
        c.setNetworkInputs(new ArrayList<>(inputs));
        c.setNetworkOutputs(new ArrayList<>(List.of(output)));
        c.setTopologicalOrder(null);
        c.setTopologicalOrderStr(null);
        c.setValidateOutputLayerConfig(false);
        c.validate(false, false);
        return c;
    }

    private static Set<String> ancestors(ComputationGraphConfiguration conf, String vertex) {
        if (!conf.getVertices().containsKey(vertex) && !conf.getNetworkInputs().contains(vertex)) {
            throw new IllegalArgumentException("the graph has no vertex '" + vertex + "'");
        }
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.add(vertex);
        while (!todo.isEmpty()) {
            List<String> ins = conf.getVertexInputs().get(todo.poll());
            if (ins == null) {
                continue;
            }
            for (String in : ins) {
                if (seen.add(in)) {
                    todo.add(in);
                }
            }
        }
        return seen;
    }

    /**
     * Builds and initialises a graph from {@code conf} and copies into it, by vertex name, the
     * parameters of the matching vertices of {@code source}.
     *
     * @param conf   the (sub)graph configuration
     * @param source the trained graph
     * @return the initialised graph holding copies of the trained weights
     */
    public static ComputationGraph instantiate(ComputationGraphConfiguration conf, ComputationGraph source) {
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        copyParams(source, g);
        return g;
    }

    /**
     * Copies parameters, vertex by vertex, for every vertex with parameters in {@code to}.
     *
     * @param from the source graph
     * @param to   the destination graph (a subgraph of the source, or the same architecture)
     */
    public static void copyParams(ComputationGraph from, ComputationGraph to) {
        for (org.deeplearning4j.nn.graph.vertex.GraphVertex v : to.getVertices()) {
            if (v.numParams() == 0) {
                continue;
            }
            org.deeplearning4j.nn.graph.vertex.GraphVertex s = from.getVertex(v.getVertexName());
            INDArray src = s == null ? null : s.params();
            INDArray dst = v.params();
            if (src == null || src.length() != dst.length()) {
                throw new IllegalStateException("cannot copy parameters of vertex '" + v.getVertexName() + "'");
            }
            dst.assign(src.reshape(dst.shape()));
        }
    }
}
