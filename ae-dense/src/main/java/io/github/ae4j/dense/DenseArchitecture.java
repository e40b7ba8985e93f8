package io.github.ae4j.dense;

import io.github.ae4j.core.ModelSpec;
import io.github.ae4j.core.ReconstructionLosses;
import io.github.ae4j.core.plugin.ArchitectureOption;
import io.github.ae4j.core.plugin.ArchitectureProvider;
import io.github.ae4j.core.plugin.ArchitectureRequest;
import io.github.ae4j.core.plugin.Architectures;
import java.util.List;

/**
 * The {@code dense} architecture as a plugin ({@code ae4j train --arch dense}): a funnel of fully
 * connected layers sized from the data ({@link DenseAutoencoder#defaults(int)}); binary cross-entropy
 * for images scaled into [0, 1].
 */
public final class DenseArchitecture implements ArchitectureProvider {

    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public DenseArchitecture() {
    }

    @Override
    public String name() {
        return "dense";
    }

    @Override
    public String description() {
        return "fully connected funnel autoencoder, sized from the data (tables; also images as flat rows)";
    }

    @Override
    public List<ArchitectureOption> options() {
        return List.of(new ArchitectureOption(Architectures.LATENT, "bottleneck size", "derived from the width"),
                new ArchitectureOption(Architectures.HIDDEN, "encoder hidden sizes, e.g. 64,32 (mirrored by the"
                        + " decoder)", "halving from the width"),
                Architectures.lossOption("mse; bce for images scaled into [0, 1]"));
    }

    @Override
    public ModelSpec build(ArchitectureRequest r) {
        DenseAutoencoder.Builder b = DenseAutoencoder.defaults(r.inputSize());
        if (r.intsOption(Architectures.HIDDEN) != null) {
            b.hidden(r.intsOption(Architectures.HIDDEN));
        }
        if (r.intOption(Architectures.LATENT) != null) {
            b.latent(r.intOption(Architectures.LATENT));
        }
        if (r.loss() != null) {
            b.loss(r.loss());
        } else if (r.unitRange() && r.data().isImage()) {
            b.loss(ReconstructionLosses.binaryCrossEntropy());
        }
        return b.build();
    }
}
