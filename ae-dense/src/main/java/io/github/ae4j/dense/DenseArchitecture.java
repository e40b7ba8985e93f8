package io.github.ae4j.dense;

import io.github.ae4j.core.ModelSpec;
import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.ReconstructionLosses;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.data.DataKind;
import io.github.ae4j.core.plugin.ArchitectureOption;
import io.github.ae4j.core.plugin.ArchitectureProvider;
import io.github.ae4j.core.plugin.ArchitectureRequest;
import io.github.ae4j.core.plugin.Architectures;
import java.util.List;

/**
 * The {@code dense} architecture as a plugin ({@code ae4j train --arch dense}): a funnel of fully
 * connected layers sized from the data: from the training rows' variance spectrum when the request
 * carries them ({@link DenseAutoencoder#forAnomalyDetection}, standardised tables), else from the
 * width ({@link DenseAutoencoder#defaults(int)}); binary cross-entropy for images scaled into [0, 1].
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
        DenseAutoencoder.Builder b = sizedFromRows(r) ? DenseAutoencoder.forAnomalyDetection(r.rows())
                : DenseAutoencoder.defaults(r.inputSize());
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

    /**
     * Whether the model is sized from the training rows ({@link DenseAutoencoder#forAnomalyDetection}):
     * a table or plain rows, standardised, with at least 2 rows given and neither size set by an option.
     * Otherwise (images, other scaling, no rows) the width rule of {@link DenseAutoencoder#defaults(int)}.
     *
     * @param r the request
     * @return whether the rows size the model
     */
    static boolean sizedFromRows(ArchitectureRequest r) {
        return !r.data().isImage() && r.normalization() == Normalization.STANDARD && r.rows() != null
                && r.rows().size(0) >= 2 && r.intOption(Architectures.LATENT) == null
                && r.intsOption(Architectures.HIDDEN) == null;
    }

    @Override
    public TrainingConfig defaultTraining(DataKind data, long rows) {
        return data.isImage() ? ArchitectureProvider.super.defaultTraining(data, rows)
                : TrainingConfig.defaults().withEpochs(100).withBatchSize(DenseAutoencoder.defaultBatchSize(rows));
    }
}
