package io.github.ae4j.examples.cli;

import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.anomaly.Detection;
import io.github.ae4j.anomaly.threshold.ThresholdStrategy;
import io.github.ae4j.anomaly.threshold.Thresholds;
import io.github.ae4j.conv.series.SlidingWindows;
import io.github.ae4j.conv.series.WindowArchitecture;
import io.github.ae4j.conv.series.WindowScores;
import io.github.ae4j.core.AnomalyScorer;
import io.github.ae4j.core.AnomalyScorers;
import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.ModelSpec;
import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.data.DataKind;
import io.github.ae4j.core.plugin.ArchitectureProvider;
import io.github.ae4j.core.plugin.ArchitectureRequest;
import io.github.ae4j.core.plugin.Architectures;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code ae4j train --arch lstm|conv1d --window N}: a window (time-series) detector from a CSV whose
 * rows are time steps in order and whose columns are channels.
 *
 * <ul>
 *   <li><b>Split, in time order.</b> The first 80% of the steps train the model (windows of N steps,
 *       {@code --stride} apart); the last {@value #CALIBRATION_PERCENT}% calibrate the threshold. Random
 *       hold-out rows, as for tables, would leak: windows overlap, so a held-out window shares all but
 *       one step with trained ones; out-of-fold scores would cost one training per fold. The last part
 *       is also the closest to the data scored next.</li>
 *   <li><b>Per-point calibration.</b> The detector's scores are scores of points, as {@code ae4j score}
 *       writes them: every window is scored by the detector's scorer (its mean reconstruction error),
 *       and a point gets the mean score of the windows covering it ({@link WindowScores}). The
 *       calibration points are scored with the N - 1 steps before them as context, so each is covered
 *       by the same windows as when the whole series is scored; none of those windows was trained on.</li>
 *   <li><b>Labelled points</b> (label 1, with {@code --label-column}): windows holding one are not
 *       trained on, and calibration leaves out every point that shares a window with one (whose score
 *       the anomaly raises). Rows are not dropped: the series must stay contiguous.</li>
 * </ul>
 */
final class SeriesTraining {

    /** Most training windows the default stride allows (the stride grows for longer series). */
    static final int MAX_TRAINING_WINDOWS = 50_000;
    /** The percentage of the steps, at the end of the series, held out to calibrate the threshold. */
    static final int CALIBRATION_PERCENT = 20;
    /** The scorer of the window rows: the mean reconstruction error of a window. */
    static final String SCORER = "reconstruction-error";

    private SeriesTraining() {
    }

    /**
     * Whether {@code ae4j train} trains a window model, after checking that {@code --window} and a
     * window architecture come together.
     *
     * @param t the command
     * @return true for a window architecture with {@code --window}
     * @throws UsageException when one comes without the other
     */
    static boolean applies(TrainCommand t) {
        boolean windowArch = false;
        if (t.arch != null && !"list".equals(t.arch)) {
            if (t.series.given()) {
                Architectures.require(t.arch); // an unknown name is reported as such
            }
            windowArch = Architectures.find(t.arch).map(WindowArchitecture::isWindowArchitecture).orElse(false);
        }
        if (windowArch && t.series.window == null) {
            throw new UsageException("--arch " + t.arch + " is a window model: it needs --window N (points per window)");
        }
        if (!windowArch && t.series.given()) {
            throw new UsageException("--window, --stride and --time-column need a window architecture (--arch lstm"
                    + " or conv1d; --arch list shows all)" + (t.arch == null ? "" : ", not --arch " + t.arch));
        }
        return windowArch;
    }

    /**
     * Trains, calibrates and saves a window detector.
     *
     * @param t the command and its options
     * @return the exit code
     * @throws IOException on I/O failure
     */
    static int train(TrainCommand t) throws IOException {
        if (t.data == null || t.out == null) {
            throw new UsageException("Missing required options: --data and --out");
        }
        CliGuards.outputIsNotAnInput("--out", t.out, "--data", t.data);
        SeriesOptions o = t.series;
        if (o.window < 2) {
            throw new UsageException("--window must be >= 2, got " + o.window);
        }
        if (o.stride != null && (o.stride < 1 || o.stride > o.window)) {
            throw new UsageException("--stride must be in [1, window = " + o.window + "] (a larger stride leaves"
                    + " steps out of every training window), got " + o.stride);
        }
        if (t.image != null || t.stream) {
            throw new UsageException((t.image != null ? "--image" : "--stream") + " does not apply to a series"
                    + " (--arch " + t.arch + ")");
        }
        if (t.idColumn != null && o.timeColumn != null) {
            throw new UsageException("give --time-column or --id-column for a series, not both (the time column is"
                    + " never a channel and is copied to ae4j score's id column)");
        }
        if (t.archOptions != null && t.archOptions.containsKey(WindowArchitecture.WINDOW)) {
            throw new UsageException("give the window with --window N, not --arch-option window=N");
        }
        ThresholdStrategy strategy = Thresholds.parse(t.threshold);
        if (strategy.requiresLabels()) {
            throw new UsageException("--threshold " + t.threshold + " is not available when training a window model:"
                    + " train with a threshold fitted on normal points (e.g. percentile:99), then run ae4j calibrate"
                    + " --threshold " + t.threshold + " --label-column COL --data LABELLED.csv");
        }
        String timeColumn = o.timeColumn != null ? o.timeColumn : t.idColumn;
        SeriesData d = SeriesData.read(t.data, t.labelColumn, timeColumn, null);
        int window = o.window;
        int channels = d.points()[0].length;
        int n = d.steps();
        int nCal = (int) Math.round(n * CALIBRATION_PERCENT / 100.0);
        int trainEnd = n - nCal;
        if (trainEnd < window + 2 || nCal < 1) {
            throw new UsageException(t.data + ": " + n + " steps are too few for windows of " + window + ": the first "
                    + (100 - CALIBRATION_PERCENT) + "% train (at least " + (window + 2) + " steps needed) and the"
                    + " last " + CALIBRATION_PERCENT + "% calibrate the threshold");
        }
        int stride = o.stride != null ? o.stride
                : Math.max(1, (int) Math.ceil((trainEnd - window + 1) / (double) MAX_TRAINING_WINDOWS));

        // training windows: the first part, without windows holding a labelled point
        double[][] head = Arrays.copyOfRange(d.points(), 0, trainEnd);
        SlidingWindows tw = SlidingWindows.over(head, window, stride);
        INDArray trainRows = tw.extract(head);
        int[] starts = tw.starts();
        int[] keep = java.util.stream.IntStream.range(0, starts.length)
                .filter(i -> !labelledIn(d.labels(), starts[i], starts[i] + window)).toArray();
        if (keep.length < 3) {
            throw new UsageException(t.data + ": only " + keep.length + " training windows without a labelled point"
                    + " in the first " + (100 - CALIBRATION_PERCENT) + "% of the series");
        }
        if (keep.length < starts.length) {
            trainRows = Nd4j.pullRows(trainRows, 1, keep);
        }

        ArchitectureProvider provider = Architectures.require(t.arch);
        Normalization norm = t.normalize == null ? provider.defaultNormalization(DataKind.table())
                : Normalization.parse(t.normalize);
        Map<String, String> opts = new LinkedHashMap<>(Architectures.options(t.latent, t.hidden, t.archOptions));
        opts.put(WindowArchitecture.WINDOW, Integer.toString(window));
        ModelSpec spec = Architectures.build(t.arch, new ArchitectureRequest(DataKind.table(), window * channels,
                norm, opts));
        TrainingConfig tc = t.config(norm, DataKind.table(), keep.length).training();
        CliGuards.modelFits(spec, tc.batchSize());
        if (!t.cli.quiet) {
            t.cli.err.printf("%s: %,d steps x %d channels; training on %,d windows of %d (stride %d) from steps"
                    + " 0..%d, calibrating on steps %d..%d%n", t.data, n, channels, keep.length, window, stride,
                    trainEnd - 1, trainEnd, n - 1);
            t.cli.err.println("architecture: " + spec.describe().get("name"));
        }
        Autoencoder model = Autoencoder.fit(spec, trainRows, tc, Progress.listeners(t.cli));
        AnomalyScorer scorer = AnomalyScorers.create(SCORER, Map.of());

        // calibration: per-point scores of the last part, with the window - 1 steps before it as context
        int from = trainEnd - (window - 1);
        double[][] tail = Arrays.copyOfRange(d.points(), from, n);
        SlidingWindows cw = SlidingWindows.over(tail, window, 1);
        double[] windowScores = scorer.score(model, cw.extract(tail));
        double[] tailScores = WindowScores.pointScores(windowScores, cw);
        List<Double> cal = new ArrayList<>();
        List<Double> causal = new ArrayList<>(); // for ae4j stream: the window ending at each point (window i ends at trainEnd + i)
        for (int i = trainEnd; i < n; i++) {
            if (!labelledIn(d.labels(), i - window + 1, i + window)) {
                cal.add(tailScores[i - from]);
            }
            if (!labelledIn(d.labels(), i - window + 1, i + 1)) {
                causal.add(windowScores[i - trainEnd]);
            }
        }
        if (cal.size() < Math.max(1, strategy.minCalibrationScores())) {
            throw new UsageException(t.data + ": " + cal.size() + " unlabelled calibration points in the last "
                    + CALIBRATION_PERCENT + "% of the series; threshold " + strategy.spec() + " needs at least "
                    + Math.max(1, strategy.minCalibrationScores()));
        }
        AnomalyDetector det = AnomalyDetector.of(model, scorer, cal.stream().mapToDouble(Double::doubleValue).toArray(),
                strategy).withSchema(d.schema());
        WindowModel wm = new WindowModel(window, stride, d.schema().featureNames(), timeColumn, WindowModel.WINDOW_MEAN,
                causal.stream().mapToDouble(Double::doubleValue).toArray());
        det = det.withExtra(WindowModel.EXTRAS_KEY, wm.toMap());
        det.save(t.out);
        t.cli.out.printf("saved %s: %s, window %d x %d channels (stride %d), latent %d, threshold %.6g (%s),"
                        + " calibrated on %d per-point scores (held-out: the last %d%% of the series)%n", t.out,
                spec.describe().get("name"), window, channels, stride, model.latentSize(), det.threshold().value(),
                det.threshold().spec(), cal.size(), CALIBRATION_PERCENT);
        return 0;
    }

    /** Whether a labelled point lies in steps [from, to) (clipped to the series). */
    private static boolean labelledIn(int[] labels, int from, int to) {
        if (labels == null) {
            return false;
        }
        for (int i = Math.max(0, from); i < Math.min(labels.length, to); i++) {
            if (labels[i] == 1) {
                return true;
            }
        }
        return false;
    }

    /**
     * One score per point of a series: every window (sliding by one step) scored, then each point
     * given the mean score of the windows covering it ({@link WindowScores#pointScores(double[], SlidingWindows)}).
     *
     * @param windowScorer scores window rows
     * @param series       {@code [steps][channels]}, at least {@code window} steps
     * @param window       points per window
     * @return one score per point
     */
    static double[] pointScores(Function<INDArray, double[]> windowScorer, double[][] series, int window) {
        SlidingWindows w = SlidingWindows.over(series, window, 1);
        return WindowScores.pointScores(windowScorer.apply(w.extract(series)), w);
    }

    /**
     * Scores, flags and p-values of every point of a series with a window detector.
     *
     * @param det    the detector
     * @param wm     its window layout
     * @param series the series
     * @param source the file, for messages
     * @return one result per point
     */
    static Detection detect(AnomalyDetector det, WindowModel wm, double[][] series, Object source) {
        if (series.length < wm.window()) {
            throw new UsageException(source + ": " + series.length + " steps, fewer than one window of " + wm.window()
                    + " (the model's window)");
        }
        double[] s = pointScores(det::score, series, wm.window());
        return new Detection(s, det.threshold().predict(s), det.conformal().pValues(s), null);
    }
}
