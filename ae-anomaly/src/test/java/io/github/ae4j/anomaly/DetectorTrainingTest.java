package io.github.ae4j.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.anomaly.threshold.Thresholds;
import io.github.ae4j.core.AnomalyScorer;
import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.testing.Synthetic;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The one detector-training routine, observed through a {@link DetectorTraining.Rows} that records its calls. */
class DetectorTrainingTest {

    private static final TrainingConfig QUICK = TrainingConfig.defaults().withEpochs(3).withBatchSize(32);

    /** Rows in memory, recording how many rows each training run got and each scorer fit's seed. */
    private static final class Recording implements DetectorTraining.Rows<INDArray> {
        final InMemoryRows rows = new InMemoryRows(TestSpecs.dense(8, 2, 6));
        final List<Long> trainedOn = new ArrayList<>();
        final List<Long> trainSeeds = new ArrayList<>();
        boolean keepEverything;

        @Override
        public Autoencoder train(INDArray x, TrainingConfig config) {
            trainedOn.add(x.size(0));
            trainSeeds.add(config.seed());
            return rows.train(x, config);
        }

        @Override
        public AnomalyScorer fitScorer(StandardizedScorer template, Autoencoder model, INDArray x, long seed) {
            return rows.fitScorer(template, model, x, seed);
        }

        @Override
        public DetectorTraining.Scores<INDArray> score(Autoencoder model, AnomalyScorer scorer, INDArray x,
                                                       long sampleSeed) {
            DetectorTraining.Scores<INDArray> s = rows.score(model, scorer, x, sampleSeed);
            if (!keepEverything) {
                return s;
            }
            return new DetectorTraining.Scores<>() {
                @Override
                public double[] sample() {
                    return s.sample();
                }

                @Override
                public long count() {
                    return s.count();
                }

                @Override
                public DetectorTraining.Kept<INDArray> keepAtMost(double cut) {
                    return new DetectorTraining.Kept<>(x, x.size(0));
                }
            };
        }

        @Override
        public DetectorTraining.Split<INDArray> holdOut(INDArray x, DetectorConfig config) {
            return rows.holdOut(x, config);
        }

        @Override
        public double[] calibrationScores(List<DetectorTraining.Member> members, INDArray x, long seed) {
            return rows.calibrationScores(members, x, seed);
        }
    }

    private static INDArray data(int n) {
        return TestSpecs.matrix(Synthetic.lowRank(n, 8, 2, 0.1, 5));
    }

    @Test
    void givenTwoRefitRounds_whenTrainingAMember_thenRetrainsTwiceOnFewerRowsWithTheMembersSeed() {
        Recording r = new Recording();
        DetectorConfig c = DetectorConfig.defaults().withTraining(QUICK).withRefit(2, 0.9);

        DetectorTraining.Member m = DetectorTraining.member(data(300), c, 77, r);

        assertEquals(3, r.trainedOn.size(), "one training and two refits");
        assertEquals(300L, r.trainedOn.get(0));
        assertTrue(r.trainedOn.get(1) < 300 && r.trainedOn.get(2) < r.trainedOn.get(1), r.trainedOn.toString());
        assertEquals(List.of(77L, 77L, 77L), r.trainSeeds);
        assertTrue(m.scorer() instanceof StandardizedScorer st && st.isFitted(), "the template is fitted to the model");
    }

    @Test
    void givenRefitThatDropsNoRow_whenTrainingAMember_thenStopsAfterOneTraining() {
        Recording r = new Recording();
        r.keepEverything = true;

        DetectorTraining.member(data(200), DetectorConfig.defaults().withTraining(QUICK).withRefit(3, 0.9), 1, r);

        assertEquals(1, r.trainedOn.size());
    }

    @Test
    void givenHeldOutConfig_whenFitting_thenEnsembleMembersWithConsecutiveSeedsAndThresholdOnHeldOutScores() {
        Recording r = new Recording();
        DetectorConfig c = DetectorTraining.singleModel(DetectorConfig.defaults().withTraining(QUICK.withSeed(10)))
                .withEnsembleSize(2);

        AnomalyDetector d = DetectorTraining.heldOut(data(250), c, r);

        assertEquals(List.of(10L, 11L), r.trainSeeds);
        assertEquals(250 - Math.round(250 * c.calibrationFraction()), (long) r.trainedOn.get(0));
        assertEquals(Math.round(250 * c.calibrationFraction()), d.calibrationScores().length);
        assertEquals("held-out", d.calibration());
        assertEquals(2, d.members().size());
    }

    @Test
    void givenTooFewCalibrationScoresForTheThreshold_whenFitting_thenIllegalArgumentNamingIt() {
        DetectorConfig c = DetectorTraining.singleModel(DetectorConfig.defaults().withTraining(QUICK))
                .withThreshold(Thresholds.parse("pot:0.001"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DetectorTraining.heldOut(data(60), c, new Recording()));
        assertTrue(e.getMessage().contains("pot"), e.getMessage());
    }

    @Test
    void givenDefaults_whenMadeSingleModel_thenOneModelOnAHeldOutSplitAndEverythingElseKept() {
        DetectorConfig d = DetectorConfig.defaults();
        DetectorConfig s = DetectorTraining.singleModel(d);
        assertEquals(1, s.ensembleSize());
        assertEquals(0, s.calibrationFolds());
        assertSame(d.scorer(), s.scorer());
        assertEquals(d.calibrationFraction(), s.calibrationFraction());
        assertEquals(d.refitRounds(), s.refitRounds());
        assertSame(d.training(), s.training());
    }
}
