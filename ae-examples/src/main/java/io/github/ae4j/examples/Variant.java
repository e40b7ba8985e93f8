package io.github.ae4j.examples;

import io.github.ae4j.anomaly.DetectorConfig;
import io.github.ae4j.anomaly.StandardizedScorer;
import io.github.ae4j.core.Corruption;
import io.github.ae4j.core.ModelSpec;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.dense.DenseAutoencoder;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

/**
 * A variant of the default detector for {@link QualityBenchmark}'s {@code --variant} option, to screen
 * candidate defaults on the same splits without editing the defaults: tokens joined by {@code +}, each
 * changing one setting of the default ({@code ""} or {@code default}: the default itself).
 * <ul>
 *   <li>{@code ensN}: ensemble of N members; {@code kN}: N neighbours in the latent term;
 *       {@code latwX}: latent term weight X;</li>
 *   <li>{@code daeX}: Gaussian input noise of standard deviation X in training (denoising);
 *       {@code maskX}: masking noise with probability X;</li>
 *   <li>{@code l2X}: L2 weight decay X; {@code dropX}: dropout X after every hidden layer;</li>
 *   <li>{@code varX}: code width from the variance fraction X (default 0.95); {@code hidX}: hidden
 *       width multiplied by X; {@code epochsN}, {@code lrX}, {@code patienceN}: training.</li>
 * </ul>
 *
 * @param text the variant as given
 */
record Variant(String text) {

    static Variant parse(String text) {
        String t = text == null ? "" : text.trim();
        return new Variant(t.equals("default") ? "" : t);
    }

    boolean isDefault() {
        return text.isEmpty();
    }

    private String[] tokens() {
        return text.isEmpty() ? new String[0] : text.split("\\+");
    }

    private static double num(String token, String prefix) {
        return Double.parseDouble(token.substring(prefix.length()));
    }

    /** The model for these rows: the default's data-sized dense model, with this variant's changes. */
    ModelSpec spec(INDArray rows) {
        double var = DenseAutoencoder.DETECTION_VARIANCE;
        double hid = 1;
        double l2 = 0;
        double drop = 0;
        boolean changed = false;
        for (String tok : tokens()) {
            if (tok.startsWith("var")) {
                var = num(tok, "var");
                changed = true;
            } else if (tok.startsWith("hid")) {
                hid = num(tok, "hid");
                changed = true;
            } else if (tok.startsWith("l2")) {
                l2 = num(tok, "l2");
                changed = true;
            } else if (tok.startsWith("drop")) {
                drop = num(tok, "drop");
                changed = true;
            }
        }
        if (!changed) {
            return DenseAutoencoder.forAnomalyDetection(rows).build();
        }
        int w = (int) rows.size(1);
        int k = Math.max(2, Math.min(Math.min(DenseAutoencoder.MAX_DEFAULT_LATENT, w - 1),
                DenseAutoencoder.varianceDimension(rows, var)));
        int h = (int) Math.round(hid * Math.min(DenseAutoencoder.MAX_DEFAULT_HIDDEN, Math.max(4 * k, w)));
        DenseAutoencoder.Builder b = DenseAutoencoder.builder(w).latent(k).hidden(Math.max(k, h));
        if (l2 > 0) {
            b.l2(l2);
        }
        if (drop > 0) {
            b.dropout(drop);
        }
        return b.build();
    }

    /** The detector configuration: {@code base} (the CLI default) with this variant's changes. */
    DetectorConfig config(DetectorConfig base) {
        DetectorConfig c = base;
        TrainingConfig tc = c.training();
        StandardizedScorer sc = StandardizedScorer.defaults();
        boolean scorerChanged = false;
        for (String tok : tokens()) {
            if (tok.startsWith("ens")) {
                c = c.withEnsembleSize((int) num(tok, "ens"));
            } else if (tok.startsWith("dae")) {
                tc = tc.withCorruption(Corruption.gaussian(num(tok, "dae")));
            } else if (tok.startsWith("mask")) {
                tc = tc.withCorruption(Corruption.masking(num(tok, "mask")));
            } else if (tok.startsWith("epochs")) {
                tc = tc.withEpochs((int) num(tok, "epochs"));
            } else if (tok.startsWith("patience")) {
                tc = tc.withPatience((int) num(tok, "patience"));
            } else if (tok.startsWith("lr")) {
                tc = tc.withUpdater(new Adam(num(tok, "lr")));
            } else if (tok.startsWith("k")) {
                sc = sc.withNeighbours((int) num(tok, "k"), StandardizedScorer.DEFAULT_REFERENCE_SIZE);
                scorerChanged = true;
            } else if (tok.startsWith("latw")) {
                sc = sc.withWeights(StandardizedScorer.DEFAULT_RECONSTRUCTION_WEIGHT, num(tok, "latw"));
                scorerChanged = true;
            } else if (!tok.startsWith("var") && !tok.startsWith("hid") && !tok.startsWith("l2")
                    && !tok.startsWith("drop")) {
                throw new IllegalArgumentException("unknown variant token '" + tok + "'");
            }
        }
        c = c.withTraining(tc);
        return scorerChanged ? c.withScorer(sc) : c;
    }

    @Override
    public String toString() {
        return text.isEmpty() ? "default" : text.toLowerCase(Locale.ROOT);
    }
}
