package io.github.ae4j.examples.cli;

import io.github.ae4j.core.Ae4j;
import io.github.ae4j.core.TrainingDivergedException;
import io.github.ae4j.core.data.DataFormatException;
import io.github.ae4j.core.io.ModelFormatException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code ae4j} command line: train, score, evaluate, calibrate, encode, reconstruct, generate,
 * info, demo and bench. Exit codes: 0 success, 2 bad usage or bad input (one line on stderr naming the
 * file, row and column where it applies), 1 internal failure.
 */
@Command(name = "ae4j", mixinStandardHelpOptions = true, versionProvider = Ae4jCli.Version.class,
        description = {"Autoencoders for anomaly detection, dimensionality reduction and generation, on DL4J.",
                "--data - reads the data (CSV, plain or gzipped) from standard input, in every command."},
        subcommands = {TrainCommand.class, ScoreCommand.class, EvaluateCommand.class, ExplainCommand.class, CalibrateCommand.class,
                EncodeCommand.class, ReconstructCommand.class, GenerateCommand.class, InfoCommand.class,
                DemoCommand.class, BenchCommand.class, StreamCommand.class, ServeCommand.class,
                CommandLine.HelpCommand.class})
public final class Ae4jCli implements Runnable {

    /** Exit code for bad usage or bad input. */
    public static final int USAGE = 2;
    /** Exit code for internal failures. */
    public static final int FAILURE = 1;

    final PrintStream out;
    final PrintStream err;

