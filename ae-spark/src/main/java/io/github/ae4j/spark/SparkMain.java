package io.github.ae4j.spark;

import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.anomaly.threshold.ThresholdStrategy;
import io.github.ae4j.anomaly.threshold.Thresholds;
import io.github.ae4j.core.ModelSpec;
import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.TrainingListener;
import io.github.ae4j.core.data.DataKind;
import io.github.ae4j.core.plugin.ArchitectureRequest;
import io.github.ae4j.core.plugin.Architectures;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * The {@code spark-submit} entry point: {@code train} and {@code score} with the options of
 * {@code ae4j train} and {@code ae4j score} that apply to CSV tables, run on a Spark cluster.
 *
 * <pre>
 * spark-submit --class io.github.ae4j.spark.SparkMain ae-spark-0.1.0-SNAPSHOT-spark.jar \
 *     train --data hdfs:///data/normal.csv --out detector.ae4j [--label-column label] [--id-column id]
 *           [--latent N] [--hidden N,N] [--epochs N] [--batch N] [--seed N] [--normalize standard]
 *           [--threshold percentile:99] [--workers N] [--averaging-frequency N]
 * spark-submit --class io.github.ae4j.spark.SparkMain ae-spark-0.1.0-SNAPSHOT-spark.jar \
 *     score --model detector.ae4j --data hdfs:///data/new.csv --out hdfs:///out/scores [--id-column id]
 * </pre>
 *
 * <p>The model file ({@code --out} of train, {@code --model} of score) is a local path on the driver;
 * data and score output may be any Hadoop file system URI. Exit status: 0 on success, 2 on bad usage
 * or bad input (one line on stderr), 1 on an internal failure. Without a master from
 * {@code spark-submit}, it runs in {@code local[*]}.
 */
@Command(name = "ae4j-spark", mixinStandardHelpOptions = true, subcommands = {SparkMain.Train.class, SparkMain.Score.class},
        description = "Train and score ae4j anomaly detectors on Apache Spark.")
public final class SparkMain implements Callable<Integer> {

    @Option(names = "--quiet", description = "No progress on stderr.")
    boolean quiet;

    PrintStream out = System.out;
    PrintStream err = System.err;
    SparkSession spark;

    private SparkMain() {
    }

    /**
     * Runs a command in a new Spark session and exits with its status.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        SparkConf conf = new SparkConf().setAppName("ae4j");
        if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        int code;
        try {
            code = run(spark, args, System.out, System.err);
        } finally {
            spark.stop();
        }
        System.exit(code);
    }

    /**
     * Runs a command in an existing Spark session (which is left running).
     *
     * @param spark the session
     * @param args  the command line
     * @param out   where results go
     * @param err   where progress and errors go
     * @return the exit status: 0 success, 2 bad usage or input, 1 internal failure
     */
    public static int run(SparkSession spark, String[] args, PrintStream out, PrintStream err) {
        SparkMain m = new SparkMain();
        m.spark = spark;
        m.out = out;
        m.err = err;
        CommandLine cl = new CommandLine(m);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            Throwable t = e;
            try {
                t = Rows.unwrap(e);
            } catch (Exception other) {
                t = other;
            }
            if (t instanceof IllegalArgumentException || t instanceof java.nio.file.NoSuchFileException
                    || t instanceof org.apache.spark.sql.AnalysisException) {
                err.println("error: " + t.getMessage());
                return 2;
            }
            err.println("internal error: " + t);
            t.printStackTrace(err);
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(err);
        return 2;
    }

    /** {@code --data}, {@code --label-column}, {@code --id-column}: the CSV table of both commands. */
    static final class TableOptions {

        @Option(names = "--data", required = true, paramLabel = "PATH", description = "CSV file or folder (any Hadoop URI).")
        String data;

        @Option(names = "--label-column", paramLabel = "COL", description = "Label column (name or 0-based index):"
                + " 1/true = anomaly; never a feature, copied to score's output.")
        String labelColumn;

        @Option(names = "--id-column", paramLabel = "COL", description = "Id column (name or 0-based index): never a"
                + " feature, copied to score's output.")
        String idColumn;

        SparkCsv.Input input() {
            return SparkCsv.Input.defaults().withLabelColumn(labelColumn).withIdColumn(idColumn);
        }
    }

    /** {@code train}: trains a detector on the normal rows of a CSV table. */
    @Command(name = "train", mixinStandardHelpOptions = true,
            description = {"Train an anomaly detector on normal CSV data, distributed over the Spark cluster.",
                    "With --label-column, rows labelled 1 (anomalies) are left out of training."})
    static final class Train implements Callable<Integer> {

        @ParentCommand
        SparkMain main;

        @Mixin
        TableOptions table;

        @Option(names = "--out", required = true, paramLabel = "MODEL", description = "Where to save the detector (local path on the driver).")
        Path out;

        @Option(names = "--arch", paramLabel = "NAME", defaultValue = "dense", description = "Architecture: any plugin's"
                + " on the class path (spark-submit --jars), e.g. dense (the default) or vae.")
        String arch;

        @Option(names = "--arch-option", paramLabel = "KEY=VALUE", description = "An option of the architecture (repeatable).")
        java.util.Map<String, String> archOptions;

