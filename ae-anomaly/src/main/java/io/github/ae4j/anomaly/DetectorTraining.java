package io.github.ae4j.anomaly;

import io.github.ae4j.anomaly.threshold.Threshold;
import io.github.ae4j.core.AnomalyScorer;
import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.TrainingConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one routine that trains a detector's models, wherever the rows are: {@link AnomalyDetector#fit}
 * runs it on rows in memory, {@code io.github.ae4j.spark.SparkDetectors} on rows in a Spark RDD. A
 * {@link Rows} says only how to train, score and split rows where they are; the decisions (the
 * {@link DetectorConfig}'s scorer and its fitting, robust training by refit rounds, the held-out
 * calibration split and its checks, the ensemble's seeds, the threshold) are made here, once.
 *
 * <p>Refit rounds (robust training): after training, the rows scoring above the
 * {@link DetectorConfig#refitQuantile()} quantile of the training scores are dropped and the model is
 * trained again, {@link DetectorConfig#refitRounds()} times or until no row is dropped.
 */
public final class DetectorTraining {

    private static final Logger LOG = LoggerFactory.getLogger(DetectorTraining.class);
    /** Rows a refit round must keep (fewer: the round is skipped). */
    static final int MIN_REFIT_ROWS = 3;

    private DetectorTraining() {
    }

    /**
     * Training rows where they live (in memory, on a cluster), and the few operations the routine needs
     * on them.
     *
     * @param <D> the rows' type
     */
    public interface Rows<D> {

        /**
         * Trains one model.
         *
         * @param rows   the training rows
         * @param config how to train (seeded per ensemble member)
         * @return the model
         */
        Autoencoder train(D rows, TrainingConfig config);

        /**
         * Fits a scorer template that needs fitting to a model on (a sample of) its training rows.
         *
         * @param template the unfitted scorer
         * @param model    the model
         * @param rows     its training rows
         * @param seed     the sampling seed
         * @return the fitted scorer
         */
        AnomalyScorer fitScorer(StandardizedScorer template, Autoencoder model, D rows, long seed);

        /**
         * Scores rows.
         *
         * @param model      the model
         * @param scorer     its scorer
         * @param rows       the rows
         * @param sampleSeed seed of the sample returned when there are too many scores to collect
         * @return the scores
         */
        Scores<D> score(Autoencoder model, AnomalyScorer scorer, D rows, long sampleSeed);

        /**
         * Splits normal rows into training rows and held-out calibration rows (never trained on).
         *
         * @param rows   the normal rows
         * @param config the fraction ({@link DetectorConfig#calibrationFraction()}), seed and threshold
         * @return the split
         * @throws IllegalArgumentException when there are too few rows for it
         */
        Split<D> holdOut(D rows, DetectorConfig config);

        /**
         * The calibration scores of held-out rows: the mean score of the ensemble's members, all of them
         * or a seeded sample.
         *
         * @param members the members and their scorers
         * @param rows    the held-out rows
         * @param seed    the sampling seed
         * @return the scores
         */
        double[] calibrationScores(List<Member> members, D rows, long seed);
    }

    /**
     * Scores of rows, and the rows that score at most a cut.
     *
     * @param <D> the rows' type
     */
    public interface Scores<D> {
        /** @return the scores, or a seeded sample of them when there are more than can be collected */
        double[] sample();

        /** @return the number of rows scored */
        long count();

        /**
         * The rows scoring at most {@code cut}.
         *
         * @param cut the largest score kept
         * @return the rows and their number
         */
        Kept<D> keepAtMost(double cut);
    }

    /**
     * Rows kept by a refit round.
     *
     * @param rows  the rows
     * @param count their number
     * @param <D>   the rows' type
     */
    public record Kept<D>(D rows, long count) {
    }

    /**
     * Training and held-out calibration rows.
     *
     * @param train       rows to train on
     * @param calibration rows to calibrate on
     * @param <D>         the rows' type
     */
    public record Split<D>(D train, D calibration) {
    }

    /**
     * A trained model with its (fitted) scorer.
     *
     * @param model  the model
     * @param scorer the scorer
     */
    public record Member(Autoencoder model, AnomalyScorer scorer) {
    }

    /**
     * The configuration of a detector of one model calibrated on a held-out split, for where an ensemble
     * and cross-fitting are not available (training on Spark, a CSV streamed from disk): everything else
     * (scorer, calibration fraction, threshold, refit, training) is {@code config}'s, e.g.
     * {@link DetectorConfig#defaults()}.
     *
     * @param config the configuration
     * @return the configuration with ensemble size 1 and calibration folds 0
     */
    public static DetectorConfig singleModel(DetectorConfig config) {
        return config.withEnsembleSize(1).withCalibrationFolds(0);
    }

    /**
     * Trains one model with the config's robust training: the model, its scorer (fitted to it when the
     * config's scorer needs fitting), then the refit rounds.
     *
     * @param rows   the training rows
     * @param config the detector configuration
     * @param seed   the training seed of this model
     * @param where  where the rows are
     * @param <D>    the rows' type
     * @return the model and its scorer
     * @throws IllegalArgumentException when the scorer cannot score the model
     */
    public static <D> Member member(D rows, DetectorConfig config, long seed, Rows<D> where) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(where, "where");
        TrainingConfig tc = config.training().withSeed(seed);
        Autoencoder model = where.train(rows, tc);
        AnomalyScorer sc = fitScorer(config.scorer(), model, rows, seed, where);
        D train = rows;
        for (int round = 1; round <= config.refitRounds(); round++) {
            Scores<D> s = where.score(model, sc, train, seed + round);
            double[] sorted = s.sample().clone();
            Arrays.sort(sorted);
            double cut = quantile(sorted, config.refitQuantile());
            Kept<D> kept = s.keepAtMost(cut);
            if (kept.count() == s.count() || kept.count() < MIN_REFIT_ROWS) {
                LOG.info("refit {}/{}: no training row to drop, stopping", round, config.refitRounds());
                break;
            }
            LOG.info("refit {}/{}: dropping {} of {} training rows scoring above {}, retraining", round,
                    config.refitRounds(), s.count() - kept.count(), s.count(), cut);
            train = kept.rows();
            model = where.train(train, tc);
            sc = fitScorer(config.scorer(), model, train, seed, where);
        }
        return new Member(model, sc);
    }

    private static <D> AnomalyScorer fitScorer(AnomalyScorer template, Autoencoder model, D rows, long seed,
                                               Rows<D> where) {
        if (!template.supports(model)) {
            throw new IllegalArgumentException("scorer '" + template.id() + "' cannot score a " + model.kind()
                    + " model (" + model + ")");
        }
        if (template instanceof StandardizedScorer st) {
            // a template (fitted or not) is fitted to each model: a scorer fitted to another model is wrong here
            return where.fitScorer(st, model, rows, seed);
        }
        return template;
    }

    /**
     * Trains a detector calibrated on a held-out split ({@code config.calibrationFolds() == 0}): the
     * {@code config.ensembleSize()} members (member i with seed {@code training().seed() + i}) train on
     * the training rows, and the threshold is fitted on the held-out rows' mean scores.
     *
     * @param normalRows the normal rows
     * @param config     the detector configuration
     * @param where      where the rows are
     * @param <D>        the rows' type
     * @return the detector
     * @throws IllegalArgumentException on too few rows, too few calibration scores for the threshold, or a
     *                                  scorer that cannot score the model
     */
    public static <D> AnomalyDetector heldOut(D normalRows, DetectorConfig config, Rows<D> where) {
        Objects.requireNonNull(config, "config");
        if (config.calibrationFolds() != 0) {
            throw new IllegalArgumentException("a held-out detector needs calibrationFolds 0, got "
                    + config.calibrationFolds());
        }
        Split<D> split = where.holdOut(normalRows, config);
        List<Member> members = new ArrayList<>();
        for (int m = 0; m < config.ensembleSize(); m++) {
            members.add(member(split.train(), config, config.training().seed() + m, where));
        }
        double[] cal = where.calibrationScores(members, split.calibration(), config.training().seed());
        if (cal.length < config.threshold().minCalibrationScores()) {
            throw new IllegalArgumentException("threshold " + config.threshold().spec() + " needs at least "
                    + config.threshold().minCalibrationScores() + " calibration scores, got " + cal.length
                    + ": use more rows, a larger calibration fraction or another threshold");
        }
        Threshold t = config.threshold().fit(cal);
        LOG.info("threshold {} = {} on {} calibration scores", t.spec(), t.value(), cal.length);
        return AnomalyDetector.create(members, t, cal, "held-out");
    }

    /**
     * The p-quantile of sorted values, interpolated linearly between order statistics.
     *
     * @param sorted values in ascending order, at least one
     * @param p      the probability, in [0, 1]
     * @return the quantile
     */
    static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
