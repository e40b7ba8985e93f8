package io.github.ae4j.conv;

import io.github.ae4j.core.ModelSpec;
import io.github.ae4j.core.plugin.ArchitectureOption;
import io.github.ae4j.core.plugin.ArchitectureProvider;
import io.github.ae4j.core.plugin.ArchitectureRequest;
import io.github.ae4j.core.plugin.Architectures;
import java.util.List;

/**
 * The {@code conv} architecture as a plugin ({@code ae4j train --arch conv}): the convolutional
 * autoencoder of {@link ConvAutoencoder#builder(int, int, int)} for images, with the loss that suits
 * the scaling ({@link ConvAutoencoder#lossFor}).
 */
public final class ConvArchitecture implements ArchitectureProvider {

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public ConvArchitecture() {
    }

    @Override
    public String name() {
        return "conv";
    }

    @Override
    public String description() {
        return "convolutional autoencoder for images (an image folder, an IDX file, or CSV rows with --image HxWxC)";
    }

    @Override
    public List<ArchitectureOption> options() {
        return List.of(new ArchitectureOption(Architectures.LATENT, "size of a dense bottleneck",
                "a convolutional bottleneck"),
                new ArchitectureOption("filters", "filters per encoder block, e.g. 16,32", "the builder's default"));
    }

    @Override
    public ModelSpec build(ArchitectureRequest r) {
        if (!r.data().isImage()) {
            throw new IllegalArgumentException("--arch conv needs images: an image folder, an IDX file, or CSV rows"
                    + " with --image HxWxC");
        }
        int[] s = r.data().imageShape();
        ConvAutoencoder.Builder b = ConvAutoencoder.builder(s[0], s[1], s[2]);
        if (r.intsOption("filters") != null) {
            b.filters(r.intsOption("filters"));
        }
        if (r.intOption(Architectures.LATENT) != null) {
            b.denseBottleneck(r.intOption(Architectures.LATENT));
        }
        b.lossFor(r.normalization());
        return b.build();
    }
}
