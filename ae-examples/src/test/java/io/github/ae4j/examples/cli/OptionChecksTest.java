package io.github.ae4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command checks its options' syntax and ranges before it opens a file: the model and data paths
 * here do not exist, so an error about the option (exit 2, one line) proves the check came first; the
 * same command with the bad option left out fails on the missing file instead, which proves the path
 * would have been reached.
 */
class OptionChecksTest {

    @TempDir
    static Path dir;

    static Stream<Arguments> badOptions() {
        String m = "--model";
        String d = "--data";
        return Stream.of(
                Arguments.of("score", List.of("--explain", "-2"), "--explain"),
                Arguments.of("score", List.of("--explain", "5000"), "--explain"),
                Arguments.of("explain", List.of("--top", "-1"), "--top"),
                Arguments.of("explain", List.of("--features", "0"), "--features"),
                Arguments.of("calibrate", List.of("--threshold", "percentile:250"), "--threshold"),
                Arguments.of("calibrate", List.of("--threshold", "median:3"), "--threshold"),
                Arguments.of("calibrate", List.of("--threshold", "f1"), "--label-column"),
                Arguments.of("train", List.of("--threshold", "zscore:x"), "--threshold"),
                Arguments.of("generate", List.of("--count", "0"), "--count"),
                Arguments.of("generate", List.of("--count", "4", "--scale", "0"), "--scale"),
                Arguments.of("generate", List.of("--count", "4", "--interpolate", "1"), "--interpolate"),
                Arguments.of("stream", List.of("--risk", "2"), "--risk"),
                Arguments.of("stream", List.of("--level", "0"), "--level"),
                Arguments.of("stream", List.of("--depth", "-1"), "--depth"),
                Arguments.of("stream", List.of("--checkpoint-every", "0"), "--checkpoint-every"),
                Arguments.of("stream", List.of("--poll-ms", "0"), "--poll-ms"),
                Arguments.of("serve", List.of("--port", "70000"), "--port"),
                Arguments.of("serve", List.of("--threads", "0"), "--threads"),
                Arguments.of("bench", List.of("--latent", "0"), "--latent"),
                Arguments.of("bench", List.of("--arch", "rnn"), "--arch"),
                Arguments.of("bench", List.of("--csv-rows", "0"), "--csv-rows"),
                Arguments.of("bench", List.of("--image", "8x8x2"), "HxWxC"));
    }

    /** The arguments of a command with a model and data that do not exist. */
    static List<String> base(String command) {
        String model = dir.resolve("no-such-model.ae4j").toString();
        String data = dir.resolve("no-such-data.csv").toString();
        String out = dir.resolve("out.csv").toString();
        return switch (command) {
            case "score", "explain", "evaluate" -> List.of(command, "--model", model, "--data", data);
            case "calibrate" -> List.of(command, "--model", model, "--data", data);
            case "encode", "reconstruct" -> List.of(command, "--model", model, "--data", data, "--out", out);
            case "train" -> List.of(command, "--data", data, "--out", dir.resolve("m.ae4j").toString());
            case "generate" -> List.of(command, "--model", model, "--out", out);
            case "stream" -> List.of(command, "--model", model, "--data", data);
            case "serve" -> List.of(command, "--model", model);
            case "bench" -> List.of(command);
            default -> throw new IllegalArgumentException(command);
        };
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badOptions")
    void givenBadOption_whenRun_thenOneLineAboutTheOptionBeforeAnyFile(String command, List<String> bad,
                                                                        String named) {
        List<String> args = new ArrayList<>(base(command));
        args.addAll(bad);
        CliPolishTest.Run r = CliPolishTest.run(args.toArray(String[]::new));
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertTrue(r.err().startsWith("ae4j: "), r.err());
        assertTrue(r.err().contains(named), "names " + named + ": " + r.err());
        assertFalse(r.err().contains("no such file"), "the option, not the missing file: " + r.err());
        assertEquals("", r.out());
    }

    static Stream<Arguments> missingFiles() {
        return Stream.of(Arguments.of("score"), Arguments.of("explain"), Arguments.of("evaluate"),
                Arguments.of("encode"), Arguments.of("reconstruct"), Arguments.of("stream"));
    }

    /** Without the bad option the same command reaches the missing file: the checks above came first. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("missingFiles")
    void givenGoodOptions_whenRun_thenTheMissingFileIsReported(String command) {
        CliPolishTest.Run r = CliPolishTest.run(base(command).toArray(String[]::new));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("no-such-model.ae4j") && r.err().contains("no such file"), r.err());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formatCommands")
    void givenBadFormat_whenParsed_thenUsageErrorNamingFormatBeforeAnyFile(String command) {
        List<String> args = new ArrayList<>(base(command));
        args.addAll(List.of("--format", "xml"));
        CliPolishTest.Run r = CliPolishTest.run(args.toArray(String[]::new));
        assertEquals(2, r.code(), r.err());
        String first = r.err().lines().findFirst().orElse("");
        assertTrue(first.contains("--format") && first.contains("expected csv or json"), r.err());
        assertFalse(r.err().contains("no such file"), r.err());
    }

    static Stream<Arguments> formatCommands() {
        return Stream.of(Arguments.of("score"), Arguments.of("stream"));
    }

    /** --help needs no sensible options: generate's --count is 0 and calibrate's --threshold null then. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void givenHelp_whenAsked_thenPrintedWithoutOptionChecks(String command) {
        for (String help : List.of("--help", "-h")) {
            CliPolishTest.Run r = CliPolishTest.run(command, help);
            assertEquals(0, r.code(), command + " " + help + ": " + r.err());
            assertTrue(r.out().contains("Usage: ae4j " + command), r.out());
        }
        CliPolishTest.Run r = CliPolishTest.run(command, "--version");
        assertEquals(0, r.code(), r.err());
    }

    static Stream<Arguments> commands() {
        return Stream.of("train", "score", "explain", "evaluate", "calibrate", "encode", "reconstruct", "generate",
                "stream", "serve", "bench", "info", "demo").map(Arguments::of);
    }

    @org.junit.jupiter.api.Test
    void givenEvaluatePlotsOnAFile_whenRun_thenRefusedBeforeTheData() throws Exception {
        Path file = dir.resolve("plots.txt");
        java.nio.file.Files.writeString(file, "x");
        List<String> args = new ArrayList<>(base("evaluate"));
        args.addAll(List.of("--plots", file.toString()));
        CliPolishTest.Run r = CliPolishTest.run(args.toArray(String[]::new));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--plots"), r.err());
        assertFalse(r.err().contains("no such file"), r.err());
    }
}
