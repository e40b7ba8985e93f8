package io.github.ae4j.anomaly;

import io.github.ae4j.anomaly.metrics.Evaluation;
import io.github.ae4j.anomaly.metrics.Metrics;
import io.github.ae4j.anomaly.threshold.Conformal;
import io.github.ae4j.anomaly.threshold.Threshold;
import io.github.ae4j.anomaly.threshold.ThresholdStrategy;
import io.github.ae4j.core.Ae4j;
import io.github.ae4j.core.AnomalyScorer;
import io.github.ae4j.core.AnomalyScorers;
import io.github.ae4j.core.internal.Arrays2;
import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.ModelSpec;
import io.github.ae4j.core.Normalizer;
import io.github.ae4j.core.TrainingListener;
import io.github.ae4j.core.data.TabularSchema;
import io.github.ae4j.core.internal.Json;
import io.github.ae4j.core.ModelFile;
import io.github.ae4j.core.io.ModelFormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An anomaly detector: a trained {@link Autoencoder} (which owns its normaliser), an
 * {@link AnomalyScorer} (higher = more anomalous) and a {@link Threshold} calibrated on scores of
 * held-out normal rows. The calibration scores are kept, so that {@link #recalibrate(ThresholdStrategy)}
 * re-targets the threshold without retraining and {@link #pValues(INDArray)} gives conformal
 * p-values. Saved and loaded as one model file ({@link #save(Path)}, {@link #load(Path)}).
 *
 * <p>Immutable and thread-safe. Every method taking rows takes raw (un-normalised) rows of
 * {@code model().inputSize()} values and checks them: an empty batch, rows of the wrong width or
 * NaN/infinite values give an {@link IllegalArgumentException} saying what was expected and what came.
 *
 * <pre>{@code
 * AnomalyDetector d = AnomalyDetector.fit(spec, normalRows, DetectorConfig.defaults());
 * int[] flags = d.predict(newRows);                                     // 1 = anomaly
 * AnomalyDetector strict = d.recalibrate(Thresholds.parse("percentile:99.9"));
 * d.save(Path.of("detector.ae4j"));
 * }</pre>
 */
public final class AnomalyDetector {

    private static final Logger LOG = LoggerFactory.getLogger(AnomalyDetector.class);

    /** The model-file entry holding the detector's part. */
    public static final String ENTRY = "detector.json";
    /** Format name inside {@link #ENTRY}. */
    static final String FORMAT = "ae4j-detector";
    /** Format version inside {@link #ENTRY}. */
    static final int FORMAT_VERSION = 2;
    /** Entry prefix of the further ensemble members' weights ({@code detector-member-<i>.bin}). */
    static final String MEMBER_ENTRY = "detector-member-";
    /** Entry prefix of the members' reference codes ({@code detector-codes-<i>.bin}). */
    static final String CODES_ENTRY = "detector-codes-";
    /** Rows times folds above which cross-fitting uses fewer folds ({@link #effectiveFolds}). */
    static final long CROSS_FIT_ROW_BUDGET = 5000;
    /** Rows per chunk in {@link #explain(INDArray, int)}, bounding temporary memory. */
    private static final int CHUNK = 4096;

    private final Autoencoder model;
    private final AnomalyScorer scorer;
    private final List<Autoencoder> members;
    private final List<AnomalyScorer> scorers;
    private final Threshold threshold;
    private final double[] calibrationScores;
    private final Conformal conformal;
    private final String calibration;

    private AnomalyDetector(Autoencoder model, AnomalyScorer scorer, Threshold threshold, double[] calibrationScores) {
        this(List.of(model), List.of(scorer), threshold, calibrationScores, "held-out");
    }

    private AnomalyDetector(List<Autoencoder> members, List<AnomalyScorer> scorers, Threshold threshold,
                            double[] calibrationScores, String calibration) {
        if (members.isEmpty() || members.size() != scorers.size()) {
            throw new IllegalArgumentException("need one scorer per ensemble member, got " + members.size()
                    + " members and " + scorers.size() + " scorers");
        }
        this.members = List.copyOf(members);
        this.scorers = List.copyOf(scorers);
        this.model = this.members.get(0);
        this.scorer = this.scorers.get(0);
        this.threshold = Objects.requireNonNull(threshold, "threshold");
        this.calibrationScores = calibrationScores.clone();
        this.conformal = Conformal.of(this.calibrationScores);
        this.calibration = Objects.requireNonNull(calibration, "calibration");
    }

    private AnomalyDetector with(Threshold t, double[] cal) {
        return new AnomalyDetector(members, scorers, t, cal, calibration);
    }

    // ------------------------------------------------------------------ creation

    /**
     * Trains a detector on normal rows.
     *
     * <p>With {@code config.calibrationFolds() == 0} (hold-out, the scheme of ae4j 0.1), a random
     * {@code config.calibrationFraction()} of the rows is held out (never trained on), the
     * {@code config.ensembleSize()} models train on the rest, and the threshold is fitted on the held-out
     * rows' scores.
     *
     * <p>With {@code K = config.calibrationFolds() >= 2} (cross-fitting, the default), the rows are
     * split into K folds ({@link #effectiveFolds(int, long) fewer for many rows}); for each fold one
     * model (with the same scorer, fitted to it) trains on the other folds and scores the fold, so every
     * row gets an out-of-fold score and the threshold rests on all of them; then the ensemble trains
     * on all rows. The out-of-fold scores are single-model scores, while an ensemble scores with the mean
     * over its members, which spreads less: for an ensemble they are put on its spread first (see
     * {@code toEnsembleSpread}; measured in {@code docs/notes/issue-14-session4.md}).
     *
     * <p>Each model trains with the robust-training options of the config (trimmed loss, refits);
     * ensemble member i uses seed {@code training().seed() + i}.
     *
     * @param spec       the architecture
     * @param normalRows normal rows, shape [rows, spec.inputSize()], raw (the model normalises)
     * @param config     training, calibration and threshold settings
     * @param listeners  training progress listeners (called once per training run)
     * @return the detector
     * @throws IllegalArgumentException on an empty batch, rows of the wrong width, NaN or infinite
     *                                  values, too few rows to split, or a scorer that cannot score the
     *                                  model
     */
    public static AnomalyDetector fit(ModelSpec spec, INDArray normalRows, DetectorConfig config,
                                      TrainingListener... listeners) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(listeners, "listeners");
        INDArray x = rows(normalRows, spec.inputSize(), "normal rows");
        long n = x.size(0);
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many rows for in-memory training: " + n);
        }
        if (config.calibrationFolds() >= 2) {
            return crossFit(spec, x, config, listeners);
        }
        return DetectorTraining.heldOut(x, config, new InMemoryRows(spec, listeners));
    }

    /**
     * The number of cross-fitting folds used for a requested number and a row count: the request,
     * lowered so that the fold models read at most about {@value #CROSS_FIT_ROW_BUDGET} rows per epoch
     * in all ({@code (K - 1) * rows}), but never below 2 (on 3,800 rows: 2 folds; on 1,000: 5).
     *
     * @param requested the requested folds, >= 2
     * @param rows      the number of normal rows
     * @return the folds to use, in [2, requested]
     */
    public static int effectiveFolds(int requested, long rows) {
        long byBudget = 1 + CROSS_FIT_ROW_BUDGET / Math.max(1, rows);
        return (int) Math.max(2, Math.min(requested, byBudget));
    }

    private static AnomalyDetector crossFit(ModelSpec spec, INDArray x, DetectorConfig config,
                                            TrainingListener... listeners) {
        int n = (int) x.size(0);
        int k = Math.max(2, Math.min(effectiveFolds(config.calibrationFolds(), n), n / 3));
        if (n < 3 * k || n - (n + k - 1) / k < 3) {
            throw new IllegalArgumentException("too few rows to cross-fit: " + n + " normal rows in " + k
                    + " folds (at least " + 3 * k + " needed); use more rows or fewer folds");
        }
        if (n < config.threshold().minCalibrationScores()) {
            throw new IllegalArgumentException("threshold " + config.threshold().spec() + " needs at least "
                    + config.threshold().minCalibrationScores() + " calibration scores, but there are " + n
                    + " normal rows: use more rows or another threshold");
        }
        int[] perm = Arrays2.permutation(n, new Random(config.training().seed() * 31 + 0xCA11B));
        int[] fold = new int[n];
        for (int i = 0; i < n; i++) {
            fold[perm[i]] = i % k;
        }
        double[] oof = new double[n];
        InMemoryRows rowsInMemory = new InMemoryRows(spec, listeners);
        for (int f = 0; f < k; f++) {
            final int ff = f;
            int[] in = java.util.stream.IntStream.range(0, n).filter(i -> fold[i] != ff).toArray();
            int[] out = java.util.stream.IntStream.range(0, n).filter(i -> fold[i] == ff).toArray();
            LOG.info("cross-fitting fold {}/{}: training on {} rows, scoring {}", f + 1, k, in.length, out.length);
            DetectorTraining.Member mem = DetectorTraining.member(Nd4j.pullRows(x, 1, in), config,
                    config.training().seed() + 1000 + f, rowsInMemory);
            double[] s = mem.scorer().score(mem.model(), Nd4j.pullRows(x, 1, out));
            for (int i = 0; i < out.length; i++) {
                oof[out[i]] = s[i];
            }
        }
        List<DetectorTraining.Member> members = new ArrayList<>();
        for (int m = 0; m < config.ensembleSize(); m++) {
            LOG.info("training ensemble member {}/{} on {} rows", m + 1, config.ensembleSize(), n);
            members.add(DetectorTraining.member(x, config, config.training().seed() + m, rowsInMemory));
        }
        double[] cal = members.size() > 1 ? toEnsembleSpread(oof, members, x) : oof;
        Threshold t = config.threshold().fit(cal);
        LOG.info("threshold {} = {} on {} out-of-fold scores ({} folds)", t.spec(), t.value(), n, k);
        return create(members, t, cal, "cross-fitted, " + k + " folds");
    }

    /**
     * Out-of-fold scores put on the ensemble's scale. They are single-model scores, while the detector scores
     * with the mean over its members, which spreads less wherever the members disagree: a threshold fitted on the
     * raw out-of-fold scores sits too high and flags too little (measured: recall 0.10 against 0.17 at the oracle
     * threshold, false alarms 0.67% for a 1% target; {@code docs/notes/issue-14-session4.md}). The mean is kept
     * (the ensemble's expected score is its members' mean expected score), the spread around it is multiplied by
     * {@code c = sd(ensemble scores) / mean over members of sd(member scores)}, both measured on the training rows
     * (clamped to [0, 1]).
     */
    static double[] toEnsembleSpread(double[] oof, List<DetectorTraining.Member> members, INDArray x) {
        int n = (int) x.size(0);
        double[] mean = new double[n];
        double memberSd = 0;
        for (DetectorTraining.Member m : members) {
            double[] s = m.scorer().score(m.model(), x);
            memberSd += sd(s);
            for (int i = 0; i < n; i++) {
                mean[i] += s[i] / members.size();
            }
        }
        memberSd /= members.size();
        double c = memberSd > 0 ? Math.max(0, Math.min(1, sd(mean) / memberSd)) : 1;
        double mu = Arrays.stream(oof).average().orElse(0);
        double[] out = new double[oof.length];
        for (int i = 0; i < oof.length; i++) {
            out[i] = mu + c * (oof[i] - mu);
        }
        LOG.info("out-of-fold scores put on the ensemble's spread: x{} around their mean {}", c, mu);
        return out;
    }

    private static double sd(double[] v) {
        double m = Arrays.stream(v).average().orElse(0);
        double ss = 0;
        for (double d : v) {
            ss += (d - m) * (d - m);
        }
        return v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0;
    }

    /** A detector of trained members (used by {@link DetectorTraining}). */
    static AnomalyDetector create(List<DetectorTraining.Member> members, Threshold t, double[] calibrationScores,
                                  String calibration) {
        List<Autoencoder> ms = new ArrayList<>();
        List<AnomalyScorer> ss = new ArrayList<>();
        for (DetectorTraining.Member m : members) {
            requireSupported(m.scorer(), m.model());
            ms.add(m.model());
            ss.add(m.scorer());
        }
        return new AnomalyDetector(ms, ss, t, calibrationScores, calibration);
    }

    /** The mean over ensemble members of each row's score (one member: its scores). */
    static double[] meanScore(List<Autoencoder> ms, List<AnomalyScorer> ss, INDArray x) {
        double[] acc = null;
        for (int m = 0; m < ms.size(); m++) {
            double[] s = ss.get(m).score(ms.get(m), x);
            if (acc == null) {
                acc = s;
            } else {
                for (int i = 0; i < s.length; i++) {
                    acc[i] += s[i];
                }
            }
        }
        if (ms.size() > 1) {
            for (int i = 0; i < acc.length; i++) {
                acc[i] /= ms.size();
            }
        }
        return acc;
    }

    /**
     * Makes a detector from a trained model: scores the calibration rows (normal rows the model did
     * not train on) and fits the threshold on their scores.
     *
     * @param model           the trained model
     * @param scorer          how rows are scored
     * @param calibrationRows held-out normal rows, raw
     * @param t               how the threshold is chosen (not one that needs labels)
     * @return the detector
     * @throws IllegalArgumentException on invalid rows, a scorer that cannot score the model, or a
     *                                  strategy that needs labels
     */
    public static AnomalyDetector of(Autoencoder model, AnomalyScorer scorer, INDArray calibrationRows,
                                     ThresholdStrategy t) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(scorer, "scorer");
        Objects.requireNonNull(t, "t");
        requireSupported(scorer, model);
        requireUnlabelled(t);
        double[] s = scorer.score(model, rows(calibrationRows, model.inputSize(), "calibration rows"));
        return new AnomalyDetector(model, scorer, t.fit(s), s);
    }

    /**
     * A detector from a trained model and calibration scores computed elsewhere (e.g. on a cluster):
     * the scores of held-out normal rows by {@code scorer}.
     *
     * @param model             the trained model
     * @param scorer            how rows are scored (must be the scorer that produced the scores)
     * @param calibrationScores the scores of held-out normal rows
     * @param t                 how the threshold is chosen (not one that needs labels)
     * @return the detector
     * @throws IllegalArgumentException on no or non-finite scores, a scorer that cannot score the
     *                                  model, or a strategy that needs labels
     */
    public static AnomalyDetector of(Autoencoder model, AnomalyScorer scorer, double[] calibrationScores,
                                     ThresholdStrategy t) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(scorer, "scorer");
        Objects.requireNonNull(calibrationScores, "calibrationScores");
        Objects.requireNonNull(t, "t");
        requireSupported(scorer, model);
        requireUnlabelled(t);
        double[] s = calibrationScores.clone();
        return new AnomalyDetector(model, scorer, t.fit(s), s);
    }

    // ------------------------------------------------------------------ scoring

    /**
     * Anomaly scores of rows.
     *
     * @param rawRows rows, shape [rows, model().inputSize()] (or any shape whose trailing dimensions
     *                hold that many values per row)
     * @return one score per row, higher = more anomalous
     * @throws IllegalArgumentException on an empty batch, the wrong width, or NaN/infinite values
     */
    public double[] score(INDArray rawRows) {
        return meanScore(members, scorers, rows(rawRows, model.inputSize(), "rows"));
    }

    /**
     * The parts of each row's score that add up to it: with the {@link StandardizedScorer}, one value
     * per feature (its standardised reconstruction error, averaged over the ensemble) and, last, the
     * latent term; with another scorer, the reconstruction error's per-feature values rescaled to sum
     * to the score, and a last value of 0.
     *
     * @param rawRows rows, as for {@link #score(INDArray)}
     * @return [rows][features + 1], each row summing to the row's score (up to rounding)
     */
    public double[][] scoreTerms(INDArray rawRows) {
        INDArray x = rows(rawRows, model.inputSize(), "rows");
        int w = model.inputSize();
        double[][] out = new double[(int) x.size(0)][w + 1];
        if (scorers.stream().allMatch(sc -> sc instanceof StandardizedScorer)) {
            for (int m = 0; m < members.size(); m++) {
                double[][] t = ((StandardizedScorer) scorers.get(m)).terms(members.get(m), x);
                for (int i = 0; i < t.length; i++) {
                    for (int j = 0; j <= w; j++) {
                        out[i][j] += t[i][j] / members.size();
                    }
                }
            }
            return out;
        }
        double[] s = score(x);
        double[][] c = contributions(x);
        for (int i = 0; i < out.length; i++) {
            for (int j = 0; j < w; j++) {
                out[i][j] = c[i][j] * s[i];
            }
        }
        return out;
    }

    /**
     * Each row's latent share: the latent term's part of its score divided by the score (0 for scorers
     * without a latent term). With {@link #contributions(INDArray)} it sums to 1.
     *
     * @param rawRows rows, as for {@link #score(INDArray)}
     * @return one share per row, in [0, 1]
     */
    public double[] latentShares(INDArray rawRows) {
        double[][] t = scoreTerms(rawRows);
        double[] out = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            double sum = 0;
            for (double v : t[i]) {
                sum += v;
            }
            out[i] = sum > 0 ? t[i][t[i].length - 1] / sum : 0;
        }
        return out;
    }

    /**
     * Flags rows.
     *
     * @param rawRows rows, as for {@link #score(INDArray)}
     * @return 1 where {@code score >= threshold().value()}, else 0
     */
    public int[] predict(INDArray rawRows) {
        return threshold.predict(score(rawRows));
    }

    /**
     * Conformal p-values of rows against the calibration scores:
     * {@code (1 + #{calibration scores >= score}) / (n + 1)}. A normal row's p-value is at most
     * alpha with probability at most alpha, so flagging {@code p <= alpha} keeps the false-positive
     * rate at most alpha (see {@link Conformal}).
     *
     * @param rawRows rows, as for {@link #score(INDArray)}
     * @return one p-value per row, in {@code [1/(n+1), 1]}, small = anomalous
     */
    public double[] pValues(INDArray rawRows) {
        return conformal.pValues(score(rawRows));
    }

    /**
     * Scores labelled rows and summarises them at this detector's threshold (AUROC, average
     * precision, precision, recall, F1, ...).
     *
     * @param rawRows rows, as for {@link #score(INDArray)}
     * @param labels  one 0/1 label per row, 1 = anomaly, both classes present
     * @return the evaluation
     */
    public Evaluation evaluate(INDArray rawRows, int[] labels) {
        Objects.requireNonNull(labels, "labels");
        return Metrics.evaluate(score(rawRows), labels, threshold.value());
    }

    // ------------------------------------------------------------------ explanations

    /**
     * Each feature's share of each row's reconstruction error: the loss's per-feature error in the
     * normalised space ({@link Autoencoder#featureErrors(INDArray)}) divided by the row's sum. For
     * images this is a per-pixel map (reshape a row to the model's input shape).
     *
     * @param rawRows rows, as for {@link #score(INDArray)}
     * @return [rows][features] shares, each row summing to 1 (all 0 for a row reconstructed exactly);
     *         with the {@link StandardizedScorer} each feature's share of the score
     *         ({@link #scoreTerms(INDArray)} divided by the score), summing to 1 minus the row's
     *         {@link #latentShares(INDArray) latent share}
     */
    public double[][] contributions(INDArray rawRows) {
        INDArray x = rows(rawRows, model.inputSize(), "rows");
        if (scorers.stream().allMatch(sc -> sc instanceof StandardizedScorer)) {
            double[][] t = scoreTerms(x);
            double[][] out = new double[t.length][];
            for (int i = 0; i < t.length; i++) {
                double sum = 0;
                for (double v : t[i]) {
                    sum += v;
                }
                out[i] = new double[t[i].length - 1];
                for (int j = 0; j < out[i].length && sum > 0; j++) {
                    out[i][j] = t[i][j] / sum;
                }
            }
            return out;
        }
        double[][] out = new double[(int) x.size(0)][];
        forChunks(x, (from, chunk) -> {
            double[][] e = model.featureErrors(chunk).castTo(DataType.DOUBLE).toDoubleMatrix();
            for (int i = 0; i < e.length; i++) {
                out[from + i] = shares(e[i]);
            }
        });
        return out;
    }

    /**
     * Explains images by region: each image's {@link #contributions per-pixel contributions} summed over
     * the cells of a grid of at most {@value ImageRegions#GRID} x {@value ImageRegions#GRID} regions
     * (see {@link ImageRegions}), the {@code topK} largest per image.
     *
     * @param rawImages images as rows (HWC order), as for {@link #score(INDArray)}
     * @param topK      regions per image, at least 1 (capped at the number of regions)
     * @return per image, its top regions, largest share first
     * @throws IllegalStateException    when the model was not trained on images (its data kind has no image
     *                                  shape: use {@link #explain(INDArray, int)})
     * @throws IllegalArgumentException on invalid rows or topK below 1
     */
    public List<List<ImageRegions.Region>> explainRegions(INDArray rawImages, int topK) {
        int[] shape = model.data().imageShape();
        if (shape == null) {
            throw new IllegalStateException("explainRegions needs a model trained on images; this one was trained"
                    + " on " + model.data() + ": use explain(rows, k)");
        }
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be >= 1, got " + topK);
        }
        return ImageRegions.top(contributions(rawImages), shape, topK);
    }

    /**
     * Explains rows: the {@code topK} features with the largest share of each row's reconstruction
     * error, named after the model's tabular schema when it has one ({@code f<index>} otherwise).
     *
     * @param rawRows rows, as for {@link #score(INDArray)}
     * @param topK    how many features per row, at least 1 (capped at the number of features)
     * @return one explanation per row
     * @throws IllegalArgumentException on invalid rows or topK below 1
     */
    public Explanation[] explain(INDArray rawRows, int topK) {
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be >= 1, got " + topK);
        }
        INDArray x = rows(rawRows, model.inputSize(), "rows");
        int k = Math.min(topK, model.inputSize());
        List<String> names = featureNames();
        double[] scores = score(x);
        Explanation[] out = new Explanation[scores.length];
        if (scorers.stream().allMatch(sc -> sc instanceof StandardizedScorer)) {
            double[][] t = scoreTerms(x);
            for (int row = 0; row < t.length; row++) {
                double[] part = t[row];
                double sum = 0;
                for (double v : part) {
                    sum += v;
                }
                Integer[] order = new Integer[part.length - 1];
                for (int j = 0; j < order.length; j++) {
                    order[j] = j;
                }
                Arrays.sort(order, (a, b) -> {
                    int c = Double.compare(part[b], part[a]);
                    return c != 0 ? c : Integer.compare(a, b);
                });
                List<Explanation.Contribution> top = new ArrayList<>(k);
                for (int j = 0; j < k; j++) {
                    int f = order[j];
                    top.add(new Explanation.Contribution(f, names.get(f), part[f], sum > 0 ? part[f] / sum : 0));
                }
                double lat = part[part.length - 1];
                out[row] = new Explanation(row, scores[row], threshold.isAnomaly(scores[row]), top, lat,
                        sum > 0 ? lat / sum : 0);
            }
            return out;
        }
        forChunks(x, (from, chunk) -> {
            double[][] e = model.featureErrors(chunk).castTo(DataType.DOUBLE).toDoubleMatrix();
            for (int i = 0; i < e.length; i++) {
                int row = from + i;
                double[] err = e[i];
                double[] share = shares(err);
                Integer[] order = new Integer[err.length];
                for (int j = 0; j < order.length; j++) {
                    order[j] = j;
                }
                Arrays.sort(order, (a, b) -> {
                    int c = Double.compare(err[b], err[a]);
                    return c != 0 ? c : Integer.compare(a, b);
                });
                List<Explanation.Contribution> top = new ArrayList<>(k);
                for (int j = 0; j < k; j++) {
                    int f = order[j];
                    top.add(new Explanation.Contribution(f, names.get(f), err[f], share[f]));
                }
                out[row] = new Explanation(row, scores[row], threshold.isAnomaly(scores[row]), top);
            }
        });
        return out;
    }

    /**
     * The names of the model's features: the tabular schema's encoded feature names when the model
     * has a schema of the right width, else {@code f0, f1, ...}.
     *
     * @return one name per feature
     */
    public List<String> featureNames() {
        int d = model.inputSize();
        Optional<List<String>> fromSchema = model.schema().map(TabularSchema::featureNames).filter(l -> l.size() == d);
        if (fromSchema.isPresent()) {
            return List.copyOf(fromSchema.get());
        }
        List<String> names = new ArrayList<>(d);
        for (int j = 0; j < d; j++) {
            names.add("f" + j);
        }
        return names;
    }

    private static double[] shares(double[] err) {
        double sum = 0;
        for (double v : err) {
            sum += v;
        }
        double[] s = new double[err.length];
        if (sum > 0 && Double.isFinite(sum)) {
            for (int j = 0; j < s.length; j++) {
                s[j] = err[j] / sum;
            }
        }
        return s;
    }

    private interface ChunkConsumer {
        void accept(int from, INDArray chunk);
    }

    private static void forChunks(INDArray x, ChunkConsumer c) {
        long n = x.size(0);
        for (long from = 0; from < n; from += CHUNK) {
            long to = Math.min(n, from + CHUNK);
            INDArray part = from == 0 && to == n ? x : x.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
            c.accept((int) from, part);
        }
    }

    // ------------------------------------------------------------------ recalibration

    /**
     * Re-targets the threshold on the kept calibration scores, without retraining or rescoring.
     *
     * @param t the new strategy (not one that needs labels)
     * @return a new detector with the same model, scorer and calibration scores
     * @throws IllegalArgumentException when the strategy needs labels, or the calibration scores are
     *                                  too few for it
     */
    public AnomalyDetector recalibrate(ThresholdStrategy t) {
        Objects.requireNonNull(t, "t");
        requireUnlabelled(t);
        return with(t.fit(calibrationScores), calibrationScores);
    }

    /**
     * Re-targets the threshold on labelled scores (e.g. for {@code f1}), typically
     * {@code score(rows)} of labelled rows. The scores of the normal rows (label 0) become the new
     * calibration scores (for p-values and later recalibrations).
     *
     * @param t      the strategy; one that does not need labels fits on the normal rows' scores
     *               (except {@code contamination}, on all)
     * @param scores scores of labelled rows
     * @param labels one 0/1 label per score, 1 = anomaly; at least one normal row
     * @return a new detector with the same model and scorer
     * @throws IllegalArgumentException on invalid scores or labels
     */
    public AnomalyDetector recalibrate(ThresholdStrategy t, double[] scores, int[] labels) {
        Objects.requireNonNull(t, "t");
        double[] normals = ThresholdStrategy.normalScores(scores, labels);
        Threshold fitted = t.fit(scores, labels);
        return with(fitted, normals);
    }

    /**
     * Re-targets the threshold on new calibration rows (normal rows the model did not train on),
     * whose scores replace the kept calibration scores.
     *
     * @param calibrationRows normal rows, raw
     * @param t               the strategy (not one that needs labels)
     * @return a new detector with the same model and scorer
     */
    public AnomalyDetector recalibrate(INDArray calibrationRows, ThresholdStrategy t) {
        Objects.requireNonNull(t, "t");
        requireUnlabelled(t);
        double[] s = score(calibrationRows);
        return with(t.fit(s), s);
    }

    private static void requireUnlabelled(ThresholdStrategy t) {
        if (t.requiresLabels()) {
            throw new IllegalArgumentException("threshold " + t.spec() + " needs labelled scores: use"
                    + " recalibrate(strategy, scores, labels) (on the command line: calibrate --label-column COL)");
        }
    }

    private static void requireSupported(AnomalyScorer scorer, Autoencoder model) {
        if (scorer instanceof StandardizedScorer st && !st.isFitted()) {
            throw new IllegalArgumentException("the standardized scorer given is an unfitted template: fit it to the"
                    + " model and its training rows first (StandardizedScorer.fit), or let AnomalyDetector.fit do it");
        }
        if (!scorer.supports(model)) {
            throw new IllegalArgumentException("scorer '" + scorer.id() + "' cannot score a " + model.kind()
                    + " model (" + model + ")");
        }
    }

    /**
     * A copy whose model records a tabular schema (column names, categories, imputation values), so
     * that explanations name features and the saved file encodes new tables as the training table
     * was. Scores, flags and the threshold are unchanged (the weights are shared).
     *
     * @param schema the schema of the table the model was trained on
     * @return the copy
     */
    public AnomalyDetector withSchema(TabularSchema schema) {
        Objects.requireNonNull(schema, "schema");
        List<Autoencoder> ms = new ArrayList<>(members);
        ms.set(0, model.withSchema(schema));
        return new AnomalyDetector(ms, scorers, threshold, calibrationScores, calibration);
    }

    /**
     * A copy whose model carries one more metadata value (see {@link Autoencoder#withExtra}); the
     * weights, scorer, threshold and calibration scores are unchanged.
     *
     * @param key   the key
     * @param value a plain value, list or map
     * @return the copy
     */
    public AnomalyDetector withExtra(String key, Object value) {
        Objects.requireNonNull(key, "key");
        List<Autoencoder> ms = new ArrayList<>(members);
        ms.set(0, model.withExtra(key, value));
        return new AnomalyDetector(ms, scorers, threshold, calibrationScores, calibration);
    }

    // ------------------------------------------------------------------ accessors

    /** @return the threshold */
    public Threshold threshold() {
        return threshold;
    }

    /** @return a copy of the calibration scores (held-out normal rows' scores, in their order) */
    public double[] calibrationScores() {
        return calibrationScores.clone();
    }

    /** @return the conformal p-value function of the calibration scores */
    public Conformal conformal() {
        return conformal;
    }

    /** @return the trained model */
    public Autoencoder model() {
        return model;
    }

    /** @return the scorer (of the first ensemble member, when there are several) */
    public AnomalyScorer scorer() {
        return scorer;
    }

    /** @return the ensemble's models, the first being {@link #model()} (one for a single model) */
    public List<Autoencoder> members() {
        return members;
    }

    /** @return each ensemble member's fitted scorer, in member order */
    public List<AnomalyScorer> memberScorers() {
        return scorers;
    }

    /**
     * @return how the calibration scores were obtained: {@code held-out} (rows the models never
     *         trained on) or {@code cross-fitted, K folds} (out-of-fold scores of every training row)
     */
    public String calibration() {
        return calibration;
    }

    /**
     * A summary for people and tools ({@code ae4j info}): the scorer in words, the ensemble size, how
     * the calibration scores were obtained and how many there are; with the {@link StandardizedScorer}
     * also its term weights and the number of reference codes per member.
     *
     * @return an ordered map of plain values
     */
    public Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("scorerDescription", scorer.toString());
        d.put("ensembleSize", members.size());
        d.put("calibration", calibration);
        d.put("calibrationScores", calibrationScores.length);
        if (scorer instanceof StandardizedScorer st) {
            d.put("reconstructionWeight", st.reconstructionWeight());
            d.put("latentWeight", st.latentWeight());
            d.put("referenceCodesPerMember", st.referenceCount());
        }
        return d;
    }

    // ------------------------------------------------------------------ persistence

    private record DetectorJson(String format, int formatVersion, String ae4jVersion, String scorer,
                                Map<String, Object> scorerParams, String thresholdSpec, double thresholdValue,
                                int calibrationSize, Map<String, Double> thresholdDetails,
                                double[] calibrationScores, Integer ensembleSize,
                                List<Map<String, Object>> memberScorerParams, String calibration,
                                List<Normalizer> memberNormalizers) {
    }

    /**
     * Saves the detector as one model file: the first member's model entries plus {@value #ENTRY}
     * (format version 2: the scorer's id and settings for every ensemble member, the threshold's spec,
     * value and details, the calibration scores and how they were obtained), and binary entries
     * {@code detector-member-<i>.bin} (weights of members 2, 3, ..., which share the first member's
     * architecture; their normalisers are in {@value #ENTRY}) and {@code detector-codes-<i>.bin} (each member's reference codes
     * for the {@link StandardizedScorer}). Written atomically: the previous file is intact on failure.
     *
     * @param path the file
     * @throws IOException on I/O failure
     */
    public void save(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        List<Map<String, Object>> params = new ArrayList<>();
        List<Normalizer> norms = new ArrayList<>();
        Map<String, byte[]> extras = new LinkedHashMap<>();
        for (int m = 0; m < members.size(); m++) {
            AnomalyScorer sc = scorers.get(m);
            if (!sc.id().equals(scorer.id())) {
                throw new IllegalStateException("ensemble members with different scorers cannot be saved");
            }
            params.add(sc.params() == null ? Map.of() : new LinkedHashMap<>(sc.params()));
            norms.add(members.get(m).normalizer());
            if (sc instanceof StandardizedScorer st && st.isFitted()) {
                extras.put(CODES_ENTRY + m + ".bin", FloatMatrix.encode(st.referenceCodes()));
            }
            if (m > 0) {
                ComputationGraph g = members.get(m).sharedGraph();
                float[] w;
                synchronized (g) {
                    w = g.params().castTo(DataType.FLOAT).dup().data().asFloat();
                }
                extras.put(MEMBER_ENTRY + m + ".bin", FloatMatrix.encode(new float[][] {w}));
            }
        }
        DetectorJson j = new DetectorJson(FORMAT, FORMAT_VERSION, Ae4j.VERSION, scorer.id(), params.get(0),
                threshold.spec(), threshold.value(), threshold.calibrationSize(), threshold.details(),
                calibrationScores, members.size(), params, calibration, norms);
        extras.put(ENTRY, Json.MAPPER.writeValueAsBytes(j));
        ModelFile.write(path, model, extras);
    }

    /**
     * Loads a detector saved by {@link #save(Path)} (format versions 1 and 2). Safe on untrusted files
     * (see {@link ModelFile}). The scorer is re-created by id ({@link AnomalyScorers#create}), so a
     * scorer from another module needs that module on the class path.
     *
     * @param path the file
     * @return the detector, scoring and flagging exactly as the saved one
     * @throws ModelFormatException when the file is a plain model file (no detector part), or its
     *                              detector part is invalid, of a newer format, or names an unknown
     *                              scorer
     * @throws IOException          on I/O failure or an invalid model file
     */
    public static AnomalyDetector load(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        ModelFile.Contents c = ModelFile.read(path);
        byte[] entry = c.entry(ENTRY).orElseThrow(() -> new ModelFormatException(path,
                "this is a model file, not a detector (it has no " + ENTRY + " entry): load it with"
                        + " Autoencoder.load, or make a detector from it with AnomalyDetector.of or 'ae4j calibrate'"));
        DetectorJson j;
        try {
            j = ModelFile.readJson(entry, DetectorJson.class);
        } catch (IOException e) {
            throw new ModelFormatException(path, "unreadable " + ENTRY + ": " + e.getMessage(), e);
        }
        if (j == null || !FORMAT.equals(j.format())) {
            throw new ModelFormatException(path, "invalid " + ENTRY + ": format '" + (j == null ? null : j.format())
                    + "', expected '" + FORMAT + "'");
        }
        if (j.formatVersion() > FORMAT_VERSION) {
            throw new ModelFormatException(path, "detector format version " + j.formatVersion() + " was written by ae4j "
                    + j.ae4jVersion() + " and is newer than this ae4j (" + Ae4j.VERSION + ") supports ("
                    + FORMAT_VERSION + "): upgrade ae4j");
        }
        if (j.scorer() == null || j.thresholdSpec() == null || j.calibrationScores() == null
                || j.calibrationScores().length == 0) {
            throw new ModelFormatException(path, "invalid " + ENTRY + ": missing scorer, threshold or calibration scores");
        }
        int size = j.ensembleSize() == null ? 1 : j.ensembleSize();
        if (size < 1 || size > 16 || (j.memberScorerParams() != null && j.memberScorerParams().size() != size)) {
            throw new ModelFormatException(path, "invalid " + ENTRY + ": ensemble size " + size + " with "
                    + (j.memberScorerParams() == null ? "no" : j.memberScorerParams().size()) + " member scorers");
        }
        try {
            List<Autoencoder> ms = new ArrayList<>();
            List<AnomalyScorer> ss = new ArrayList<>();
            Autoencoder first = c.model();
            for (int m = 0; m < size; m++) {
                Map<String, Object> p = j.memberScorerParams() != null ? j.memberScorerParams().get(m)
                        : j.scorerParams() == null ? Map.of() : j.scorerParams();
                Autoencoder am = first;
                if (m > 0) {
                    String name = MEMBER_ENTRY + m + ".bin";
                    float[][] w = FloatMatrix.decode(c.entry(name).orElseThrow(() ->
                            new IllegalArgumentException("missing entry " + name)), name);
                    ComputationGraph g;
                    synchronized (first.sharedGraph()) {
                        g = first.sharedGraph().clone();
                    }
                    if (w.length != 1 || w[0].length != g.numParams()) {
                        throw new IllegalArgumentException(name + " holds " + (w.length == 1 ? w[0].length : -1)
                                + " weights, the architecture has " + g.numParams());
                    }
                    g.setParams(Nd4j.createFromArray(w[0]).reshape(1, w[0].length).castTo(g.params().dataType()));
                    Normalizer norm = j.memberNormalizers() != null && j.memberNormalizers().size() == size
                            && j.memberNormalizers().get(m) != null ? j.memberNormalizers().get(m) : first.normalizer();
                    am = Autoencoder.restore(g, norm, first.info(), first.schema().orElse(null));
                }
                AnomalyScorer sc;
                if (StandardizedScorer.ID.equals(j.scorer())) {
                    String name = CODES_ENTRY + m + ".bin";
                    float[][] codes = FloatMatrix.decode(c.entry(name).orElseThrow(() ->
                            new IllegalArgumentException("missing entry " + name)), name);
                    sc = StandardizedScorer.restore(p, codes);
                } else {
                    sc = AnomalyScorers.create(j.scorer(), p);
                }
                requireSupported(sc, am);
                ms.add(am);
                ss.add(sc);
            }
            Threshold t = new Threshold(j.thresholdValue(), j.thresholdSpec(), j.calibrationSize(),
                    j.thresholdDetails());
            return new AnomalyDetector(ms, ss, t, j.calibrationScores(),
                    j.calibration() == null ? "held-out" : j.calibration());
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(path, "invalid detector: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Checks rows and returns them as a [rows, width] matrix.
     *
     * @throws IllegalArgumentException naming what was expected and what came
     */
    static INDArray rows(INDArray x, int width, String what) {
        Objects.requireNonNull(x, what);
        if (x.isEmpty() || x.rank() < 1 || x.size(0) == 0) {
            throw new IllegalArgumentException(what + " are empty: expected at least one row of " + width
                    + " features, got shape " + Arrays.toString(x.shape()));
        }
        INDArray r = x.rank() == 1 ? x.reshape(1, x.length()) : x;
        long cols = r.length() / r.size(0);
        if (cols != width || r.length() % r.size(0) != 0) {
            throw new IllegalArgumentException("expected " + width + " features per row, got " + cols + " ("
                    + what + " have shape " + Arrays.toString(x.shape()) + ")");
        }
        if (r.rank() != 2) {
            r = r.reshape(r.size(0), cols);
        }
        Arrays2.requireFinite(r, what);
        return r;
    }

    @Override
    public String toString() {
        return "AnomalyDetector[" + model + (members.size() > 1 ? " x" + members.size() : "") + ", scorer "
                + scorer.id() + ", threshold " + threshold.spec() + " = "
                + threshold.value() + ", " + calibrationScores.length + " calibration scores (" + calibration + ")]";
    }

    // ------------------------------------------------------------------ data kind (issue 15)

    /**
     * A copy whose model records the kind of data it was trained on (a table, images of a shape, or
     * plain rows; see {@link Autoencoder#data()}); scores, flags and the threshold are unchanged.
     *
     * @param data the kind of data
     * @return the copy
     */
    public AnomalyDetector withData(io.github.ae4j.core.data.DataKind data) {
        Objects.requireNonNull(data, "data");
        List<Autoencoder> ms = new ArrayList<>(members);
        ms.set(0, model.withData(data));
        return new AnomalyDetector(ms, scorers, threshold, calibrationScores, calibration);
    }

    // ------------------------------------------------------------------ application layer (issue 15)

    /**
     * Scores, flags and p-values of rows in one call (what {@code ae4j score} and Spark's scorer write).
     *
     * @param rawRows rows, as for {@link #score(INDArray)}
     * @return per row: score, flag, p-value
     */
    public Detection detect(INDArray rawRows) {
        return detect(rawRows, 0);
    }

    /**
     * Scores, flags, p-values and, when asked, explanations of rows in one call.
     *
     * @param rawRows     rows, as for {@link #score(INDArray)}
     * @param explainTopK the features to name per row ({@link #explain}), or 0 for none
     * @return per row: score, flag, p-value, and explanation when {@code explainTopK > 0}
     */
    public Detection detect(INDArray rawRows, int explainTopK) {
        if (explainTopK < 0) {
            throw new IllegalArgumentException("explainTopK must be >= 0, got " + explainTopK);
        }
        double[] s = score(rawRows);
        return new Detection(s, threshold.predict(s), conformal.pValues(s),
                explainTopK > 0 ? explain(rawRows, explainTopK) : null);
    }

    /**
     * {@link #detect(INDArray)} for rows given as arrays.
     *
     * @param rows rows of {@code model().inputSize()} values
     * @return per row: score, flag, p-value
     */
    public Detection detect(double[][] rows) {
        return detect(Arrays2.toMatrix(rows, model.inputSize(), "rows"), 0);
    }

    /**
     * {@link #score(INDArray)} for rows given as arrays.
     *
     * @param rows rows of {@code model().inputSize()} values
     * @return one score per row
     */
    public double[] score(double[][] rows) {
        return score(Arrays2.toMatrix(rows, model.inputSize(), "rows"));
    }

    /**
     * {@link #predict(INDArray)} for rows given as arrays.
     *
     * @param rows rows of {@code model().inputSize()} values
     * @return 1 for anomalies, 0 otherwise
     */
    public int[] predict(double[][] rows) {
        return predict(Arrays2.toMatrix(rows, model.inputSize(), "rows"));
    }

    /**
     * Trains a detector on normal rows given as arrays (see {@link #fit(ModelSpec, INDArray, DetectorConfig,
     * TrainingListener...)}).
     *
     * @param spec       the architecture
     * @param normalRows normal rows of {@code spec.inputSize()} values
     * @param config     how to train and calibrate
     * @param listeners  progress listeners
     * @return the detector
     */
    public static AnomalyDetector fit(ModelSpec spec, double[][] normalRows, DetectorConfig config,
                                      TrainingListener... listeners) {
        return fit(spec, Arrays2.toMatrix(normalRows, spec.inputSize(), "training data"), config, listeners);
    }

    /**
     * Recalibrates the threshold from this detector's calibration scores (normal, label 0) and the
     * scores of labelled anomalies (label 1), e.g. for {@code f1}; the calibration scores kept are
     * the normal ones.
     *
     * @param t              the strategy (may need labels)
     * @param anomalyScores  scores of rows labelled anomalous (at least one)
     * @return the recalibrated detector
     * @throws IllegalArgumentException when there are no anomaly scores
     */
    public AnomalyDetector recalibrateWithAnomalies(ThresholdStrategy t, double[] anomalyScores) {
        Objects.requireNonNull(anomalyScores, "anomalyScores");
        if (anomalyScores.length == 0) {
            throw new IllegalArgumentException("threshold " + t.spec() + " needs labelled anomalies (label 1)");
        }
        double[] s = Arrays.copyOf(calibrationScores, calibrationScores.length + anomalyScores.length);
        System.arraycopy(anomalyScores, 0, s, calibrationScores.length, anomalyScores.length);
        int[] y = new int[s.length];
        Arrays.fill(y, calibrationScores.length, y.length, 1);
        return recalibrate(t, s, y);
    }
}
