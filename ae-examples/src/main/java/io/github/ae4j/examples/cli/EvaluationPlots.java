package io.github.ae4j.examples.cli;

import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.anomaly.metrics.Evaluation;
import io.github.ae4j.conv.image.AnomalyMaps;
import io.github.ae4j.core.io.AtomicFiles;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import io.github.ae4j.examples.Plots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The pictures of {@code ae4j evaluate --plots DIR}: the score histogram of normal and anomalous rows with the
 * threshold, the ROC and precision-recall curves (AUROC / AUPRC in their titles) and, for images, the most anomalous
 * inputs beside their reconstructions and anomaly maps.
 */
final class EvaluationPlots {

    /** Images shown in {@code most-anomalous.png}. */
    static final int TOP_IMAGES = 8;

    private EvaluationPlots() {
    }

    /**
     * Writes the pictures into a folder (created if needed) and returns the files written.
     *
     * @param dir    the folder
     * @param det    the detector
     * @param d      the labelled data
     * @param scores the detector's scores of {@code d}
     * @param ev     the evaluation of those scores
     * @return the files written
     * @throws IOException when a file cannot be written
     */
    static List<Path> write(Path dir, AnomalyDetector det, Dataset d, double[] scores, Evaluation ev)
            throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        String name = d.source().getFileName().toString();
        int[] y = d.labels();

        Path hist = dir.resolve("scores.png");
        Plots.scoreHistogram(hist, String.format(Locale.ROOT, "%s: anomaly scores, threshold %.4g (%s)", name,
                det.threshold().value(), det.threshold().spec()), scores, y, det.threshold().value());
        files.add(hist);

        Path roc = dir.resolve("roc.png");
        Map<String, double[]> curve = new LinkedHashMap<>();
        curve.put("ae4j detector", scores);
        Plots.roc(roc, String.format(Locale.ROOT, "%s: ROC, AUROC %.3f", name, ev.auroc()), curve, y);
        files.add(roc);

        Path pr = dir.resolve("precision-recall.png");
        Plots.precisionRecall(pr, String.format(Locale.ROOT, "%s: precision-recall, AUPRC %.3f (%d of %d rows anomalous)",
                name, ev.auprc(), IntStream.of(y).sum(), y.length), scores, y, det.threshold().value());
        files.add(pr);

        if (d.isImage()) {
            int[] s = d.imageShape();
            int[] top = IntStream.range(0, scores.length).boxed()
                    .sorted(Comparator.comparingDouble((Integer i) -> scores[i]).reversed())
                    .limit(TOP_IMAGES).mapToInt(Integer::intValue).toArray();
            INDArray x = Nd4j.pullRows(d.x(), 1, top);
            INDArray rec = det.model().reconstruct(x);
            INDArray maps = AnomalyMaps.errorMaps(det.model(), x);
            double lo = Math.min(0, d.x().minNumber().doubleValue());
            double hi = Math.max(lo + 1e-9, d.x().maxNumber().doubleValue());
            int scale = Math.max(2, 112 / Math.max(s[0], s[1]));
            BufferedImage panels = AnomalyMaps.render(x, rec, maps, s[0], s[1], s[2], lo, hi, scale);
            String[] rows = new String[top.length];
            for (int i = 0; i < top.length; i++) {
                String id = d.ids() != null ? d.ids()[top[i]] : "row " + top[i];
                rows[i] = String.format(Locale.ROOT, "%s  score %.4g  %s", id, scores[top[i]],
                        y[top[i]] == 1 ? "anomaly" : "normal");
            }
            Path img = dir.resolve("most-anomalous.png");
            BufferedImage annotated = annotate(panels, rows, s[0] * scale, name);
            AtomicFiles.write(img, out -> ImageIO.write(annotated, "png", out));
            files.add(img);
        }
        return files;
    }

    /**
     * Puts column titles above the panels (input, reconstruction, anomaly map), each row's id, score and label to
     * their right, and a colour bar for the anomaly map (dark = reconstructed well, white-hot = the largest error
     * in the picture).
     */
    static BufferedImage annotate(BufferedImage panels, String[] rows, int panelHeight, String title) {
        int top = 46;
        int right = 300;
        int bottom = 44;
        BufferedImage img = new BufferedImage(panels.getWidth() + right + 16, panels.getHeight() + top + bottom,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.drawImage(panels, 8, top, null);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            g.drawString(rows.length == 1 ? title : "most anomalous inputs of " + title, 8, 16);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            int third = (panels.getWidth() - 8) / 3;
            String[] heads = {"input", "reconstruction", "anomaly map"};
            for (int k = 0; k < 3; k++) {
                g.drawString(heads[k], 8 + 4 + k * third, top - 6);
            }
            int gap = (panels.getHeight() - rows.length * panelHeight) / (rows.length + 1);
            for (int i = 0; i < rows.length; i++) {
                int yMid = top + gap + i * (panelHeight + gap) + panelHeight / 2 + 5;
                g.drawString(rows[i], panels.getWidth() + 16, yMid);
            }
            // colour bar: the anomaly-map overlay from no error to the largest error, on a mid-grey pixel
            int barX = 8;
            int barY = top + panels.getHeight() + 10;
            int barW = Math.max(120, panels.getWidth() - 16);
            for (int x = 0; x < barW; x++) {
                g.setColor(new Color(AnomalyMaps.overlayColour(128, x / (double) (barW - 1))));
                g.fillRect(barX + x, barY, 1, 12);
            }
            g.setColor(Color.BLACK);
            g.drawRect(barX, barY, barW, 12);
            g.drawString("anomaly map: no error", barX, barY + 27);
            String hiText = "largest error shown";
            g.drawString(hiText, barX + barW - g.getFontMetrics().stringWidth(hiText), barY + 27);
        } finally {
            g.dispose();
        }
        return img;
    }
}
