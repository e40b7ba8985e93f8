package io.github.ae4j.examples.cli;

import io.github.ae4j.conv.ConvAutoencoder;
import io.github.ae4j.core.ModelSpec;
import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.ReconstructionLosses;
import io.github.ae4j.dense.DenseAutoencoder;
import io.github.ae4j.variational.Distribution;
import io.github.ae4j.variational.VariationalAutoencoder;
import java.util.Locale;

/** Builds the architecture for {@code ae4j train} from the options and the data (the defaults). */
final class Architectures {

    private Architectures() {
    }

    static String defaultArch(Dataset d) {
        return d.isImage() ? "conv" : "dense";
    }

    static Normalization defaultNormalization(Dataset d) {
        return d.isImage() ? Normalization.SCALE : Normalization.STANDARD;
    }

    static ModelSpec build(String arch, Dataset d, Integer latent, int[] hidden, Normalization norm) {
        int width = (int) d.x().size(1);
        boolean unit = norm == Normalization.SCALE || norm == Normalization.MINMAX;
        switch (arch.toLowerCase(Locale.ROOT)) {
            case "dense": {
                // sized from the data (variance spectrum) unless the user sizes it
                DenseAutoencoder.Builder b = hidden == null && latent == null && !d.isImage() && d.x().size(0) >= 2
                        ? DenseAutoencoder.forAnomalyDetection(d.x()) : DenseAutoencoder.defaults(width);
                if (hidden != null) {
                    b.hidden(hidden);
                }
                if (latent != null) {
                    b.latent(latent);
                }
                if (unit && d.isImage()) {
                    b.loss(ReconstructionLosses.binaryCrossEntropy());
                }
                return b.build();
            }
            case "conv": {
                if (!d.isImage()) {
                    throw new UsageException("--arch conv needs images: an image folder, an IDX file, or CSV rows with --image HxWxC");
                }
                int[] s = d.imageShape();
                ConvAutoencoder.Builder b = ConvAutoencoder.builder(s[0], s[1], s[2]);
                if (latent != null) {
                    b.denseBottleneck(latent);
                }
                b.lossFor(norm);
                return b.build();
            }
            case "vae": {
                VariationalAutoencoder.Builder b = VariationalAutoencoder.builder(width)
                        .distribution(unit ? Distribution.BERNOULLI : Distribution.GAUSSIAN);
                if (hidden != null) {
                    b.hidden(hidden);
                }
                if (latent != null) {
                    b.latent(latent);
                }
                return b.build();
            }
            default:
                throw new UsageException("--arch must be dense, conv or vae; got '" + arch + "'");
        }
    }
}
