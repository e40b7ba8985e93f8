package io.github.ae4j.examples;

import java.nio.file.Path;

/**
 * The arguments every example main takes: {@code [--out DIR] [--smoke]}. {@code --smoke} runs on
 * tiny data for one or two epochs (for CI: under ~30 s).
 *
 * @param out   the folder for pictures and files
 * @param smoke tiny, fast run
 */
public record ExampleArgs(Path out, boolean smoke) {

    /**
     * Parses the arguments.
     *
     * @param args        the arguments
     * @param defaultName the example's default output folder name under {@code out/}
     * @return the parsed arguments
     */
    public static ExampleArgs parse(String[] args, String defaultName) {
        Path out = Path.of("out", defaultName);
        boolean smoke = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> smoke = true;
                case "--out" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--out needs a folder");
                    }
                    out = Path.of(args[++i]);
                }
                case "--help", "-h" -> {
                    System.out.println("usage: [--out DIR] [--smoke]   (default --out out/" + defaultName + ")");
                    System.exit(0);
                }
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "'; usage: [--out DIR] [--smoke]");
            }
        }
        return new ExampleArgs(out, smoke);
    }

    /**
     * A listener printing training progress to stderr ({@link io.github.ae4j.core.TrainingListener#printing}).
     *
     * @return the listener
     */
    public static io.github.ae4j.core.TrainingListener progress() {
        return io.github.ae4j.core.TrainingListener.printing(System.err);
    }
}
