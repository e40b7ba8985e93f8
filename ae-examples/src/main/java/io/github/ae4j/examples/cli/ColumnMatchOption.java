package io.github.ae4j.examples.cli;

import picocli.CommandLine.Option;

/**
 * {@code --match-columns name|position} (a picocli mixin of the commands that read a CSV for a model):
 * how a file's columns are matched to the training file's.
 */
final class ColumnMatchOption {

    @Option(names = "--match-columns", paramLabel = "name|position", defaultValue = "name",
            description = "How CSV columns are matched to the training file's: name (default: by header name,"
                    + " reordered columns are fine, a header in one file and not the other is an error) or position"
                    + " (by position, checked by their number only: for a file with a header line against a model"
                    + " trained without one, or the other way round).")
    String matchColumns = "name";

    /**
     * @return whether columns are matched by position
     * @throws UsageException for a value other than name or position
     */
    boolean positional() {
        return switch (matchColumns.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "name" -> false;
            case "position" -> true;
            default -> throw new UsageException("--match-columns must be name or position, got '" + matchColumns
                    + "'");
        };
    }
}
