package io.github.ae4j.anomaly;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.anomaly.metrics.Metrics;
import io.github.ae4j.anomaly.threshold.Thresholds;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.testing.Synthetic;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The application layer both command lines are thin over: detect, labelled training, recalibration. */
class DetectorsTest {

    @Test
    void givenLabelledRows_whenTrainingForF1AndDetecting_thenOneCallGivesWhatTheSeparateCallsGive() {
        Synthetic.Labelled d = Synthetic.planted(900, 8, 0.1, 4, null, 5);
        INDArray x = Nd4j.createFromArray(d.x()).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        Detectors.Split split = Detectors.split(x, d.y());
        long anomalies = java.util.Arrays.stream(d.y()).sum();
        assertEquals(anomalies, split.anomalyCount());
        assertEquals(900 - anomalies, split.normal().size(0));
        DetectorConfig c = DetectorConfig.defaults().withTraining(TrainingConfig.defaults().withEpochs(8));
        AnomalyDetector det = Detectors.fit(TestSpecs.dense(8, 3, 16), split, c, Thresholds.parse("f1"));
        assertEquals("f1", det.threshold().spec());
        // the F1 threshold is fitted on the calibration scores (label 0) and the anomalies' scores (label 1)
        AnomalyDetector byHand = det.recalibrate(Thresholds.parse("f1"), concat(det.calibrationScores(),
                det.score(split.anomalies())), labels(det.calibrationScores().length, (int) anomalies));
        assertEquals(byHand.threshold().value(), det.threshold().value(), 0);

        Detection r = det.detect(x);
        assertArrayEquals(det.score(x), r.scores(), 0);
        assertArrayEquals(det.predict(x), r.flags());
        assertArrayEquals(det.pValues(x), r.pValues(), 0);
        assertNull(r.explanations());
        assertEquals(2, det.detect(x, 2).explanations()[0].features().size());
        assertTrue(Metrics.auroc(r.scores(), d.y()) > 0.8, "AUROC " + Metrics.auroc(r.scores(), d.y()));
        // double[][] in, same answers
        assertArrayEquals(r.scores(), det.detect(d.x()).scores(), 1e-6);
        assertArrayEquals(r.flags(), det.predict(d.x()));

        // recalibration: labels -> normal rows only for percentile; both classes for f1
        AnomalyDetector p = Detectors.recalibrate(det, x, d.y(), Thresholds.parse("percentile:95"));
        assertEquals(900 - anomalies, p.calibrationScores().length);
        AnomalyDetector f = Detectors.recalibrate(det, x, d.y(), Thresholds.parse("f1"));
        assertEquals("f1", f.threshold().spec());
        assertThrows(IllegalArgumentException.class, () -> Detectors.recalibrate(det, split.normal(), null,
                Thresholds.parse("f1")));
        assertThrows(IllegalArgumentException.class, () -> Detectors.fit(TestSpecs.dense(8, 3, 16),
                Detectors.split(split.normal(), null), c, Thresholds.parse("f1")));
        int[] allAnomalies = new int[10];
        java.util.Arrays.fill(allAnomalies, 1);
        assertThrows(IllegalArgumentException.class, () -> Detectors.split(x.get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 10), org.nd4j.linalg.indexing.NDArrayIndex.all()),
                allAnomalies));
    }

    private static double[] concat(double[] a, double[] b) {
        double[] s = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, s, a.length, b.length);
        return s;
    }

    private static int[] labels(int normal, int anomalies) {
        int[] y = new int[normal + anomalies];
        java.util.Arrays.fill(y, normal, y.length, 1);
        return y;
    }
}