        @Option(names = "--latent", paramLabel = "N", description = "Bottleneck size (default: derived from the data).")
        Integer latent;

        @Option(names = "--hidden", paramLabel = "N,N,..", split = ",", description = "Hidden layer sizes of the encoder.")
        int[] hidden;

        @Option(names = "--epochs", paramLabel = "N", defaultValue = "100", description = "Maximum epochs (default ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--batch", paramLabel = "N", defaultValue = "64", description = "Mini-batch size per worker (default ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--normalize", paramLabel = "standard|minmax|scale|none", defaultValue = "standard",
                description = "Feature scaling fitted on the training data (default ${DEFAULT-VALUE}).")
        String normalize;

        @Option(names = "--threshold", paramLabel = "SPEC", defaultValue = "percentile:99",
                description = "Threshold: percentile:99, contamination:0.05, zscore:3, mad:3.5, iqr:1.5, pot:0.001, fixed:0.25, f1 (needs --label-column). Default ${DEFAULT-VALUE}.")
        String threshold;

        @Option(names = "--patience", paramLabel = "N", defaultValue = "8", description = "Early-stopping patience in epochs (default ${DEFAULT-VALUE}; 0 = off).")
        int patience;

        @Option(names = "--workers", paramLabel = "N", defaultValue = "0", description = "Parallel training tasks (default: Spark's default parallelism).")
        int workers;

        @Option(names = "--averaging-frequency", paramLabel = "N", defaultValue = "10", description = "Mini-batches per worker between parameter averagings (default ${DEFAULT-VALUE}).")
        int averagingFrequency;

        @Override
        public Integer call() throws Exception {
            ThresholdStrategy strategy = Thresholds.parse(threshold);
            if (strategy.requiresLabels() && table.labelColumn == null) {
                throw new IllegalArgumentException("--threshold " + threshold + " needs --label-column");
            }
            Architectures.require(arch); // before reading the data
            Normalization norm = Normalization.parse(normalize);
            SparkCsv.Encoded rows = SparkCsv.readForTraining(main.spark, table.data, table.input());
            ModelSpec spec = Architectures.build(arch, new ArchitectureRequest(DataKind.table(),
                    rows.schema().featureCount(), norm, Architectures.options(latent, hidden, archOptions),
                    SparkDetectors.sizingRows(rows, seed)));
            if (!main.quiet) {
                main.err.println("architecture: " + spec.describe().get("name"));
            }
            TrainingConfig tc = TrainingConfig.defaults().withEpochs(epochs).withBatchSize(batch).withSeed(seed)
                    .withNormalization(norm).withPatience(patience);
            AnomalyDetector det;
            try {
                det = SparkDetectors.fitTable(JavaSparkContext.fromSparkContext(main.spark.sparkContext()), rows,
                        spec, tc, strategy, SparkTrainingConfig.defaults().withWorkers(workers)
                                .withAveragingFrequency(averagingFrequency),
                        main.quiet ? new TrainingListener[0] : new TrainingListener[] {TrainingListener.printing(main.err)});
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(table.data + ": " + e.getMessage(), e);
            }
            det.save(out);
            main.out.printf("saved %s: %s, input %d, latent %d, threshold %.6g (%s), calibrated on %d held-out rows%n",
                    out, det.model().info().spec().get("name"), det.model().inputSize(), det.model().latentSize(),
                    det.threshold().value(), det.threshold().spec(), det.calibrationScores().length);
            return 0;
        }
    }

    /** {@code score}: scores a CSV table; writes CSV part files row,score,anomaly,p_value[,id][,label]. */
    @Command(name = "score", mixinStandardHelpOptions = true,
            description = {"Score CSV data with a detector on the Spark cluster. Writes a folder of CSV part files with",
                    "header row,score,anomaly,p_value[,id][,label], in data order (as ae4j score)."})
    static final class Score implements Callable<Integer> {

        @ParentCommand
        SparkMain main;

        @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A detector saved by ae4j train (local path on the driver).")
        Path model;

        @Mixin
        TableOptions table;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder of CSV part files (any Hadoop URI; replaced if it exists).")
        String out;

        @Option(names = "--single-file", description = "Write one part file (all rows through one task).")
        boolean singleFile;

        @Override
        public Integer call() throws Exception {
            if (!java.nio.file.Files.exists(model)) {
                throw new java.nio.file.NoSuchFileException(model.toString(), null, "no such model file");
            }
            AnomalyDetector det = AnomalyDetector.load(model);
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(main.spark.sparkContext());
            try (SparkScorer scorer = SparkScorer.of(sc, det).withPValues(true)) {
                Dataset<Row> scored = scorer.scoreCsv(main.spark, table.data, table.input());
                if (singleFile) {
                    scored = scored.coalesce(1);
                }
                scored.write().mode(SaveMode.Overwrite).option("header", "true").csv(out);
                if (!main.quiet) {
                    Dataset<Row> written = main.spark.read().option("header", "true").option("inferSchema", "false").csv(out);
                    long n = written.count();
                    long flagged = written.filter("anomaly = '1'").count();
                    main.err.printf("scored %,d rows: %,d flagged at threshold %.6g (%s), written to %s%n", n, flagged,
                            det.threshold().value(), det.threshold().spec(), out);
                }
            }
            return 0;
        }
    }
}
