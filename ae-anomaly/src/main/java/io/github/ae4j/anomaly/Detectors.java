package io.github.ae4j.anomaly;

import io.github.ae4j.anomaly.threshold.ThresholdStrategy;
import io.github.ae4j.anomaly.threshold.Thresholds;
import io.github.ae4j.core.ModelSpec;
import io.github.ae4j.core.TrainingListener;
import io.github.ae4j.core.data.LoadedData;
import java.util.Objects;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training a detector from rows that may carry 0/1 labels, as both command lines do: the rows
 * labelled 1 are left out of training; a threshold that needs labels (e.g. {@code f1}) is fitted on
 * the held-out normal rows' scores and the labelled anomalies' scores after training.
 */
public final class Detectors {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Detectors.class);

    /** The threshold a detector is first calibrated with when the chosen one needs labels. */
    public static final String UNLABELLED_THRESHOLD = "percentile:99";

    private Detectors() {
    }

    /**
     * Rows split by label.
     *
     * @param normal    rows labelled 0 (or all rows, without labels)
     * @param anomalies rows labelled 1, or null when there are none
     */
    public record Split(INDArray normal, INDArray anomalies) {
        /** @return the number of labelled anomalies */
        public long anomalyCount() {
            return anomalies == null ? 0 : anomalies.size(0);
        }
    }

    /**
     * Splits rows by their labels.
     *
     * @param rows   the rows
     * @param labels 0/1 per row, or null
     * @return the normal rows and the anomalies
     * @throws IllegalArgumentException when every row is labelled an anomaly
     */
    public static Split split(INDArray rows, int[] labels) {
        Objects.requireNonNull(rows, "rows");
        if (labels == null) {
            return new Split(rows, null);
        }
        if (labels.length != rows.size(0)) {
            throw new IllegalArgumentException(labels.length + " labels for " + rows.size(0) + " rows");
        }
        int[] n = IntStream.range(0, labels.length).filter(i -> labels[i] == 0).toArray();
        int[] p = IntStream.range(0, labels.length).filter(i -> labels[i] == 1).toArray();
        if (n.length == 0) {
            throw new IllegalArgumentException("every row is labelled an anomaly; train on normal data (label 0)");
        }
        return new Split(n.length == labels.length ? rows : Nd4j.pullRows(rows, 1, n),
                p.length == 0 ? null : Nd4j.pullRows(rows, 1, p));
    }

    /**
     * The threshold to calibrate with before labelled anomalies are scored.
     *
     * @param chosen the user's threshold
     * @return {@code chosen}, or {@value #UNLABELLED_THRESHOLD} when it needs labels
     */
    public static ThresholdStrategy unlabelled(ThresholdStrategy chosen) {
        return chosen.requiresLabels() ? Thresholds.parse(UNLABELLED_THRESHOLD) : chosen;
    }

    /**
     * Trains a detector on the normal rows and calibrates it with the chosen threshold, using the
     * labelled anomalies when the threshold needs them.
     *
     * @param spec      the architecture
     * @param split     the rows, split by label ({@link #split})
     * @param config    how to train and calibrate (its threshold is replaced by {@code threshold})
     * @param threshold the threshold to end with
     * @param listeners progress listeners
     * @return the detector
     * @throws IllegalArgumentException when the threshold needs labelled anomalies and there are none
     */
    public static AnomalyDetector fit(ModelSpec spec, Split split, DetectorConfig config, ThresholdStrategy threshold,
                                      TrainingListener... listeners) {
        Objects.requireNonNull(threshold, "threshold");
        if (threshold.requiresLabels() && split.anomalies() == null) {
            throw new IllegalArgumentException("threshold " + threshold.spec() + " needs labelled anomalies (label 1)");
        }
        AnomalyDetector det = AnomalyDetector.fit(spec, split.normal(), config.withThreshold(unlabelled(threshold)),
                listeners);
        return threshold.requiresLabels() ? det.recalibrateWithAnomalies(threshold, det.score(split.anomalies())) : det;
    }

    /**
     * Trains a detector on data read from a file ({@link io.github.ae4j.core.data.DataFiles#read}): the rows
     * are split by label ({@link #split}) and fitted ({@link #fit(ModelSpec, Split, DetectorConfig,
     * ThresholdStrategy, TrainingListener...)}); the detector records the data's schema and kind.
     *
     * @param spec      the architecture
     * @param data      the data, with optional 0/1 labels
     * @param config    how to train and calibrate (its threshold is replaced by {@code threshold})
     * @param threshold the threshold to end with
     * @param listeners progress listeners
     * @return the detector
     * @throws IllegalArgumentException when every row is an anomaly, or the threshold needs labelled anomalies
     *                                  and there are none (the message names the file)
     */
    public static AnomalyDetector fit(ModelSpec spec, LoadedData data, DetectorConfig config,
                                      ThresholdStrategy threshold, TrainingListener... listeners) {
        Objects.requireNonNull(data, "data");
        Split split;
        try {
            split = split(data.x(), data.labels());
            if (threshold.requiresLabels() && split.anomalies() == null) {
                throw new IllegalArgumentException("threshold " + threshold.spec()
                        + " needs labelled anomalies (label 1)");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException((data.source() == null ? "" : data.source() + ": ") + e.getMessage(), e);
        }
        LOG.debug("{} normal rows for training and calibration, {} labelled anomalies left out",
                split.normal().size(0), split.anomalyCount());
        AnomalyDetector det = fit(spec, split, config, threshold, listeners);
        return (data.schema() != null ? det.withSchema(data.schema()) : det).withData(data.kind());
    }

    /**
     * Recalibrates a detector's threshold on new rows: a threshold that needs labels (e.g. {@code f1})
     * is fitted on all rows' scores and labels (both classes needed); any other on the normal rows
     * (label 0, or all rows without labels), which become the calibration scores.
     *
     * @param det       the detector
     * @param rows      the rows
     * @param labels    0/1 per row, or null
     * @param threshold the threshold strategy
     * @return the recalibrated detector
     * @throws IllegalArgumentException when the rows lack a class the strategy needs
     */
    public static AnomalyDetector recalibrate(AnomalyDetector det, INDArray rows, int[] labels,
                                              ThresholdStrategy threshold) {
        Objects.requireNonNull(threshold, "threshold");
        if (threshold.requiresLabels()) {
            int pos = labels == null ? 0 : java.util.Arrays.stream(labels).sum();
            if (labels == null || pos == 0 || pos == labels.length) {
                throw new IllegalArgumentException("threshold " + threshold.spec()
                        + " needs both normal and anomalous rows (labels 0 and 1)");
            }
            return det.recalibrate(threshold, det.score(rows), labels);
        }
        if (labels != null && java.util.Arrays.stream(labels).noneMatch(l -> l == 0)) {
            throw new IllegalArgumentException("no normal rows (label 0) to calibrate on");
        }
        return det.recalibrate(split(rows, labels).normal(), threshold);
    }
}
