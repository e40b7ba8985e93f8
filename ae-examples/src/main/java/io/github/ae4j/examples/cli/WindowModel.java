package io.github.ae4j.examples.cli;

import io.github.ae4j.core.Autoencoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What makes a detector a window (time-series) model, recorded in its model's metadata
 * ({@code model.json}'s extras under {@value #EXTRAS_KEY}; no new file entry): the window length, the
 * training stride, the channel names, the time column, and how window scores become point scores.
 *
 * @param window     points per window
 * @param stride     points between the starts of training windows (scoring slides by one point)
 * @param channels   the channel (feature) names, in the model's order
 * @param timeColumn the time stamp column, or null
 * @param pointScore how window scores become one score per point: {@value #WINDOW_MEAN}, the mean
 *                   over the windows covering a point of their scores (the mapping of
 *                   {@code io.github.ae4j.conv.series.WindowScores})
 * @param streamCalibration the causal scores of the calibration points (each the score of the window ending at
 *                   it, what {@code ae4j stream} computes as rows arrive), which start SPOT; null if none
 */
record WindowModel(int window, int stride, List<String> channels, String timeColumn, String pointScore,
                   double[] streamCalibration) {

    /** The extras key. */
    static final String EXTRAS_KEY = "ae4j.series";
    /** The point-score policy of {@code WindowScores.pointScores}. */
    static final String WINDOW_MEAN = "window-mean";

    WindowModel {
        channels = List.copyOf(channels);
        if (window < 2 || stride < 1 || channels.isEmpty()) {
            throw new IllegalArgumentException("invalid window model: window " + window + ", stride " + stride + ", "
                    + channels.size() + " channels");
        }
        if (!WINDOW_MEAN.equals(pointScore)) {
            throw new IllegalArgumentException("unknown point-score policy '" + pointScore + "' of a window model"
                    + " (this ae4j knows " + WINDOW_MEAN + "): a newer ae4j wrote it");
        }
    }

    /** @return the channels */
    int channelCount() {
        return channels.size();
    }

    /** @return the plain map stored in the model's extras */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("window", window);
        m.put("stride", stride);
        m.put("channels", channels);
        if (timeColumn != null) {
            m.put("timeColumn", timeColumn);
        }
        m.put("pointScore", pointScore);
        if (streamCalibration != null) {
            m.put("streamCalibration", streamCalibration);
        }
        return m;
    }

    /**
     * The window layout a model records, if it is a window model.
     *
     * @param m a model
     * @return the layout, or empty for a model of table rows or images
     * @throws IllegalArgumentException when the recorded layout is invalid or does not fit the model
     */
    static Optional<WindowModel> of(Autoencoder m) {
        Map<String, Object> extras = m.info().extras();
        Object o = extras == null ? null : extras.get(EXTRAS_KEY);
        if (o == null) {
            return Optional.empty();
        }
        if (!(o instanceof Map<?, ?> map) || !(map.get("window") instanceof Number w)
                || !(map.get("stride") instanceof Number s) || !(map.get("channels") instanceof List<?> cs)) {
            throw new IllegalArgumentException("invalid " + EXTRAS_KEY + " metadata in the model: " + o);
        }
        List<String> channels = new ArrayList<>();
        for (Object c : cs) {
            channels.add(String.valueOf(c));
        }
        Object t = map.get("timeColumn");
        double[] stream = null;
        if (map.get("streamCalibration") instanceof List<?> sc) {
            stream = new double[sc.size()];
            for (int i = 0; i < stream.length; i++) {
                if (!(sc.get(i) instanceof Number v) || !Double.isFinite(v.doubleValue())) {
                    throw new IllegalArgumentException("invalid stream calibration score in the window model: "
                            + sc.get(i));
                }
                stream[i] = v.doubleValue();
            }
        }
        WindowModel wm = new WindowModel(w.intValue(), s.intValue(), channels, t == null ? null : t.toString(),
                String.valueOf(map.get("pointScore")), stream);
        if ((long) wm.window() * wm.channelCount() != m.inputSize()) {
            throw new IllegalArgumentException("the window model's layout (" + wm.window() + " x " + wm.channelCount()
                    + ") does not match its input size " + m.inputSize());
        }
        return Optional.of(wm);
    }
}
