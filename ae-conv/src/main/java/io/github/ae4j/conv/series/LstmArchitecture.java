package io.github.ae4j.conv.series;

import io.github.ae4j.core.ModelSpec;
import io.github.ae4j.core.plugin.ArchitectureOption;
import io.github.ae4j.core.plugin.ArchitectureRequest;
import io.github.ae4j.core.plugin.Architectures;
import java.util.List;

/**
 * The {@code lstm} architecture as a plugin ({@code ae4j train --arch lstm --window N}): the LSTM
 * encoder-decoder window autoencoder of {@link LstmSeriesAutoencoder} (Malhotra et al. 2016) over
 * windows of a multivariate series.
 */
public final class LstmArchitecture extends WindowArchitecture {

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public LstmArchitecture() {
    }

    @Override
    public String name() {
        return "lstm";
    }

    @Override
    public String description() {
        return "LSTM encoder-decoder over windows of a time series (CSV rows = time steps, columns = channels;"
                + " needs --window N)";
    }

    @Override
    protected List<ArchitectureOption> modelOptions() {
        return List.of(latentOption("window * channels / 4, between 2 and 16"),
                new ArchitectureOption(Architectures.HIDDEN, "LSTM units per encoder layer, e.g. 32 or 64,32 (set by"
                        + " --hidden; the decoder mirrors them)", "32"));
    }

    @Override
    protected ModelSpec build(ArchitectureRequest r, int window, int channels) {
        LstmSeriesAutoencoder.Builder b = LstmSeriesAutoencoder.builder(window, channels);
        if (r.intOption(Architectures.LATENT) != null) {
            b.latent(r.intOption(Architectures.LATENT));
        }
        if (r.intsOption(Architectures.HIDDEN) != null) {
            b.hidden(r.intsOption(Architectures.HIDDEN));
        }
        return b.build();
    }
}
