package io.github.ae4j.anomaly.stream;

import io.github.ae4j.anomaly.threshold.DSpot;
import io.github.ae4j.anomaly.threshold.Spot;

/**
 * The saved state of a {@link StreamingDetector}: JSON stored as the entry
 * {@code stream-state.json} of a state file, an ae4j container like a model file (see
 * {@link StreamingDetector#save(java.nio.file.Path)}), written atomically.
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
    /** The version of this record's JSON that this code writes and reads. */
    public static final int VERSION = 1;
    /**
     * The version of the state file this code writes: 2, the ae4j container (a zip with a manifest, as a
     * model file); version 1 was this record's JSON alone, and is still read.
     */
    public static final int FILE_VERSION = 2;
}
