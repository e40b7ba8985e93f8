package io.github.ae4j.conv.series;

import io.github.ae4j.core.ModelSpec;
import io.github.ae4j.core.plugin.ArchitectureOption;
import io.github.ae4j.core.plugin.ArchitectureRequest;
import io.github.ae4j.core.plugin.Architectures;
import java.util.List;

/**
 * The {@code conv1d} architecture as a plugin ({@code ae4j train --arch conv1d --window N}): the 1-D
 * convolutional window autoencoder of {@link SeriesAutoencoder} over windows of a multivariate
 * series.
 */
public final class Conv1dArchitecture extends WindowArchitecture {

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public Conv1dArchitecture() {
    }

    @Override
    public String name() {
        return "conv1d";
    }

    @Override
    public String description() {
        return "1-D convolutional autoencoder over windows of a time series (CSV rows = time steps, columns ="
                + " channels; needs --window N)";
    }

    @Override
    protected List<ArchitectureOption> modelOptions() {
        return List.of(latentOption("window * channels / 8, between 2 and 32"),
                new ArchitectureOption(Architectures.HIDDEN, "filters per encoder block, e.g. 32,16 (set by --hidden)",
                        "32,16"),
                new ArchitectureOption("kernel", "convolution kernel size along time", "5"));
    }

    @Override
    protected ModelSpec build(ArchitectureRequest r, int window, int channels) {
        SeriesAutoencoder.Builder b = SeriesAutoencoder.builder(window, channels);
        if (r.intOption(Architectures.LATENT) != null) {
            b.denseBottleneck(r.intOption(Architectures.LATENT));
        }
        if (r.intsOption(Architectures.HIDDEN) != null) {
            b.filters(r.intsOption(Architectures.HIDDEN));
        }
        if (r.intOption("kernel") != null) {
            b.kernel(r.intOption("kernel"));
        }
        return b.build();
    }
}
