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
        return "variational autoencoder (dense for tables; convolutional for images when the conv architecture is"
                + " on the class path); probabilistic scores and generation";
    }

    @Override
    public List<ArchitectureOption> options() {
        return List.of(new ArchitectureOption(Architectures.LATENT, "latent size", "derived from the width"),
                new ArchitectureOption(Architectures.HIDDEN, "encoder hidden sizes, e.g. 256,128",
                        "derived from the width"),
                new ArchitectureOption("beta", "weight of the KL term (beta-VAE)", "1"),
                new ArchitectureOption("filters", "images: filters per convolutional block of the conv VAE, e.g."
                        + " 16,32", "the conv architecture's default"));
    }

    @Override
    public ModelSpec build(ArchitectureRequest r) {
        VariationalAutoencoder.Builder b = convolutional(r);
        if (b == null) {
            b = VariationalAutoencoder.builder(r.inputSize());
        }
        b.distribution(r.unitRange() ? Distribution.BERNOULLI : Distribution.GAUSSIAN);
        if (b.fromArchitecture()) {
            return beta(b, r).build();
        }
        if (r.intsOption(Architectures.HIDDEN) != null) {
            b.hidden(r.intsOption(Architectures.HIDDEN));
        }
        if (r.intOption(Architectures.LATENT) != null) {
            b.latent(r.intOption(Architectures.LATENT));
        }
        return beta(b, r).build();
    }

    private static VariationalAutoencoder.Builder beta(VariationalAutoencoder.Builder b, ArchitectureRequest r) {
        if (r.doubleOption("beta") != null) {
            b.beta(r.doubleOption("beta"));
        }
        return b;
    }

    /**
     * For images, when an architecture named {@code conv} is registered: a VAE over its encoder and decoder with a
     * dense latent layer (the user's latent size, else the dense VAE's default for the width), found through the
     * registry, so ae-variational needs no ae-conv classes. Null otherwise.
     */
    private static VariationalAutoencoder.Builder convolutional(ArchitectureRequest r) {
        if (!r.data().isImage() || Architectures.find("conv").isEmpty()) {
            return null;
        }
        if (r.intsOption(Architectures.HIDDEN) != null) {
            throw new IllegalArgumentException("--hidden sets the dense VAE's layers; on images the VAE is"
                    + " convolutional: use --arch-option filters=16,32 and --latent");
        }
        int latent = r.intOption(Architectures.LATENT) != null ? r.intOption(Architectures.LATENT)
                : VariationalAutoencoder.builder(r.inputSize()).build().latentSize();
        java.util.Map<String, String> o = new java.util.TreeMap<>();
        o.put(Architectures.LATENT, Integer.toString(latent));
        if (r.options().containsKey("filters")) {
            o.put("filters", r.options().get("filters"));
        }
        ModelSpec conv = Architectures.require("conv").build(new ArchitectureRequest(r.data(), r.inputSize(),
                r.normalization(), o));
        if (!(conv instanceof io.github.ae4j.core.AutoencoderSpec a)) {
            throw new IllegalStateException("the conv architecture built a " + conv.getClass().getName()
                    + ", not an encoder-bottleneck-decoder spec");
        }
        return VariationalAutoencoder.builder(a);
    }
}
