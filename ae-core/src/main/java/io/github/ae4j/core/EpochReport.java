package io.github.ae4j.core;

/**
 * Progress after one training epoch, as passed to {@link TrainingListener#onEpochEnd}.
 *
 * @param epoch              1-based epoch number
 * @param maxEpochs          the configured maximum
 * @param trainLoss          mean per-row reconstruction loss at the end of the epoch on the epoch's first
 *                           training rows (up to 2,048), measured as {@code validationLoss} is (so the two compare;
 *                           regularisation not included)
 * @param validationLoss     loss on the validation rows, or NaN without a validation split
 * @param bestValidationLoss the best validation loss so far, or NaN
 * @param improved           whether this epoch improved on the best validation loss
 * @param rowsPerSecond      training throughput of this epoch
 * @param elapsedSeconds     seconds since training started
 * @param etaSeconds         estimated seconds left if all remaining epochs run
 */
public record EpochReport(int epoch, int maxEpochs, double trainLoss, double validationLoss,
                          double bestValidationLoss, boolean improved, double rowsPerSecond,
                          double elapsedSeconds, double etaSeconds) {

    /**
     * A one-line human summary for a progress display, e.g.
     * {@code epoch 3/100  loss 0.41  val 0.39 (best)  5400 rows/s  elapsed 0m02s  eta 1m10s}: "(best)" marks an
     * epoch whose validation loss is the best so far (the weights kept at the end).
     *
     * @return the summary
     */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(java.util.Locale.ROOT, "epoch %d/%d  loss %.5g", epoch, maxEpochs, trainLoss));
        if (!Double.isNaN(validationLoss)) {
            sb.append(String.format(java.util.Locale.ROOT, "  val %.5g%s", validationLoss, improved ? " (best)" : ""));
        }
        sb.append(String.format(java.util.Locale.ROOT, "  %.0f rows/s  elapsed %s  eta %s", rowsPerSecond,
                duration(elapsedSeconds), duration(etaSeconds)));
        return sb.toString();
    }

    private static String duration(double s) {
        long t = Math.round(s);
        return t >= 3600 ? String.format(java.util.Locale.ROOT, "%dh%02dm", t / 3600, (t % 3600) / 60)
                : String.format(java.util.Locale.ROOT, "%dm%02ds", t / 60, t % 60);
    }
}
