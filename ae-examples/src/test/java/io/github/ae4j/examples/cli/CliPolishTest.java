package io.github.ae4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ae4j.core.EpochReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Help text, typo suggestions and the progress display of the command line. */
class CliPolishTest {

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Ae4jCli.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void givenTopLevelHelp_whenPrinted_thenEveryCommandSummaryIsAWholeSentence() {
        Run r = run("--help");
        assertEquals(0, r.code());
        String commands = r.out().substring(r.out().indexOf("Commands:"));
        // join continuation lines to one summary per command, then check each ends a sentence
        StringBuilder joined = new StringBuilder();
        for (String line : commands.split("\n")) {
            if (line.startsWith("  ") && !line.startsWith("   ")) {
                joined.append('\n');
            }
            joined.append(' ').append(line.trim());
        }
        List<String> summaries = List.of(joined.toString().trim().split("\n"));
        assertTrue(summaries.size() >= 10, "commands listed: " + summaries);
        for (String s : summaries) {
            if (s.contains("Commands:")) {
                continue;
            }
            String t = s.trim();
            assertTrue(t.endsWith("."), "summary cut mid-sentence: '" + t + "'");
            assertFalse(t.endsWith(":."), t);
        }
    }

    @Test
    void givenMistypedOption_whenParsed_thenExit2AndDidYouMean() {
        Run r = run("train", "--data", "x.csv", "--out", "m.ae4j", "--lable-column", "label");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("did you mean --label-column"), r.err());
        assertEquals(2, r.err().lines().count(), "one error line and one usage line: " + r.err());
    }

    @Test
    void givenMistypedCommand_whenParsed_thenDidYouMeanTheCommand() {
        Run r = run("scroe", "--model", "m.ae4j");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("did you mean score"), r.err());
    }

    @Test
    void givenUnknownProgressMode_whenParsed_thenExit2ListingTheChoices() {
        Run r = run("info", "--progress", "fancy", "--model", "m.ae4j");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("expected auto, bar, lines or none"), r.err());
    }

    @Test
    void givenEpochReports_whenDrawnAsBar_thenOneLineUpdatedInPlaceWithBothLossesAndEta() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
        var bar = Progress.bar(ps);
        bar.onStart(10, 900, 100);
        for (int e = 1; e <= 4; e++) {
            bar.onEpochEnd(new EpochReport(e, 10, 1.0 / e, 1.1 / e, 1.1 / e, true, 5000, e, 10 - e));
        }
        bar.onEnd(4, "early-stopping");
        String s = buf.toString(StandardCharsets.UTF_8);
        assertEquals(3, s.split("\n").length, "start line, one bar line, end line: " + s);
        assertEquals(4, s.chars().filter(c -> c == '\r').count(), "redrawn once per epoch");
        String last = s.substring(s.lastIndexOf('\r') + 1, s.indexOf('\n', s.lastIndexOf('\r')));
        assertTrue(last.startsWith("[########............] epoch 4/10  loss 0.2500  val 0.2750 (best 0.2750)"), last);
        assertTrue(last.contains("rows/s  eta 0m06s"), last);
    }

    @Test
    void givenEpochReport_whenSummarised_thenBestEpochIsMarkedInWords() {
        EpochReport r = new EpochReport(2, 5, 0.5, 0.4, 0.4, true, 1000, 2, 3);
        assertTrue(r.summary().contains("val 0.40000 (best)"), r.summary());
    }
}
