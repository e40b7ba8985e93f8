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
 * the scaling ({@link ConvAutoencoder#lossFor}). By default the code is a dense layer of
 * {@value #DEFAULT_LATENT} units after the convolutional encoder ({@code bottleneck=conv} keeps the last
 * feature map as the code instead, the default of ae4j 0.1): on MNIST one-class the feature-map code
 * (392 values for a 784-pixel image) learned to reconstruct nearly anything, AUROC 0.69 on digit 0,
 * against 0.98 with the dense code (docs/notes/issue-14.md).
 */
public final class ConvArchitecture implements ArchitectureProvider {

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public ConvArchitecture() {
    }

    /** Size of the default dense bottleneck. */
    public static final int DEFAULT_LATENT = 32;

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
        return List.of(new ArchitectureOption(Architectures.LATENT, "size of the dense bottleneck",
                String.valueOf(DEFAULT_LATENT)),
                new ArchitectureOption("bottleneck", "dense (a dense code after the convolutions) or conv (the"
                        + " encoder's last feature map is the code)", "dense"),
                new ArchitectureOption("filters", "filters per encoder block, e.g. 16,32", "the builder's default"),
                Architectures.lossOption("bce for images scaled into [0, 1], mse otherwise"));
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
        String bottleneck = r.options().getOrDefault("bottleneck", "dense").trim();
        if (bottleneck.equals("conv")) {
            if (r.intOption(Architectures.LATENT) != null) {
                throw new IllegalArgumentException("--latent sizes a dense bottleneck: it cannot be given with"
                        + " bottleneck=conv");
            }
        } else if (bottleneck.equals("dense")) {
            Integer latent = r.intOption(Architectures.LATENT);
            b.denseBottleneck(latent != null ? latent : DEFAULT_LATENT);
        } else {
            throw new IllegalArgumentException("architecture option bottleneck must be dense or conv, got '"
                    + bottleneck + "'");
        }
        b.lossFor(r.normalization());
        if (r.loss() != null) {
            b.loss(r.loss());
        }
        return b.build();
    }
}
