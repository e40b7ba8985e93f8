package io.github.ae4j.variational;

import io.github.ae4j.core.ModelSpec;
import io.github.ae4j.core.plugin.ArchitectureOption;
import io.github.ae4j.core.plugin.ArchitectureProvider;
import io.github.ae4j.core.plugin.ArchitectureRequest;
import io.github.ae4j.core.plugin.Architectures;
import java.util.List;

/**
 * The {@code vae} architecture as a plugin ({@code ae4j train --arch vae}): a variational
 * autoencoder with a Bernoulli likelihood for data scaled into [0, 1], Gaussian otherwise.
 */
public final class VaeArchitecture implements ArchitectureProvider {

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public VaeArchitecture() {
    }

    @Override
    public String name() {
        return "vae";
    }

    @Override
    public String description() {
        return "variational autoencoder (tables or images as flat rows); probabilistic scores and generation";
    }

    @Override
    public List<ArchitectureOption> options() {
        return List.of(new ArchitectureOption(Architectures.LATENT, "latent size", "derived from the width"),
                new ArchitectureOption(Architectures.HIDDEN, "encoder hidden sizes, e.g. 256,128",
                        "derived from the width"),
                new ArchitectureOption("beta", "weight of the KL term (beta-VAE)", "1"));
    }

    @Override
    public ModelSpec build(ArchitectureRequest r) {
        VariationalAutoencoder.Builder b = VariationalAutoencoder.builder(r.inputSize())
                .distribution(r.unitRange() ? Distribution.BERNOULLI : Distribution.GAUSSIAN);
        if (r.intsOption(Architectures.HIDDEN) != null) {
            b.hidden(r.intsOption(Architectures.HIDDEN));
        }
        if (r.intOption(Architectures.LATENT) != null) {
            b.latent(r.intOption(Architectures.LATENT));
        }
        if (r.doubleOption("beta") != null) {
            b.beta(r.doubleOption("beta"));
        }
        return b.build();
    }
}
