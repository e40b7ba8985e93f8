package io.github.ae4j.conv.series;

import io.github.ae4j.core.ModelSpec;
import io.github.ae4j.core.plugin.ArchitectureOption;
import io.github.ae4j.core.plugin.ArchitectureProvider;
import io.github.ae4j.core.plugin.ArchitectureRequest;
import io.github.ae4j.core.plugin.Architectures;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What the window-model architecture plugins ({@code lstm}, {@code conv1d}) share: the
 * {@value #WINDOW} option (points per window, set by {@code ae4j train --window N}), from which and
 * the request's input size ({@code window * channels} values per window row) the channels follow.
 * An architecture whose options include {@value #WINDOW} is a window model to the command line.
 */
public abstract class WindowArchitecture implements ArchitectureProvider {

    /** The option holding the points per window (set by {@code --window}). */
    public static final String WINDOW = "window";

    /** For subclasses. */
    protected WindowArchitecture() {
    }

    /**
     * Whether a provider builds window models (its options include {@value #WINDOW}).
     *
     * @param p a provider
     * @return true for a window architecture
     */
    public static boolean isWindowArchitecture(ArchitectureProvider p) {
        return p.options().stream().anyMatch(o -> o.name().equals(WINDOW));
    }

    @Override
    public List<ArchitectureOption> options() {
        List<ArchitectureOption> o = new ArrayList<>();
        o.add(new ArchitectureOption(WINDOW, "points per window (set by --window; required)", "none"));
        o.addAll(modelOptions());
        return o;
    }

    /** @return the options besides {@value #WINDOW} */
    protected abstract List<ArchitectureOption> modelOptions();

    /**
     * Builds the spec for windows of a length and channel count.
     *
     * @param r        the request (options already checked)
     * @param window   points per window
     * @param channels values per point
     * @return the spec
     */
    protected abstract ModelSpec build(ArchitectureRequest r, int window, int channels);

    @Override
    public final ModelSpec build(ArchitectureRequest r) {
        Integer window = r.intOption(WINDOW);
        if (window == null) {
            throw new IllegalArgumentException("--arch " + name() + " is a window model: it needs --window N (points"
                    + " per window)");
        }
        if (window < 2) {
            throw new IllegalArgumentException("--window must be >= 2 for --arch " + name() + ", got " + window);
        }
        if (r.data().isImage() || r.inputSize() % window != 0) {
            throw new IllegalArgumentException("--arch " + name() + " takes windows of a series (" + window
                    + " points x channels), not " + r.inputSize() + " values per row of " + r.data());
        }
        return build(r, window, r.inputSize() / window);
    }

    /** Trusts ae-conv's packages (the 1-D conv model's layers live in {@code io.github.ae4j.conv.layers}). */
    @Override
    public Set<String> trustedPackages() {
        return Set.of("io.github.ae4j.conv.");
    }

    /** @return the common {@code latent} option */
    static ArchitectureOption latentOption(String dflt) {
        return new ArchitectureOption(Architectures.LATENT, "size of the dense bottleneck (set by --latent)", dflt);
    }
}
