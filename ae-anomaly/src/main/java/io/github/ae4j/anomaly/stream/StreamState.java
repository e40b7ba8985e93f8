package io.github.ae4j.anomaly.stream;

import io.github.ae4j.anomaly.threshold.DSpot;
import io.github.ae4j.anomaly.threshold.Spot;

/**
 * The saved state of a {@link StreamingDetector}: JSON in a file of its own, written atomically.
 *
 * @param format        always {@value #FORMAT}
 * @param formatVersion {@value #VERSION}
 * @param detector      the fingerprint of the detector it runs with (SHA-256 of its input width,
 *                      threshold and calibration scores; of the calibration scores alone for a
 *                      stream of scores computed elsewhere): a state is refused with another one
 * @param rows          rows consumed so far (the next row to read is this one, 0-based)
 * @param alarms        rows flagged so far
 * @param config        the settings
 * @param spot          SPOT's state when {@code config.depth() == 0}, else null
 * @param dspot         DSPOT's state when {@code config.depth() >= 1}, else null
 */
public record StreamState(String format, int formatVersion, String detector, long rows, long alarms,
                          StreamConfig config, Spot.State spot, DSpot.State dspot) {

    /** The format name. */
    public static final String FORMAT = "ae4j-stream-state";
    /** The format version this code writes and reads. */
    public static final int VERSION = 1;
}