    @Option(names = {"-q", "--quiet"}, scope = CommandLine.ScopeType.INHERIT,
            description = "No progress output on stderr.")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "Show library log messages (info level) and stack traces of failures.")
    boolean verbose;

    @Option(names = "--progress", scope = CommandLine.ScopeType.INHERIT, paramLabel = "auto|bar|lines|none",
            converter = ProgressModeConverter.class, defaultValue = "auto",
            description = "Training progress on stderr: bar = one line updated in place (the default on a"
                    + " terminal), lines = one line per epoch (the default otherwise), none. Losses are the mean"
                    + " per-row reconstruction loss: 'loss' over the epoch's training batches, 'val' on the rows"
                    + " held out for early stopping; '(best)' marks the best epoch so far, whose weights are kept.")
    Progress.Mode progress = Progress.Mode.AUTO;

    Ae4jCli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "a command is needed, e.g. ae4j train --help");
    }

    /** Parses {@code --progress} case-insensitively, listing the choices on a mistake. */
    static final class ProgressModeConverter implements CommandLine.ITypeConverter<Progress.Mode> {
        @Override
        public Progress.Mode convert(String value) {
            try {
                return Progress.Mode.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("expected auto, bar, lines or none, got '" + value + "'");
            }
        }
    }

    /** Prints the ae4j and DL4J versions. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ae4j " + Ae4j.VERSION + " (DL4J " + Ae4j.DL4J_VERSION + ", model format "
                    + Ae4j.FORMAT_VERSION + ")"};
        }
    }

    /** Commands that close with their wall time and peak resident memory on stderr (unless --quiet). */
    private static final java.util.Set<String> REPORTS_RESOURCES = java.util.Set.of("train", "score", "evaluate",
            "encode", "reconstruct", "calibrate", "generate", "explain", "stream", "serve");

    /**
     * Runs the command line.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            boolean verbose = java.util.Arrays.asList(args).contains("--verbose") || java.util.Arrays.asList(args).contains("-v");
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
        }
        System.exit(run(System.out, System.err, args));
    }

    /**
     * Runs the command line in-process (for tests and embedding).
     *
     * @param out  standard output
     * @param err  standard error
     * @param args the arguments
     * @return the exit code
     */
    public static int run(PrintStream out, PrintStream err, String... args) {
        Ae4jCli top = new Ae4jCli(out, err);
        CommandLine cl = new CommandLine(top);
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        StdinData[] stdin = {null};
        cl.setExecutionExceptionHandler((ex, line, parse) -> handle(ex, err, top.verbose, stdin[0]));
        // option syntax and ranges first, for every command: before any file is opened
        cl.setExecutionStrategy(parsed -> {
            try {
                OptionChecks.check(parsed);
            } catch (RuntimeException e) {   // UsageException, or a parser's IllegalArgumentException
                return handle(e, err, top.verbose);
            }
            try {
                stdin[0] = StdinData.spool(parsed, System.in);   // --data -: stdin, copied to a temporary file
            } catch (IOException e) {
                return handle(new UsageException("cannot read the data from stdin: " + e.getMessage()), err,
                        top.verbose);
            }
            long t0 = System.nanoTime();
            int code = new CommandLine.RunLast().execute(parsed);
            CommandLine.ParseResult leaf = parsed;
            while (leaf.hasSubcommand()) {
                leaf = leaf.subcommand();
            }
            // the closing line of the commands that do work: wall time and peak resident memory (VmHWM)
            if (code == 0 && !top.quiet && REPORTS_RESOURCES.contains(leaf.commandSpec().name())
                    && !leaf.isUsageHelpRequested() && !leaf.isVersionHelpRequested()) {
                err.println(leaf.commandSpec().name() + ": " + ResourceUse.summary(t0));
            }
            return code;
        });
        cl.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, Ae4jCli::commandList);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("ae4j: " + ex.getMessage() + suggestion(ex));
            CommandLine c = ex.getCommandLine();
            err.println("usage: " + c.getCommandSpec().qualifiedName() + " --help");
            return USAGE;
        });
        try {
            return execute(cl, args, err);
        } finally {
            if (stdin[0] != null) {
                stdin[0].close();
            }
        }
    }

    private static int execute(CommandLine cl, String[] args, PrintStream err) {
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            // not reachable from a file or an option by design (limits are checked first); if it happens anyway,
            // one line and exit 1, no stack trace
            err.println("ae4j: out of memory (" + e.getMessage() + "): give Java more memory (AE4J_JAVA_OPTS=-Xmx8g)"
                    + " or use smaller inputs or sizes");
            return FAILURE;
        }
    }

    /**
     * " (did you mean --label-column?)" for a mistyped option or command, from picocli's suggestions (options and
     * commands of the command that was being parsed, by edit distance); empty when there is none.
     */
    static String suggestion(CommandLine.ParameterException ex) {
        if (!(ex instanceof CommandLine.UnmatchedArgumentException u)) {
            return "";
        }
        java.util.List<String> s = u.getSuggestions();
        if (s == null || s.isEmpty()) {
            return "";
        }
        return " (did you mean " + String.join(" or ", s.subList(0, Math.min(3, s.size()))) + "?)";
    }

    /**
     * The "Commands:" section of {@code ae4j --help}: each command with the whole first sentence of its
     * description (picocli's default shows the first description line, which cut sentences in half).
     */
    static String commandList(CommandLine.Help help) {
        java.util.Map<String, CommandLine.Help> subs = help.subcommands();
        if (subs.isEmpty()) {
            return "";
        }
        int nameWidth = subs.keySet().stream().mapToInt(String::length).max().orElse(0) + 2;
        int width = help.commandSpec().usageMessage().width();
        StringBuilder sb = new StringBuilder();
        for (java.util.Map.Entry<String, CommandLine.Help> e : subs.entrySet()) {
            CommandLine.Model.UsageMessageSpec u = e.getValue().commandSpec().usageMessage();
            String text = firstSentence(String.join(" ", u.header().length > 0 ? u.header() : u.description()));
            String name = String.format("  %-" + nameWidth + "s", e.getKey());
            String indent = " ".repeat(name.length());
            StringBuilder line = new StringBuilder(name);
            for (String word : text.split(" +")) {
                if (line.length() + 1 + word.length() > width && line.length() > indent.length()) {
                    sb.append(line.toString().stripTrailing()).append('\n');
                    line = new StringBuilder(indent);
                }
                if (line.length() > indent.length() && line.charAt(line.length() - 1) != ' ') {
                    line.append(' ');
                }
                line.append(word);
            }
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    /** The text up to and including the first full stop that ends a sentence (". " or the end). */
    static String firstSentence(String s) {
        String t = s.trim().replaceAll("\\s+", " ");
        for (int i = 0; i < t.length(); i++) {
            if (t.charAt(i) == '.' && (i + 1 == t.length() || t.charAt(i + 1) == ' ')
                    && !(i >= 1 && t.substring(Math.max(0, i - 3), i + 1).matches(".*\\b(e\\.g|i\\.e)\\."))) {
                return t.substring(0, i + 1);
            }
        }
        return t;
    }

    static int handle(Exception ex, PrintStream err, boolean verbose) {
        return handle(ex, err, verbose, null);
    }

    /** As {@link #handle(Exception, PrintStream, boolean)}, naming data read from stdin {@value StdinData#NAME}. */
    static int handle(Exception ex, PrintStream err, boolean verbose, StdinData stdin) {
        Throwable e = ex instanceof UncheckedIOException u ? u.getCause() : ex;
        int code;
        String msg;
        if (e instanceof UsageException || e instanceof DataFormatException || e instanceof ModelFormatException) {
            code = USAGE;
            msg = e.getMessage();
        } else if (e instanceof NoSuchFileException nf) {
            code = USAGE;
            msg = nf.getFile() + ": no such file" + (nf.getReason() != null && !nf.getReason().startsWith("no such")
                    ? " (" + nf.getReason() + ")" : "");
        } else if (e instanceof AccessDeniedException ad) {
            code = USAGE;
            msg = ad.getFile() + ": permission denied";
        } else if (e instanceof FileAlreadyExistsException fe) {
            code = USAGE;
            msg = fe.getFile() + ": already exists";
        } else if (e instanceof TrainingDivergedException) {
            code = USAGE;
            msg = e.getMessage();
        } else if (e instanceof IllegalArgumentException) {
            code = USAGE;
            msg = e.getMessage();
        } else if (e instanceof IOException) {
            code = USAGE;
            msg = e.getMessage();
        } else {
            code = FAILURE;
            msg = "internal error: " + e + " (run with --verbose for details)";
        }
        err.println("ae4j: " + oneLine(stdin == null ? msg : stdin.rename(msg)));
        if (verbose) {
            e.printStackTrace(err);
        }
        return code;
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
