package io.github.ae4j.examples.cli;

import io.github.ae4j.core.ModelSpec;
import io.github.ae4j.core.ModelFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Checks the command line runs before any work starts, each a one-line call from a command: an
 * output that is one of the inputs, and sizes asked for by options ({@code --hidden},
 * {@code --latent}, {@code --batch}, {@code --count}) that could not be allocated. A failed check is a
 * {@link UsageException} (exit 2, one line), raised before ND4J allocates anything, so that no
 * option value can reach an OutOfMemoryError or a native crash.
 */
final class CliGuards {

    /** Most values in one layer's output, per row (wider layers are refused). */
    static final long MAX_LAYER_WIDTH = 1L << 24;

    private CliGuards() {
    }

    /**
     * Refuses an output that is the same file as an input (paths resolved, links followed), before
     * anything runs: writing it would destroy the input.
     *
     * @param outOption the output's option name, e.g. {@code --out}
     * @param out       the output (null or {@code -} for standard output: nothing to check)
     * @param inputs    pairs of option name and input path, e.g. {@code "--model", model, "--data", data}
     * @throws UsageException when the output is one of the inputs
     */
    static void outputIsNotAnInput(String outOption, Path out, Object... inputs) {
        if (out == null || out.toString().equals("-")) {
            return;
        }
        for (int i = 0; i + 1 < inputs.length; i += 2) {
            Path in = (Path) inputs[i + 1];
            if (in != null && sameFile(out, in)) {
                throw new UsageException(outOption + " " + out + " is the same file as " + inputs[i] + " " + in
                        + ": writing it would destroy the input; choose another output file");
            }
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) {
                return Files.isSameFile(a, b);
            }
            // the output does not exist yet: compare where it would be, with its folder's links resolved
            Path pa = a.toAbsolutePath().normalize();
            Path pb = b.toAbsolutePath().normalize();
            Path da = pa.getParent() != null && Files.isDirectory(pa.getParent()) ? pa.getParent().toRealPath() : pa.getParent();
            Path db = pb.getParent() != null && Files.isDirectory(pb.getParent()) ? pb.getParent().toRealPath() : pb.getParent();
            return da != null && da.equals(db) && pa.getFileName().equals(pb.getFileName());
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Refuses a network whose weights and activations could not be allocated: every layer at most
     * {@link #MAX_LAYER_WIDTH} wide, the parameter count at most {@link ModelFile#MAX_PARAMETERS}, and
     * weights, gradients, optimiser state and one batch's activations within the memory ND4J may use.
     * The count comes from the graph configuration, which allocates nothing.
     *
     * @param spec  the architecture built from the options
     * @param batch the mini-batch size
     * @throws UsageException when it does not fit
     */
    static void modelFits(ModelSpec spec, int batch) {
        if (batch < 1) {
            throw new UsageException("--batch must be >= 1, got " + batch);
        }
        ComputationGraphConfiguration conf;
        try {
            conf = spec.buildGraph(new Adam(1e-3), 1);
        } catch (RuntimeException e) {
            throw new UsageException("the layer sizes asked for (--hidden, --latent) do not form a network: "
                    + e.getMessage());
        }
        long params = 0;
        long activations = 0;
        for (var e : conf.getVertices().entrySet()) {
            GraphVertex v = e.getValue();
            long p = v.numParams(true);
            if (v instanceof LayerVertex lv && lv.getLayerConf() != null) {
                Layer l = lv.getLayerConf().getLayer();
                if (l instanceof FeedForwardLayer f) {
                    if (f.getNOut() > MAX_LAYER_WIDTH || f.getNIn() > MAX_LAYER_WIDTH) {
                        throw new UsageException("layer '" + e.getKey() + "' would be " + Math.max(f.getNOut(), f.getNIn())
                                + " wide, more than the limit of " + MAX_LAYER_WIDTH + ": check --hidden / --latent");
                    }
                    if (ModelSpec.LATENT.equals(e.getKey()) && f.getNOut() > spec.inputSize()) {
                        throw new UsageException("--latent " + f.getNOut() + " is more than the " + spec.inputSize()
                                + " input values: a bottleneck must be narrower than the input");
                    }
                    activations += f.getNOut();
                }
            }
            if (p < 0 || p > ModelFile.MAX_PARAMETERS || params + p > ModelFile.MAX_PARAMETERS) {
                throw new UsageException("the network asked for (--hidden, --latent) would have more than "
                        + ModelFile.MAX_PARAMETERS + " parameters (the limit of a model file): use smaller layers");
            }
            params += p;
        }
        // weights, gradients, Adam's two moments, a spare copy for the best epoch: 5 floats per parameter;
        // activations forward and backward, twice for safety
        long need = params * 4 * 5 + (long) batch * activations * 4 * 4;
        long avail = offHeapLimit();
        if (need > avail) {
            throw new UsageException(String.format(java.util.Locale.ROOT,
                    "the network asked for (%,d parameters, batch %d) needs about %,d MiB, more than the %,d MiB"
                            + " ND4J may use: use smaller --hidden / --latent / --batch, or raise"
                            + " -Dorg.bytedeco.javacpp.maxbytes", params, batch, need >> 20, avail >> 20));
        }
    }

    /**
     * Refuses a sample count whose samples could not be held: {@code count x width} numbers off-heap
     * and as text on the heap.
     *
     * @param count how many samples
     * @param width values per sample
     * @throws UsageException when they do not fit
     */
    static void samplesFit(long count, long width) {
        if (count < 1) {
            throw new UsageException("--count must be >= 1, got " + count);
        }
        if (count > Integer.MAX_VALUE / Math.max(width, 1)) {
            throw new UsageException("--count " + count + " x " + width + " values per sample is more than one"
                    + " array can hold: ask for fewer samples");
        }
        long values = count * width;
        long offHeap = values * 4 * 3;          // samples, decoder activations, a copy
        long heap = values * 8 * 2;             // doubles for writing, and their text
        if (offHeap > offHeapLimit() || heap > Runtime.getRuntime().maxMemory()) {
            throw new UsageException(String.format(java.util.Locale.ROOT,
                    "--count %,d samples of %,d values need about %,d MiB, more than this JVM may use"
                            + " (heap %,d MiB, ND4J %,d MiB): ask for fewer samples", count, width,
                    Math.max(offHeap, heap) >> 20, Runtime.getRuntime().maxMemory() >> 20, offHeapLimit() >> 20));
        }
    }

    private static long offHeapLimit() {
        long m = org.bytedeco.javacpp.Pointer.maxBytes();
        return m > 0 ? m : Runtime.getRuntime().maxMemory();
    }
}
