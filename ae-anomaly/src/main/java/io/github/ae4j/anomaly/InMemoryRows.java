package io.github.ae4j.anomaly;

import io.github.ae4j.core.AnomalyScorer;
import io.github.ae4j.core.internal.Arrays2;
import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.ModelSpec;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.TrainingListener;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link DetectorTraining}'s rows held in memory: training on this machine, every score computed. */
final class InMemoryRows implements DetectorTraining.Rows<INDArray> {

    private static final Logger LOG = LoggerFactory.getLogger(InMemoryRows.class);

    private final ModelSpec spec;
    private final TrainingListener[] listeners;

    InMemoryRows(ModelSpec spec, TrainingListener... listeners) {
        this.spec = spec;
        this.listeners = listeners;
    }

    @Override
    public Autoencoder train(INDArray rows, TrainingConfig config) {
        return Autoencoder.fit(spec, rows, config, listeners);
    }

    @Override
    public AnomalyScorer fitScorer(StandardizedScorer template, Autoencoder model, INDArray rows, long seed) {
        return template.fit(model, rows, seed);
    }

    @Override
    public DetectorTraining.Scores<INDArray> score(Autoencoder model, AnomalyScorer scorer, INDArray rows,
                                                   long sampleSeed) {
        double[] s = scorer.score(model, rows);
        return new DetectorTraining.Scores<>() {
            @Override
            public double[] sample() {
                return s;
            }

            @Override
            public long count() {
                return s.length;
            }

            @Override
            public DetectorTraining.Kept<INDArray> keepAtMost(double cut) {
                int[] keep = IntStream.range(0, s.length).filter(i -> s[i] <= cut).toArray();
                return new DetectorTraining.Kept<>(keep.length == s.length ? rows : Nd4j.pullRows(rows, 1, keep),
                        keep.length);
            }
        };
    }

    @Override
    public DetectorTraining.Split<INDArray> holdOut(INDArray x, DetectorConfig config) {
        long n = x.size(0);
        int nCal = (int) Math.round(n * config.calibrationFraction());
        if (nCal < 1 || n - nCal < 3) {
            throw new IllegalArgumentException("too few rows to hold out a calibration split: " + n + " normal rows"
                    + " with calibrationFraction " + config.calibrationFraction() + " leave " + nCal
                    + " calibration and " + (n - nCal) + " training rows (at least 1 and 3 needed)");
        }
        if (nCal < config.threshold().minCalibrationScores()) {
            throw new IllegalArgumentException("threshold " + config.threshold().spec() + " needs at least "
                    + config.threshold().minCalibrationScores() + " calibration rows, but " + n + " normal rows with"
                    + " calibrationFraction " + config.calibrationFraction() + " hold out " + nCal
                    + ": use more rows, a larger calibration fraction or another threshold");
        }
        int[] perm = Arrays2.permutation((int) n, new Random(config.training().seed() * 31 + 0xCA11B));
        int[] calIdx = Arrays.copyOfRange(perm, 0, nCal);
        int[] trainIdx = Arrays.copyOfRange(perm, nCal, (int) n);
        Arrays.sort(calIdx);
        Arrays.sort(trainIdx);
        LOG.info("training on {} normal rows, {} held out for calibration", trainIdx.length, nCal);
        return new DetectorTraining.Split<>(Nd4j.pullRows(x, 1, trainIdx), Nd4j.pullRows(x, 1, calIdx));
    }

    @Override
    public double[] calibrationScores(List<DetectorTraining.Member> members, INDArray rows, long seed) {
        return meanScore(members, rows);
    }

    /** The members' mean score of each row. */
    static double[] meanScore(List<DetectorTraining.Member> members, INDArray x) {
        return AnomalyDetector.meanScore(members.stream().map(DetectorTraining.Member::model).toList(),
                members.stream().map(DetectorTraining.Member::scorer).toList(), x);
    }
}
