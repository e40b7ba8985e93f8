package io.github.ae4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.Ae4j;
import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.DataFingerprint;
import io.github.ae4j.core.FeatureStatistics;
import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.Normalizer;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.testing.Models;
import io.github.ae4j.core.testing.Pca;
import io.github.ae4j.core.testing.Synthetic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

class SparkAutoencoderTrainerTest {

    private static SparkSession spark;
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("SparkAutoencoderTrainerTest");
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void givenSameData_whenTrainingOnTwoWorkers_thenHeldOutLossWithinTenPercentOfOneMachine() {
        // 6 latent factors squeezed through a 3-unit bottleneck: the loss has a floor above the noise,
        // reached only by training well
        double[][] x = Synthetic.lowRank(1200, 24, 6, 0.1, 7);
        double[][] test = Arrays.copyOfRange(x, 0, 240);
        double[][] train = Arrays.copyOfRange(x, 240, x.length);
        TrainingConfig tc = TrainingConfig.defaults().withEpochs(10).withBatchSize(32).withPatience(0)
                .withUpdater(new Adam(5e-3));

        Autoencoder local = Autoencoder.fit(Models.dense(24, 16, 3), train, tc);
        // two workers averaging their parameters make half the sequential updates per epoch: twice the epochs
        // give both the same number of updates
        Autoencoder distributed = new SparkAutoencoderTrainer(sc, tc.withEpochs(20),
                SparkTrainingConfig.defaults().withWorkers(2).withAveragingFrequency(4))
                .fit(Models.dense(24, 16, 3), sc.parallelize(LocalSpark.floats(train), 2));

        double localLoss = mean(local.reconstructionError(test));
        double sparkLoss = mean(distributed.reconstructionError(test));
        Normalizer n = local.normalizer();
        double pcaLoss = Pca.fit(n.transform(Nd4j.create(train).castTo(DataType.FLOAT)), 3)
                .mse(n.transform(Nd4j.create(test).castTo(DataType.FLOAT)));
        System.err.printf("held-out MSE: one machine %.5f, 2 workers %.5f (ratio %.3f), PCA(3) %.5f%n",
                localLoss, sparkLoss, sparkLoss / localLoss, pcaLoss);
        assertTrue(sparkLoss <= 1.10 * localLoss, "distributed " + sparkLoss + " vs one machine " + localLoss);
        assertTrue(sparkLoss <= 1.25 * pcaLoss, "distributed " + sparkLoss + " vs PCA(3) " + pcaLoss);
        assertEquals(20, distributed.info().history().size());
        assertTrue(distributed.info().training().get("spark") instanceof Map<?, ?>);
    }

    @Test
    void givenRowsInFourPartitions_whenFittingStatisticsDistributed_thenNormalizerEqualsOneMachineFit() {
        double[][] x = Synthetic.manifold(999, 7, 2, 0.1, 3);
        for (double[] r : x) {
            r[6] = 5.0;   // a constant feature: centred, not scaled, by both
        }
        JavaRDD<float[]> rdd = sc.parallelize(LocalSpark.floats(x), 4);
        FeatureStatistics stats = rdd.treeAggregate(new FeatureStatistics(7), FeatureStatistics::add,
                FeatureStatistics::merge);
        for (Normalization type : Normalization.values()) {
            Normalizer expected = Normalizer.fit(type, Nd4j.create(x).castTo(DataType.FLOAT));
            Normalizer actual = stats.normalizer(type);
            assertEquals(expected.type(), actual.type());
            for (int j = 0; j < 7; j++) {
                LocalSpark.assertRelativelyClose(expected.offset()[j], actual.offset()[j], 1e-9, type + " offset " + j);
                LocalSpark.assertRelativelyClose(expected.scale()[j], actual.scale()[j], 1e-9, type + " scale " + j);
            }
        }
        assertEquals(999, stats.count());
    }

    @Test
    void givenDistributedModel_whenSavedAndLoaded_thenSameErrorsAndTrainingRecord(@TempDir Path dir) throws Exception {
        double[][] x = Synthetic.lowRank(600, 10, 2, 0.05, 11);
        Autoencoder m = new SparkAutoencoderTrainer(sc, TrainingConfig.defaults().withEpochs(3).withBatchSize(32),
                SparkTrainingConfig.defaults()).fit(Models.dense(10, 8, 2), sc.parallelize(LocalSpark.floats(x), 3));
        Path f = dir.resolve("m.ae4j");
        m.save(f);
        Autoencoder back = Autoencoder.load(f);
        assertArrayEquals(m.reconstructionError(x), back.reconstructionError(x), 0.0);
        assertEquals(m.normalizer(), back.normalizer());
        assertEquals(3, back.info().history().size());
        assertTrue(Files.size(f) > 0);
        assertEquals(2, back.latentSize());
        // provenance: the fingerprint of the rows spread over 3 partitions is the one of the same rows on one machine
        assertEquals(new DataFingerprint().add(Nd4j.create(x)).value(), back.info().provenance().data());
        assertEquals(Ae4j.VERSION, back.info().provenance().ae4jVersion());
    }

    @Test
    void givenRowOfWrongWidth_whenTraining_thenIllegalArgumentNamesTheWidths() {
        List<float[]> rows = LocalSpark.floats(Synthetic.lowRank(50, 5, 2, 0.1, 1));
        rows.set(17, new float[4]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SparkAutoencoderTrainer(sc, TrainingConfig.defaults().withEpochs(1), SparkTrainingConfig.defaults())
                        .fit(Models.dense(5, 4, 2), sc.parallelize(rows, 2)));
        assertTrue(e.getMessage().contains("expected 5 values per training row, got 4"), e.getMessage());
    }

    @Test
    void givenTrimmedLoss_whenCreatingTrainer_thenIllegalArgument() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SparkAutoencoderTrainer(sc, TrainingConfig.defaults().withTrimFraction(0.05),
                        SparkTrainingConfig.defaults()));
        assertTrue(e.getMessage().contains("trimFraction 0.05"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SparkTrainingConfig.defaults().withAveragingFrequency(0));
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElseThrow();
    }
}
