package io.github.ae4j.examples.cli;

import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.conv.image.AnomalyMaps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code ae4j score --maps DIR}: one anomaly-map picture (input, reconstruction, error heat map) per image. */
final class AnomalyMapFiles {

    private AnomalyMapFiles() {
    }

    static void write(Path dir, AnomalyDetector det, INDArray x, long first, String[] ids, int[] shape,
                      io.github.ae4j.anomaly.Detection scored) throws IOException {
        Files.createDirectories(dir);
        INDArray rec = det.model().reconstruct(x);
        INDArray maps = AnomalyMaps.errorMaps(det.model(), x);
        maps = maps.reshape('c', maps.size(0), maps.length() / maps.size(0));
        // white = the largest training pixel when the model scaled pixels by it, else this batch's largest value
        double white = det.model().normalizer().type() == io.github.ae4j.core.Normalization.SCALE
                ? det.model().normalizer().scale()[0] : Math.max(1e-9, x.maxNumber().doubleValue());
        for (int i = 0; i < x.size(0); i++) {
            String name = ids != null && ids[i] != null ? safe(ids[i]) : "row-" + (first + i);
            int scale = Math.max(2, 112 / Math.max(shape[0], shape[1]));
            java.awt.image.BufferedImage panels = AnomalyMaps.render(x.getRow(i, true), rec.getRow(i, true),
                    maps.getRow(i, true), shape[0], shape[1], shape[2], 0, white, scale);
            String label = String.format(java.util.Locale.ROOT, "score %.4g%s  p %.3g", scored.scores()[i],
                    scored.flags()[i] == 1 ? "  ANOMALY" : "", scored.pValues()[i]);
            java.awt.image.BufferedImage img = EvaluationPlots.annotate(panels, new String[] {label},
                    shape[0] * scale, ids != null && ids[i] != null ? ids[i] : "row " + (first + i));
            io.github.ae4j.core.io.AtomicFiles.write(dir.resolve(name + ".png"),
                    out -> javax.imageio.ImageIO.write(img, "png", out));
        }
    }

    /** A file name from an id (an image's own file name, without its extension and any folder). */
    static String safe(String id) {
        String base = id.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1);
        int dot = base.lastIndexOf('.');
        if (dot > 0) {
            base = base.substring(0, dot);
        }
        base = base.replaceAll("[^A-Za-z0-9._-]", "_");
        return base.isEmpty() ? "image" : base;
    }
}
