package io.github.ae4j.anomaly.threshold;

import io.github.ae4j.anomaly.metrics.BestF1;
import io.github.ae4j.anomaly.metrics.Metrics;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in {@link ThresholdStrategy}s and the parser of their command-line forms.
 *
 * <table>
 *   <caption>Strategies</caption>
 *   <tr><th>spec</th><th>threshold on calibration scores</th></tr>
 *   <tr><td>{@code percentile:P}</td><td>flags new normal rows at false-positive rate at most
 *       {@code 1 - P/100}: the conformal threshold {@link Conformal#thresholdAtFpr(double)}, just above
 *       the {@code ceil((n+1) P/100)}-th smallest score (close to the empirical P-th percentile)</td></tr>
 *   <tr><td>{@code contamination:C}</td><td>flags the fraction C of the scores it is fitted on: the
 *       {@code floor(C n)}-th largest score</td></tr>
 *   <tr><td>{@code zscore:K}</td><td>mean + K standard deviations</td></tr>
 *   <tr><td>{@code mad:K}</td><td>median + K * 1.4826 * MAD (the median absolute deviation, scaled to
 *       estimate the standard deviation of normal data; Iglewicz and Hoaglin 1993)</td></tr>
 *   <tr><td>{@code iqr:K}</td><td>Q3 + K (Q3 - Q1), Tukey's fence (Tukey 1977)</td></tr>
 *   <tr><td>{@code pot:Q}</td><td>the score exceeded with probability Q by extreme value theory:
 *       a generalized Pareto fit of the excesses over the 98% quantile (POT, Siffer et al.,
 *       KDD 2017)</td></tr>
 *   <tr><td>{@code spot:Q}</td><td>the same threshold as {@code pot:Q} (an alias with one
 *       difference of intent): SPOT's initial threshold {@code z_q} ({@link Spot#fit(double[], Spot.Config)}
 *       at level 0.98, the settings {@code ae4j stream} uses), which is POT on the calibration scores;
 *       the spec is kept in the detector, and a stream started on it uses SPOT at risk Q</td></tr>
 *   <tr><td>{@code dspot:Q[:D]}</td><td>the threshold DSPOT holds after reading the calibration
 *       scores in order ({@link DSpot#fit(double[], int, Spot.Config)}, depth D, default
 *       {@value #DSPOT_DEFAULT_DEPTH}): the mean of the last D calibration scores plus the POT
 *       threshold of their deviations from the running mean; a stream started on it uses DSPOT at
 *       risk Q and depth D</td></tr>
 *   <tr><td>{@code fixed:V}</td><td>V</td></tr>
 *   <tr><td>{@code f1}</td><td>needs labelled scores: the threshold with the best F1
 *       ({@link Metrics#bestF1(double[], int[])})</td></tr>
 * </table>
 *
 * <p>Where a spread is zero (all calibration scores alike), {@code zscore}, {@code mad} and
 * {@code iqr} return the next double above the centre, so that scores equal to the calibration
 * scores are not flagged.
 */
public final class Thresholds {

    private static final Logger LOG = LoggerFactory.getLogger(Thresholds.class);

    /** The accepted forms, for error messages. */
    public static final String VALID_FORMS = "percentile:P (0 < P < 100, e.g. percentile:99), "
            + "contamination:C (0 < C <= 0.5, e.g. contamination:0.05), zscore:K (K > 0, e.g. zscore:3), "
            + "mad:K (K > 0, e.g. mad:3.5), iqr:K (K >= 0, e.g. iqr:1.5), "
            + "pot:Q (0 < Q < 0.02, the risk, e.g. pot:0.001), spot:Q (as pot:Q, and ae4j stream uses SPOT at"
            + " risk Q, e.g. spot:0.001), dspot:Q[:D] (DSPOT, depth D >= 1, default 10, e.g. dspot:0.001:20),"
            + " fixed:V (a finite number, e.g. fixed:0.25), "
            + "f1 (needs labels)";

    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    /** The initial-threshold level of {@code pot:Q}, {@code spot:Q} and {@code dspot:Q:D}. */
    public static final double POT_LEVEL = 0.98;

    /** The depth of {@code dspot:Q} when none is given. */
    public static final int DSPOT_DEFAULT_DEPTH = 10;

    /** The largest depth of {@code dspot:Q:D} (as {@code StreamConfig}'s buffer limit). */
    public static final int DSPOT_MAX_DEPTH = 1_000_000;

    private Thresholds() {
    }

    /**
     * Parses a command-line threshold spec: {@code percentile:99}, {@code contamination:0.05},
     * {@code zscore:3}, {@code mad:3.5}, {@code iqr:1.5}, {@code pot:0.001}, {@code fixed:0.25} or
     * {@code f1}. Names are case-insensitive; spaces around the parts are ignored.
     *
     * @param spec the spec
     * @return the strategy; its {@link ThresholdStrategy#spec()} is the canonical form
     * @throws IllegalArgumentException naming the spec and listing the valid forms when the spec is
     *                                  unknown, malformed or out of range
     */
    public static ThresholdStrategy parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        String s = spec.trim();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.equals("f1")) {
            return f1();
        }
        int colon = s.indexOf(':');
        if (colon < 0) {
            throw invalid(spec, known(lower) ? "'" + lower + "' needs a value after ':'" : "unknown threshold");
        }
        String name = lower.substring(0, colon).trim();
        String arg = s.substring(colon + 1).trim();
        if (!known(name)) {
            throw invalid(spec, "unknown threshold '" + name + "'");
        }
        if (name.equals("f1")) {
            throw invalid(spec, "f1 takes no value");
        }
        if (name.equals("dspot")) {
            return parseDspot(spec, arg);
        }
        if (!NUMBER.matcher(arg).matches()) {
            throw invalid(spec, "'" + arg + "' is not a number");
        }
        double v = Double.parseDouble(arg);
        try {
            return switch (name) {
                case "percentile" -> percentile(v);
                case "contamination" -> contamination(v);
                case "zscore" -> zscore(v);
                case "mad" -> mad(v);
                case "iqr" -> iqr(v);
                case "pot" -> pot(v);
                case "spot" -> spot(v);
                case "fixed" -> fixed(v);
                default -> throw new IllegalStateException(name);
            };
        } catch (IllegalArgumentException e) {
            throw invalid(spec, e.getMessage());
        }
    }

    private static boolean known(String name) {
        return switch (name) {
            case "percentile", "contamination", "zscore", "mad", "iqr", "pot", "spot", "dspot", "fixed", "f1" -> true;
            default -> false;
        };
    }

    private static ThresholdStrategy parseDspot(String spec, String arg) {
        int colon = arg.indexOf(':');
        String q = (colon < 0 ? arg : arg.substring(0, colon)).trim();
        String d = colon < 0 ? null : arg.substring(colon + 1).trim();
        if (!NUMBER.matcher(q).matches()) {
            throw invalid(spec, "'" + q + "' is not a number");
        }
        int depth = DSPOT_DEFAULT_DEPTH;
        if (d != null) {
            if (!d.matches("[+-]?\\d+")) {
                throw invalid(spec, "the depth '" + d + "' is not a whole number");
            }
            if (!d.matches("[+-]?0*\\d{1,9}")) {
                throw invalid(spec, "dspot depth must be in [1, " + DSPOT_MAX_DEPTH + "], got " + d);
            }
            depth = Integer.parseInt(d);
        }
        try {
            return dspot(Double.parseDouble(q), depth);
        } catch (IllegalArgumentException e) {
            throw invalid(spec, e.getMessage());
        }
    }

    /**
     * The SPOT settings a spec asks a stream to use: present for {@code spot:Q} and
     * {@code dspot:Q:D} specs (as {@link ThresholdStrategy#spec()} writes them, so the spec a saved
     * detector records), empty for any other spec, including one that does not parse.
     *
     * @param spec a threshold spec, or null
     * @return the strategy, with its risk and depth
     */
    public static Optional<SpotStrategy> spotSettings(String spec) {
        if (spec == null) {
            return Optional.empty();
        }
        try {
            return parse(spec) instanceof SpotStrategy s ? Optional.of(s) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static IllegalArgumentException invalid(String spec, String why) {
        return new IllegalArgumentException("invalid threshold spec '" + spec + "': " + why + "; valid forms: "
                + VALID_FORMS);
    }

    /**
     * The conformal percentile threshold: new normal rows are flagged at a false-positive rate of at
     * most {@code 1 - percentile/100} (see {@link Conformal}). With fewer than
     * {@code 100/(100 - percentile) - 1} calibration scores that rate cannot be reached; the threshold
     * is then just above the largest calibration score, and a warning is logged.
     *
     * @param percentile P, in (0, 100)
     * @return the strategy {@code percentile:P}
     */
    public static ThresholdStrategy percentile(double percentile) {
        return new Percentile(percentile);
    }

    /**
     * Flags a fraction of the scores it is fitted on: the {@code floor(fraction n)}-th largest score
     * (ties at it are flagged too). On held-out normal scores this is close to
     * {@code percentile:(100 (1 - fraction))}; fitted on labelled scores it uses all of them, anomalies
     * included (the fraction describes the data as it comes).
     *
     * @param fraction C, in (0, 0.5]
     * @return the strategy {@code contamination:C}
     */
    public static ThresholdStrategy contamination(double fraction) {
        return new Contamination(fraction);
    }

    /**
     * Mean plus k sample standard deviations.
     *
     * @param k K, positive
     * @return the strategy {@code zscore:K}
     */
    public static ThresholdStrategy zscore(double k) {
        return new ZScore(k);
    }

    /**
     * Median plus k scaled median absolute deviations ({@code 1.4826 MAD}, a robust standard
     * deviation).
     *
     * @param k K, positive (3.5 is the usual cut of Iglewicz and Hoaglin)
     * @return the strategy {@code mad:K}
     */
    public static ThresholdStrategy mad(double k) {
        return new Mad(k);
    }

    /**
     * Tukey's upper fence: {@code Q3 + k (Q3 - Q1)}, quartiles with linear interpolation.
     *
     * @param k K, >= 0 (1.5 for outliers, 3 for far-out values)
     * @return the strategy {@code iqr:K}
     */
    public static ThresholdStrategy iqr(double k) {
        return new Iqr(k);
    }

    /**
     * Peaks over threshold at risk q, initial threshold at the 98% quantile ({@link #POT_LEVEL}).
     *
     * @param risk q, in (0, 0.02)
     * @return the strategy {@code pot:Q}
     */
    public static ThresholdStrategy pot(double risk) {
        return new PotStrategy(risk, POT_LEVEL);
    }

    /**
     * SPOT's initial threshold at risk q ({@code spot:Q}): the same value as {@link #pot(double)}
     * (POT at level {@link #POT_LEVEL} on the calibration scores, computed by
     * {@link Spot#fit(double[], Spot.Config)} with {@link Spot.Config#of(double)}, the settings of
     * {@code ae4j stream}); the spec tells a stream started on the detector to use SPOT at risk q.
     * The value differs from {@code pot:Q} only by the GPD fit's numerical tolerance (the excesses
     * come in another order; about 1e-9 relative), or, above 50,000 calibration scores,
     * because SPOT keeps the last 1,000 peaks.
     *
     * @param risk q, in (0, 0.02)
     * @return the strategy {@code spot:Q}
     */
    public static ThresholdStrategy spot(double risk) {
        return new SpotStrategy(risk, 0);
    }

    /**
     * DSPOT's threshold after reading the calibration scores in order ({@code dspot:Q:D}): the mean
     * of the last {@code depth} scores plus the POT threshold at risk q of each score's deviation
     * from the mean of the {@code depth} before it ({@link DSpot#fit(double[], int, Spot.Config)}).
     * The spec tells a stream started on the detector to use DSPOT at risk q and this depth.
     *
     * @param risk  q, in (0, 0.02)
     * @param depth D, in [1, {@value #DSPOT_MAX_DEPTH}]
     * @return the strategy {@code dspot:Q:D}
     */
    public static ThresholdStrategy dspot(double risk, int depth) {
        if (depth < 1 || depth > DSPOT_MAX_DEPTH) {
            throw new IllegalArgumentException("dspot depth must be in [1, " + DSPOT_MAX_DEPTH + "], got " + depth);
        }
        return new SpotStrategy(risk, depth);
    }

    /**
     * A fixed value, whatever the calibration scores.
     *
     * @param value V, finite
     * @return the strategy {@code fixed:V}
     */
    public static ThresholdStrategy fixed(double value) {
        return new Fixed(value);
    }

    /**
     * The F1-optimal threshold on labelled scores (it {@link ThresholdStrategy#requiresLabels()
     * requires labels}).
     *
     * @return the strategy {@code f1}
     */
    public static ThresholdStrategy f1() {
        return F1.INSTANCE;
    }

    /**
     * A number in its shortest plain form ({@code 99}, {@code 0.001}).
     *
     * @param v the number
     * @return the text
     */
    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static Map<String, Double> details(Object... kv) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], ((Number) kv[i + 1]).doubleValue());
        }
        return m;
    }

    /** Location + k * spread, or the next double above the location when the spread is 0. */
    private static double fence(double centre, double k, double spread) {
        return spread == 0 ? Math.nextUp(centre) : centre + k * spread;
    }

    private static void requireFinite(double v, String name) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be finite, got " + v);
        }
    }

    // ------------------------------------------------------------------ strategies

    private record Percentile(double percentile) implements ThresholdStrategy {
        Percentile {
            if (!(percentile > 0 && percentile < 100)) {
                throw new IllegalArgumentException("percentile must be in (0, 100), got " + percentile);
            }
        }

        @Override
        public Threshold fit(double[] calibrationScores) {
            double alpha = (100 - percentile) / 100;
            Conformal c = Conformal.of(calibrationScores);
            double v = c.thresholdAtFpr(alpha);
            int n = c.size();
            if (v == Double.POSITIVE_INFINITY) {
                double[] s = c.sortedScores();
                v = Math.nextUp(s[n - 1]);
                LOG.warn("{}: {} calibration scores are too few for a false-positive rate of {} (at least {} needed);"
                        + " using the largest calibration score", spec(), n, num(alpha),
                        (int) Math.ceil(1 / alpha - 1 - 1e-9));
            }
            return new Threshold(v, spec(), n, details("fpr", alpha, "calibrationExceedances", c.countAtOrAbove(v)));
        }

        @Override
        public String spec() {
            return "percentile:" + num(percentile);
        }

        @Override
        public String toString() {
            return spec();
        }
    }

    private record Contamination(double fraction) implements ThresholdStrategy {
        Contamination {
            if (!(fraction > 0 && fraction <= 0.5)) {
                throw new IllegalArgumentException("contamination must be in (0, 0.5], got " + fraction);
            }
        }

        @Override
        public Threshold fit(double[] calibrationScores) {
            double[] s = Stats.sortedCopy(calibrationScores, "calibration scores", 1);
            int n = s.length;
            int k = (int) Math.min(n, Math.floor(fraction * n * (1 + 1e-12)));
            double v;
            if (k == 0) {
                v = Math.nextUp(s[n - 1]);
                LOG.warn("{}: {} calibration scores are too few to flag a fraction {} of them;"
                        + " using the largest calibration score", spec(), n, num(fraction));
            } else {
                v = s[n - k];
            }
            return new Threshold(v, spec(), n, details("flagged", k));
        }

        @Override
        public Threshold fit(double[] scores, int[] labels) {
            ThresholdStrategy.normalScores(scores, labels); // checks the labels
            return fit(scores);
        }

        @Override
        public String spec() {
            return "contamination:" + num(fraction);
        }

        @Override
        public String toString() {
            return spec();
        }
    }

    private record ZScore(double k) implements ThresholdStrategy {
        ZScore {
            if (!(k > 0) || !Double.isFinite(k)) {
                throw new IllegalArgumentException("zscore K must be positive and finite, got " + k);
            }
        }

        @Override
        public Threshold fit(double[] calibrationScores) {
            double[] s = Stats.checked(calibrationScores, "calibration scores", 2);
            double mean = Stats.mean(s);
            double sd = Stats.sd(s, mean);
            return new Threshold(fence(mean, k, sd), spec(), s.length, details("mean", mean, "sd", sd));
        }

        @Override
        public String spec() {
            return "zscore:" + num(k);
        }

        @Override
        public int minCalibrationScores() {
            return 2;
        }

        @Override
        public String toString() {
            return spec();
        }
    }

    private record Mad(double k) implements ThresholdStrategy {
        /** 1 / Phi^-1(3/4): makes the MAD a consistent estimate of the standard deviation of normal data. */
        static final double SCALE = 1.482602218505602;

        Mad {
            if (!(k > 0) || !Double.isFinite(k)) {
                throw new IllegalArgumentException("mad K must be positive and finite, got " + k);
            }
        }

        @Override
        public Threshold fit(double[] calibrationScores) {
            double[] s = Stats.sortedCopy(calibrationScores, "calibration scores", 1);
            double median = Stats.quantile(s, 0.5);
            double mad = Stats.mad(s, median);
            return new Threshold(fence(median, k, SCALE * mad), spec(), s.length,
                    details("median", median, "mad", mad));
        }

        @Override
        public String spec() {
            return "mad:" + num(k);
        }

        @Override
        public String toString() {
            return spec();
        }
    }

    private record Iqr(double k) implements ThresholdStrategy {
        Iqr {
            if (!(k >= 0) || !Double.isFinite(k)) {
                throw new IllegalArgumentException("iqr K must be >= 0 and finite, got " + k);
            }
        }

        @Override
        public Threshold fit(double[] calibrationScores) {
            double[] s = Stats.sortedCopy(calibrationScores, "calibration scores", 1);
            double q1 = Stats.quantile(s, 0.25);
            double q3 = Stats.quantile(s, 0.75);
            return new Threshold(fence(q3, k, q3 - q1), spec(), s.length, details("q1", q1, "q3", q3));
        }

        @Override
        public String spec() {
            return "iqr:" + num(k);
        }

        @Override
        public String toString() {
            return spec();
        }
    }

    /** POT; the level is always {@link #POT_LEVEL} (kept as a field for clarity of the maths). */
    private record PotStrategy(double risk, double level) implements ThresholdStrategy {
        PotStrategy {
            new Spot.Config(risk, level, Pot.MIN_PEAKS, 1); // validates risk and level
        }

        @Override
        public Threshold fit(double[] calibrationScores) {
            double[] s = Stats.sortedCopy(calibrationScores, "calibration scores", 1);
            int n = s.length;
            if (n < Pot.minScores(level)) {
                throw new IllegalArgumentException(Pot.tooFew(level, n));
            }
            double t = Pot.initialThreshold(s, level);
            int first = n;
            while (first > 0 && s[first - 1] > t) {
                first--;
            }
            int peaks = n - first;
            if (peaks < Pot.MIN_PEAKS) {
                throw new IllegalArgumentException("only " + peaks + " of " + n + " calibration scores are above the "
                        + num(100 * level) + "% quantile (too many ties): POT needs at least " + Pot.MIN_PEAKS);
            }
            double[] y = new double[peaks];
            for (int i = 0; i < peaks; i++) {
                y[i] = s[first + i] - t;
            }
            Gpd g = Gpd.fit(y);
            double z = Pot.quantile(t, g, risk, n, peaks);
            return new Threshold(z, spec(), n, details("risk", risk, "level", level, "initialThreshold", t,
                    "peaks", peaks, "gamma", g.gamma(), "sigma", g.sigma()));
        }

        @Override
        public String spec() {
            return "pot:" + num(risk);
        }

        @Override
        public int minCalibrationScores() {
            return Pot.minScores(level);
        }

        @Override
        public String toString() {
            return spec();
        }
    }

    /**
     * {@code spot:Q} (depth 0) and {@code dspot:Q:D} (depth D): the threshold SPOT or DSPOT starts
     * from on the calibration scores (see {@link Thresholds#spot(double)} and
     * {@link Thresholds#dspot(double, int)}).
     *
     * @param risk  q, in (0, 0.02)
     * @param depth 0 for SPOT, D in [1, {@value #DSPOT_MAX_DEPTH}] for DSPOT
     */
    public record SpotStrategy(double risk, int depth) implements ThresholdStrategy {
        /** Validates the record. */
        public SpotStrategy {
            if (!(risk > 0 && risk < 0.02)) {
                throw new IllegalArgumentException("risk must be in (0, 0.02) (below the tail probability of SPOT's"
                        + " initial threshold at level " + num(POT_LEVEL) + "), got " + risk);
            }
            new Spot.Config(risk, POT_LEVEL, Pot.MIN_PEAKS, 1); // SPOT's own check
            if (depth < 0 || depth > DSPOT_MAX_DEPTH) {
                throw new IllegalArgumentException("dspot depth must be in [1, " + DSPOT_MAX_DEPTH + "], got "
                        + depth);
            }
        }

        /** @return SPOT's settings: {@link Spot.Config#of(double)} at this risk */
        public Spot.Config config() {
            return Spot.Config.of(risk);
        }

        @Override
        public Threshold fit(double[] calibrationScores) {
            double[] s = Stats.checked(calibrationScores, "calibration scores", 1);
            if (s.length < minCalibrationScores()) {
                throw new IllegalArgumentException(spec() + " needs at least " + minCalibrationScores()
                        + " calibration scores" + (depth > 0 ? " (the depth plus SPOT's " + Pot.minScores(POT_LEVEL)
                        + ")" : " (" + Pot.MIN_PEAKS + " peaks above the " + num(100 * POT_LEVEL) + "% quantile)")
                        + ", got " + s.length);
            }
            if (depth == 0) {
                Spot sp = Spot.fit(s, config());
                return new Threshold(sp.threshold(), spec(), s.length, details("risk", risk, "level", POT_LEVEL,
                        "initialThreshold", sp.initialThreshold(), "peaks", sp.peaksSeen(),
                        "gamma", sp.gpd().gamma(), "sigma", sp.gpd().sigma()));
            }
            DSpot d = DSpot.fit(s, depth, config());
            return new Threshold(d.threshold(), spec(), s.length, details("risk", risk, "level", POT_LEVEL,
                    "depth", depth, "localMean", d.localMean(), "deviationThreshold", d.deviationThreshold(),
                    "gamma", d.gpd().gamma(), "sigma", d.gpd().sigma()));
        }

        @Override
        public String spec() {
            return depth == 0 ? "spot:" + num(risk) : "dspot:" + num(risk) + ":" + depth;
        }

        @Override
        public int minCalibrationScores() {
            return depth + Pot.minScores(POT_LEVEL);
        }

        @Override
        public String toString() {
            return spec();
        }
    }

    private record Fixed(double value) implements ThresholdStrategy {
        Fixed {
            requireFinite(value, "fixed threshold");
        }

        @Override
        public Threshold fit(double[] calibrationScores) {
            Objects.requireNonNull(calibrationScores, "calibrationScores");
            return Threshold.of(value, spec(), calibrationScores.length);
        }

        @Override
        public Threshold fit(double[] scores, int[] labels) {
            ThresholdStrategy.normalScores(scores, labels);
            return Threshold.of(value, spec(), scores.length);
        }

        @Override
        public String spec() {
            return "fixed:" + num(value);
        }

        @Override
        public String toString() {
            return spec();
        }
    }

    private enum F1 implements ThresholdStrategy {
        INSTANCE;

        @Override
        public Threshold fit(double[] calibrationScores) {
            throw new IllegalArgumentException("threshold f1 needs labelled scores: use fit(scores, labels)"
                    + " (on the command line: calibrate --label-column COL --threshold f1)");
        }

        @Override
        public boolean requiresLabels() {
            return true;
        }

        @Override
        public Threshold fit(double[] scores, int[] labels) {
            Stats.checked(scores, "scores", 1);
            BestF1 best = Metrics.bestF1(scores, labels);
            return new Threshold(best.threshold(), spec(), scores.length, details("f1", best.f1(),
                    "precision", best.precision(), "recall", best.recall()));
        }

        @Override
        public String spec() {
            return "f1";
        }

        @Override
        public String toString() {
            return spec();
        }
    }
}
