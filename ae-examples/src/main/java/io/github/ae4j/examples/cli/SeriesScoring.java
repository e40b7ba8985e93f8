package io.github.ae4j.examples.cli;

import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.anomaly.Detection;
import io.github.ae4j.anomaly.threshold.ThresholdStrategy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ae4j score} and {@code ae4j evaluate} with a window (time-series) detector: the data is a
 * series (rows = time steps in order), and every step gets one output row: its point score (the
 * mean score of the windows covering it, see {@link SeriesTraining}), flag and p-value.
 */
final class SeriesScoring {

    private SeriesScoring() {
    }

    /**
     * Reads a series for a window detector: its channels matched to the model's by name; the id
     * column is {@code idColumn}, else the model's time column.
     *
     * @param det         the detector
     * @param wm          its window layout
     * @param data        the CSV file
     * @param labelColumn the label column, or null
     * @param idColumn    the id column, or null
     * @return the series
     * @throws IOException on I/O failure
     */
    static SeriesData read(AnomalyDetector det, WindowModel wm, Path data, String labelColumn, String idColumn)
            throws IOException {
        if (det.model().schema().isEmpty()) {
            throw new UsageException("the window model has no column schema");
        }
        return SeriesData.read(data, labelColumn, idColumn != null ? idColumn : wm.timeColumn(),
                det.model().schema().get());
    }

    /**
     * {@code ae4j calibrate} for a window detector: the threshold re-fitted on the per-point scores of
     * a series (all normal without labels; with labels, the normal points' scores, or all labelled
     * scores for {@code f1}); they become the detector's calibration scores.
     *
     * @param det  the detector
     * @param wm   its window layout
     * @param d    the series
     * @param t    the threshold strategy
     * @param data the file, for messages
     * @return the recalibrated detector (the same model and window layout)
     */
    static AnomalyDetector recalibrate(AnomalyDetector det, WindowModel wm, SeriesData d, ThresholdStrategy t,
                                       Path data) {
        double[] s = SeriesTraining.detect(det, wm, d.points(), data).scores();
        int[] y = d.labels() != null ? d.labels() : new int[s.length];
        int anomalies = java.util.Arrays.stream(y).sum();
        if (t.requiresLabels() && (anomalies == 0 || anomalies == y.length)) {
            throw new UsageException(data + ": threshold " + t.spec() + " needs both normal and anomalous points"
                    + " (labels 0 and 1)");
        }
        if (anomalies == y.length) {
            throw new UsageException(data + ": no normal points (label 0) to calibrate on");
        }
        return det.recalibrate(t, s, y);
    }

    /**
     * {@code ae4j score} for a window detector.
     *
     * @param s   the command and its options
     * @param det the detector
     * @param wm  its window layout
     * @return the exit code
     * @throws IOException on I/O failure
     */
    static int score(ScoreCommand s, AnomalyDetector det, WindowModel wm) throws IOException {
        if (s.maps != null) {
            throw new UsageException("--maps is for image models: a window (time-series) model explains points by"
                    + " channel with --explain K");
        }
        SeriesData d = read(det, wm, s.data, s.labelColumn, s.idColumn);
        Detection r = SeriesTraining.detect(det, wm, d.points(), s.data);
        // --explain K: per point, the K channels carrying most of its score (SeriesExplain)
        List<List<RowWriter.Part>> parts = s.explain > 0 ? SeriesExplain.topChannels(det, wm, d.points(), s.explain)
                : null;
        Outputs.write(s.out, s.cli.out, w -> {
            RowWriter rw = new RowWriter(w, s.format, d.ids() != null, d.labels() != null, s.explain);
            rw.header();
            rw.write(r, parts, 0, d.ids(), d.labels());
        });
        if (!s.cli.quiet) {
            s.cli.err.printf("scored %,d steps (windows of %d): %,d flagged at threshold %.6g (%s)%s%n", r.rows(),
                    wm.window(), r.flagged(), det.threshold().value(), det.threshold().spec(),
                    s.out == null ? "" : ", written to " + s.out);
        }
        return 0;
    }
}
