package io.github.ae4j.examples.cli;

import io.github.ae4j.core.EpochReport;
import io.github.ae4j.core.TrainingListener;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Training progress for the commands that train, chosen by {@code --progress}: on a terminal one line that
 * updates in place (a bar, the epoch, both losses, rows/s and the time left), otherwise one line per epoch
 * (logs and CI output stay readable); {@code none} or {@code --quiet} print nothing.
 */
final class Progress {

    /** How progress is shown. */
    enum Mode {
        /** Choose: {@link #BAR} on a terminal, {@link #LINES} otherwise. */
        AUTO,
        /** One line updated in place with a carriage return. */
        BAR,
        /** One line per epoch. */
        LINES,
        /** Nothing. */
        NONE
    }

    private static final int BAR_WIDTH = 20;

    private Progress() {
    }

    /** The listeners for a command: progress on the command line's stderr as {@code --progress} says. */
    static TrainingListener[] listeners(Ae4jCli cli) {
        Mode m = cli.quiet ? Mode.NONE : cli.progress;
        if (m == Mode.AUTO) {
            m = System.console() != null ? Mode.BAR : Mode.LINES;
        }
        switch (m) {
            case NONE:
                return new TrainingListener[0];
            case BAR:
                return new TrainingListener[] {bar(cli.err)};
            default:
                return new TrainingListener[] {TrainingListener.printing(cli.err)};
        }
    }

    /**
     * A listener drawing one progress line updated in place, ended by a newline when training stops.
     *
     * @param out where to draw (a terminal)
     * @return the listener
     */
    static TrainingListener bar(PrintStream out) {
        return new TrainingListener() {
            private int width;

            @Override
            public void onStart(int maxEpochs, long trainRows, long validationRows) {
                out.printf("training on %,d rows (%,d held out for validation), at most %d epochs%n", trainRows,
                        validationRows, maxEpochs);
            }

            @Override
            public void onEpochEnd(EpochReport r) {
                String line = line(r);
                StringBuilder sb = new StringBuilder("\r").append(line);
                for (int i = line.length(); i < width; i++) {
                    sb.append(' ');          // wipe what a longer previous line left
                }
                width = line.length();
                out.print(sb);
                out.flush();
            }

            @Override
            public void onEnd(int epochs, String stopReason) {
                out.printf("%nstopped after %d epochs (%s)%n", epochs, stopReason);
            }
        };
    }

    /** One progress line: {@code [#####.....] epoch 5/100  loss 0.41  val 0.39 (best 0.38)  5,400 rows/s  eta 0m12s}. */
    static String line(EpochReport r) {
        int filled = (int) Math.round(BAR_WIDTH * (double) r.epoch() / Math.max(1, r.maxEpochs()));
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < BAR_WIDTH; i++) {
            sb.append(i < filled ? '#' : '.');
        }
        sb.append(String.format(Locale.ROOT, "] epoch %d/%d  loss %.4g", r.epoch(), r.maxEpochs(), r.trainLoss()));
        if (!Double.isNaN(r.validationLoss())) {
            sb.append(String.format(Locale.ROOT, "  val %.4g (best %.4g)", r.validationLoss(),
                    r.bestValidationLoss()));
        }
        long eta = Math.round(r.etaSeconds());
        sb.append(String.format(Locale.ROOT, "  %,.0f rows/s  eta %dm%02ds", r.rowsPerSecond(), eta / 60, eta % 60));
        return sb.toString();
    }
}
