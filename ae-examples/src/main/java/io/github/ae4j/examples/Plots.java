package io.github.ae4j.examples;

import io.github.ae4j.core.io.AtomicFiles;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The plots the examples and the demo write, as PNG through XChart: score histograms with the
 * threshold, ROC curves, 2-D scatters coloured by class, and line plots. Files are written
 * atomically.
 */
public final class Plots {

    private Plots() {
    }

    /** Colours used for classes (and normal/anomaly). */
    static final Color[] PALETTE = {
        new Color(31, 119, 180), new Color(214, 39, 40), new Color(44, 160, 44), new Color(255, 127, 14),
        new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127),
        new Color(188, 189, 34), new Color(23, 190, 207)
    };

    /**
     * Writes a chart as PNG, atomically.
     *
     * @param chart the chart
     * @param png   the file
     * @throws IOException on failure
     */
    public static void save(XYChart chart, Path png) throws IOException {
        byte[] bytes = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.write(png, out -> out.write(bytes));
    }

    private static XYChart chart(String title, String x, String y) {
        XYChart c = new XYChartBuilder().width(800).height(520).title(title).xAxisTitle(x).yAxisTitle(y).build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        c.getStyler().setMarkerSize(5);
        return c;
    }

    /**
     * A wide chart for series over time: white background, legend outside on the right.
     *
     * @param title      the title
     * @param xLabel     x axis title
     * @param yLabel     y axis title
     * @param height     height in pixels (width 1,200)
     * @param markerSize marker size
     * @return the chart
     */
    public static XYChart wideChart(String title, String xLabel, String yLabel, int height, int markerSize) {
        XYChart c = new XYChartBuilder().width(1200).height(height).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel)
                .build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setMarkerSize(markerSize);
        return c;
    }

    /**
     * Adds a line without markers.
     *
     * @param c      the chart
     * @param name   the series name
     * @param x      x values
     * @param y      y values
     * @param colour the line colour
     */
    public static void line(XYChart c, String name, double[] x, double[] y, Color colour) {
        XYSeries s = c.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(colour);
    }

    /**
     * Writes two charts one above the other as one PNG, atomically.
     *
     * @param png    the file
     * @param top    the upper chart
     * @param bottom the lower chart
     * @throws IOException on failure
     */
    public static void saveStacked(Path png, XYChart top, XYChart bottom) throws IOException {
        java.awt.image.BufferedImage a = BitmapEncoder.getBufferedImage(top);
        java.awt.image.BufferedImage b = BitmapEncoder.getBufferedImage(bottom);
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(Math.max(a.getWidth(), b.getWidth()),
                a.getHeight() + b.getHeight(), java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.drawImage(a, 0, 0, null);
        g.drawImage(b, 0, a.getHeight(), null);
        g.dispose();
        AtomicFiles.write(png, o -> javax.imageio.ImageIO.write(img, "png", o));
    }

    /**
     * Histograms of the scores of normal and anomalous rows, with the threshold as a vertical line.
     *
     * @param png       the file
     * @param title     the title
     * @param scores    scores
     * @param labels    0/1 labels
     * @param threshold the threshold
     * @throws IOException on failure
     */
    public static void scoreHistogram(Path png, String title, double[] scores, int[] labels, double threshold)
            throws IOException {
        double lo = Arrays.stream(scores).min().orElse(0);
        double hi = Math.max(Arrays.stream(scores).max().orElse(1), threshold);
        int bins = 40;
        double w = (hi - lo) / bins;
        XYChart c = chart(title, "anomaly score", "rows");
        for (int cls = 0; cls <= 1; cls++) {
            double[] x = new double[bins * 2];
            double[] y = new double[bins * 2];
            double[] count = new double[bins];
            for (int i = 0; i < scores.length; i++) {
                if (labels[i] == cls) {
                    count[Math.min(bins - 1, (int) ((scores[i] - lo) / w))]++;
                }
            }
            for (int b = 0; b < bins; b++) {
                x[2 * b] = lo + b * w;
                x[2 * b + 1] = lo + (b + 1) * w;
                y[2 * b] = count[b];
                y[2 * b + 1] = count[b];
            }
            XYSeries s = c.addSeries(cls == 0 ? "normal" : "anomaly", x, y);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(PALETTE[cls]);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
        }
        double ymax = 0;
        for (XYSeries s : c.getSeriesMap().values()) {
            ymax = Math.max(ymax, s.getYMax());
        }
        XYSeries t = c.addSeries("threshold", new double[] {threshold, threshold}, new double[] {0, ymax});
        t.setMarker(SeriesMarkers.NONE);
        t.setLineColor(Color.BLACK);
        save(c, png);
    }

    /**
     * A ROC curve.
     *
     * @param png    the file
     * @param title  the title
     * @param curves name, scores per curve (same labels)
     * @param labels 0/1 labels
     * @throws IOException on failure
     */
    public static void roc(Path png, String title, java.util.Map<String, double[]> curves, int[] labels)
            throws IOException {
        XYChart c = chart(title, "false-positive rate", "true-positive rate");
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        unitAxes(c);
        int k = 0;
        for (java.util.Map.Entry<String, double[]> e : curves.entrySet()) {
            double[][] pts = rocPoints(e.getValue(), labels);
            XYSeries s = c.addSeries(e.getKey(), pts[0], pts[1]);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(PALETTE[k++ % PALETTE.length]);
        }
        XYSeries d = c.addSeries("random", new double[] {0, 1}, new double[] {0, 1});
        d.setMarker(SeriesMarkers.NONE);
        d.setLineColor(Color.GRAY);
        save(c, png);
    }

    /**
     * A precision-recall curve with the point of the threshold marked and the share of anomalies (a random scorer's
     * precision) as a horizontal line.
     *
     * @param png       the file
     * @param title     the title
     * @param scores    scores
     * @param labels    0/1 labels
     * @param threshold the threshold whose precision and recall are marked
     * @throws IOException on failure
     */
    public static void precisionRecall(Path png, String title, double[] scores, int[] labels, double threshold)
            throws IOException {
        Integer[] idx = byScoreDescending(scores);
        long pos = Arrays.stream(labels).filter(v -> v == 1).count();
        List<Double> rx = new ArrayList<>();
        List<Double> py = new ArrayList<>();
        long tp = 0;
        long fp = 0;
        for (int i = 0; i < idx.length; i++) {
            if (labels[idx[i]] == 1) {
                tp++;
            } else {
                fp++;
            }
            if (i == idx.length - 1 || scores[idx[i + 1]] != scores[idx[i]]) {
                rx.add(pos == 0 ? 0 : (double) tp / pos);
                py.add((double) tp / (tp + fp));
            }
        }
        XYChart c = chart(title, "recall", "precision");
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        unitAxes(c);
        XYSeries s = c.addSeries("ae4j detector", rx, py);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(PALETTE[0]);
        double base = labels.length == 0 ? 0 : (double) pos / labels.length;
        XYSeries r = c.addSeries("random", new double[] {0, 1}, new double[] {base, base});
        r.setMarker(SeriesMarkers.NONE);
        r.setLineColor(Color.GRAY);
        long ttp = 0;
        long tfp = 0;
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] > threshold) {
                if (labels[i] == 1) {
                    ttp++;
                } else {
                    tfp++;
                }
            }
        }
        if (ttp + tfp > 0 && pos > 0) {
            XYSeries t = c.addSeries("at the threshold", new double[] {(double) ttp / pos},
                    new double[] {(double) ttp / (ttp + tfp)});
            t.setMarker(SeriesMarkers.DIAMOND);
            t.setMarkerColor(Color.BLACK);
            t.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        }
        save(c, png);
    }

    /** Both axes from 0 to 1 with round ticks (rates, precision, recall). */
    private static void unitAxes(XYChart c) {
        c.getStyler().setXAxisMin(0.0);
        c.getStyler().setXAxisMax(1.0);
        c.getStyler().setYAxisMin(0.0);
        c.getStyler().setYAxisMax(1.0);
        c.getStyler().setXAxisDecimalPattern("0.0");
        c.getStyler().setYAxisDecimalPattern("0.0");
        c.getStyler().setXAxisTickMarkSpacingHint(70);
        c.getStyler().setYAxisTickMarkSpacingHint(45);
        // XChart 3.8.8 places ticks at the data's own values when a curve has few distinct values (a ROC
        // curve's steps of 1/anomalies), and the "0.0" labels then misname them (the 1.0 tick fell at 0.96):
        // an invisible series of 101 evenly spaced points keeps the ticks at 0.1 steps
        double[] guide = new double[101];
        for (int i = 0; i < guide.length; i++) {
            guide[i] = i / 100.0;
        }
        XYSeries g = c.addSeries(" ", guide, guide);
        g.setMarker(SeriesMarkers.NONE);
        g.setLineColor(new Color(0, 0, 0, 0));
        g.setShowInLegend(false);
    }

    /** Row indices, highest score first. */
    private static Integer[] byScoreDescending(double[] scores) {
        Integer[] idx = new Integer[scores.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(scores[b], scores[a]));
        return idx;
    }

    static double[][] rocPoints(double[] scores, int[] labels) {
        Integer[] idx = byScoreDescending(scores);
        long pos = Arrays.stream(labels).filter(v -> v == 1).count();
        long neg = labels.length - pos;
        List<double[]> pts = new ArrayList<>();
        pts.add(new double[] {0, 0});
        long tp = 0;
        long fp = 0;
        for (int i = 0; i < idx.length; i++) {
            if (labels[idx[i]] == 1) {
                tp++;
            } else {
                fp++;
            }
            if (i == idx.length - 1 || scores[idx[i + 1]] != scores[idx[i]]) {
                pts.add(new double[] {(double) fp / neg, (double) tp / pos});
            }
        }
        double[] x = new double[pts.size()];
        double[] y = new double[pts.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = pts.get(i)[0];
            y[i] = pts.get(i)[1];
        }
        return new double[][] {x, y};
    }

    /**
     * A 2-D scatter coloured by class.
     *
     * @param png    the file
     * @param title  the title
     * @param xy     points [n][2]
     * @param labels class per point
     * @param names  name per class value (index = class)
     * @throws IOException on failure
     */
    public static void scatter(Path png, String title, double[][] xy, int[] labels, String[] names) throws IOException {
        XYChart c = chart(title, "dimension 1", "dimension 2");
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setMarkerSize(4);
        for (int cls = 0; cls < names.length; cls++) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < xy.length; i++) {
                if (labels[i] == cls) {
                    xs.add(xy[i][0]);
                    ys.add(xy[i][1]);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries s = c.addSeries(names[cls], xs, ys);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(PALETTE[cls % PALETTE.length]);
        }
        save(c, png);
    }

    /**
     * Line plots sharing an x axis (e.g. a series, its score and the threshold).
     *
     * @param png    the file
     * @param title  the title
     * @param xLabel x axis title
     * @param yLabel y axis title
     * @param x      x values
     * @param series name and y values per line
     * @throws IOException on failure
     */
    public static void lines(Path png, String title, String xLabel, String yLabel, double[] x,
                             java.util.Map<String, double[]> series) throws IOException {
        XYChart c = chart(title, xLabel, yLabel);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        int k = 0;
        for (java.util.Map.Entry<String, double[]> e : series.entrySet()) {
            line(c, e.getKey(), x, e.getValue(), PALETTE[k++ % PALETTE.length]);
        }
        save(c, png);
    }
}
