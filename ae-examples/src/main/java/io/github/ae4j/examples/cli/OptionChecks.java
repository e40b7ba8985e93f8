package io.github.ae4j.examples.cli;

import io.github.ae4j.anomaly.threshold.ThresholdStrategy;
import io.github.ae4j.anomaly.threshold.Thresholds;
import java.util.Locale;

/**
 * Option syntax and ranges, checked for every command before any file is opened: a command implements
 * {@link Checked}, and {@link Ae4jCli} calls {@link Checked#checkOptions()} after parsing and before the
 * command runs, so a bad value is one line on stderr and exit 2, never a data summary or a missing-file
 * error first. Sizes against memory are {@link CliGuards}' job (they need the data's width).
 */
final class OptionChecks {

    private OptionChecks() {
    }

    /** A command whose options are checked before it runs. */
    interface Checked {
        /**
         * Checks the options' syntax and ranges; reads no file.
         *
         * @throws UsageException naming the first bad option
         */
        void checkOptions();
    }

    /**
     * Runs the checks of the command that was parsed (and of its parents), if it has any.
     *
     * @param parsed the parse result of the whole command line
     */
    static void check(picocli.CommandLine.ParseResult parsed) {
        for (picocli.CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.isUsageHelpRequested() || p.isVersionHelpRequested()) {
                return; // --help and --version print and exit; the options need not make sense; the options need not make sense
            }
        }
        for (picocli.CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.commandSpec().userObject() instanceof Checked c) {
                c.checkOptions();
            }
        }
    }

    /**
     * Refuses an integer outside {@code [min, max]}.
     *
     * @param option the option's name, e.g. {@code --top}
     * @param value  its value
     * @param min    the smallest allowed
     * @param max    the largest allowed
     */
    static void range(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new UsageException(option + " must be in [" + min + ", " + max + "], got " + value);
        }
    }

    /**
     * Refuses an optional integer outside {@code [min, max]} (null: not given, nothing to check).
     *
     * @param option the option's name
     * @param value  its value, or null
     * @param min    the smallest allowed
     * @param max    the largest allowed
     */
    static void range(String option, Integer value, long min, long max) {
        if (value != null) {
            range(option, (long) value, min, max);
        }
    }

    /**
     * Refuses an integer below {@code min}.
     *
     * @param option the option's name
     * @param value  its value
     * @param min    the smallest allowed
     */
    static void atLeast(String option, long value, long min) {
        if (value < min) {
            throw new UsageException(option + " must be >= " + min + ", got " + value);
        }
    }

    /**
     * Refuses a number outside the open interval {@code (min, max)} (NaN included).
     *
     * @param option the option's name
     * @param value  its value
     * @param min    the bound below, excluded
     * @param max    the bound above, excluded
     */
    static void open(String option, double value, double min, double max) {
        if (!(value > min && value < max)) {
            throw new UsageException(option + " must be in (" + fmt(min) + ", " + fmt(max) + "), got " + fmt(value));
        }
    }

    /**
     * Refuses a list of sizes with one below 1.
     *
     * @param option the option's name
     * @param sizes  the sizes, or null when not given
     */
    static void sizes(String option, int[] sizes) {
        if (sizes == null) {
            return;
        }
        for (int s : sizes) {
            if (s < 1) {
                throw new UsageException(option + " sizes must be >= 1, got " + java.util.Arrays.toString(sizes));
            }
        }
    }

    /**
     * Parses a threshold spec ({@code percentile:99}, ...), refusing a bad one with the valid forms.
     *
     * @param option the option's name, e.g. {@code --threshold}
     * @param spec   the spec, or null when not given
     * @return the strategy, or null when not given
     */
    static ThresholdStrategy threshold(String option, String spec) {
        if (spec == null) {
            return null;
        }
        try {
            return Thresholds.parse(spec);
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + ": " + e.getMessage());
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%s", v);
    }
}
