package io.github.ae4j.conv.series;

/**
 * How the per-time-step errors of overlapping windows become one score per point of the series.
 * A point {@code t} is covered by every window whose span contains it; in each such window it sits
 * at offset {@code t - start}, where the window has a per-step error. The point's score combines
 * those errors:
 */
public enum WindowPolicy {
    /**
     * The largest error the point has in any window covering it: sensitive (a point that any window
     * fails to rebuild is flagged), good for short anomalies such as spikes.
     */
    MAX,
    /**
     * The mean error over the windows covering it: smoother, less sensitive to one window's bad
     * reconstruction at its edges.
     */
    MEAN
}
