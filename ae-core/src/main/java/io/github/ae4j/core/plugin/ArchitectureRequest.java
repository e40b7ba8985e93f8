package io.github.ae4j.core.plugin;

import io.github.ae4j.core.Normalization;
import io.github.ae4j.core.ReconstructionLoss;
import io.github.ae4j.core.ReconstructionLosses;
import io.github.ae4j.core.data.DataKind;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What an architecture is built for: the kind and width of the data, the feature scaling, the
 * options given by the user (already checked against the provider's documented
 * {@link ArchitectureProvider#options()}), and, where the caller has them, the training rows
 * themselves, so that a provider can size the model from the data (the {@code dense} provider does:
 * {@code ae4j train}, {@code SparkMain train} and a Java caller passing the rows get the same model).
 *
 * @param data          the kind of data (table, images of a shape, plain rows)
 * @param inputSize     values per row
 * @param normalization the feature scaling training will use
 * @param options       option values by key, as text
 * @param rows          the training rows, raw (before scaling), or a sample of them, shape
 *                      [rows, inputSize]; null when not at hand (a streamed file)
 */
public record ArchitectureRequest(DataKind data, int inputSize, Normalization normalization,
                                  Map<String, String> options, INDArray rows) {

    /** Validates the record. */
    public ArchitectureRequest {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(normalization, "normalization");
        options = Map.copyOf(new TreeMap<>(Objects.requireNonNull(options, "options")));
        if (inputSize < 1) {
            throw new IllegalArgumentException("inputSize must be >= 1, got " + inputSize);
        }
        if (rows != null && (rows.rank() != 2 || rows.size(1) != inputSize)) {
            throw new IllegalArgumentException("expected rows of " + inputSize + " values, got shape "
                    + java.util.Arrays.toString(rows.shape()));
        }
    }

    /**
     * A request without the training rows (the provider sizes the model from the width only).
     *
     * @param data          the kind of data
     * @param inputSize     values per row
     * @param normalization the feature scaling training will use
     * @param options       option values by key, as text
     */
    public ArchitectureRequest(DataKind data, int inputSize, Normalization normalization,
                               Map<String, String> options) {
        this(data, inputSize, normalization, options, null);
    }

    /**
     * @param trainingRows the training rows, raw, or a sample of them (null: none)
     * @return a copy with those rows
     */
    public ArchitectureRequest withRows(INDArray trainingRows) {
        return new ArchitectureRequest(data, inputSize, normalization, options, trainingRows);
    }

    /** @return whether the features are scaled into [0, 1] (minmax or scale) */
    public boolean unitRange() {
        return normalization == Normalization.SCALE || normalization == Normalization.MINMAX;
    }

    /**
     * The loss chosen with the {@value Architectures#LOSS} option (providers that take it document it
     * with {@link Architectures#lossOption(String)}).
     *
     * @return the loss of the {@link io.github.ae4j.core.LossProvider} of that name, or null when not given
     * @throws IllegalArgumentException naming the available losses when none has that name
     */
    public ReconstructionLoss loss() {
        String v = options.get(Architectures.LOSS);
        return v == null ? null : ReconstructionLosses.require(v.trim());
    }

    /**
     * An integer option.
     *
     * @param key the key
     * @return the value, or null when not given
     * @throws IllegalArgumentException when it is not a positive integer
     */
    public Integer intOption(String key) {
        String v = options.get(key);
        if (v == null) {
            return null;
        }
        try {
            int i = Integer.parseInt(v.trim());
            if (i > 0) {
                return i;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("architecture option " + key + " must be a positive integer, got '" + v + "'");
    }

    /**
     * A comma-separated list of positive integers.
     *
     * @param key the key
     * @return the values, or null when not given
     * @throws IllegalArgumentException when a value is not a positive integer
     */
    public int[] intsOption(String key) {
        String v = options.get(key);
        if (v == null) {
            return null;
        }
        String[] p = v.split(",");
        int[] r = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            try {
                r[i] = Integer.parseInt(p[i].trim());
            } catch (NumberFormatException e) {
                r[i] = -1;
            }
            if (r[i] < 1) {
                throw new IllegalArgumentException("architecture option " + key
                        + " must be positive integers separated by commas, got '" + v + "'");
            }
        }
        return r;
    }

    /**
     * A number option.
     *
     * @param key the key
     * @return the value, or null when not given
     * @throws IllegalArgumentException when it is not a finite number
     */
    public Double doubleOption(String key) {
        String v = options.get(key);
        if (v == null) {
            return null;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("architecture option " + key + " must be a number, got '" + v + "'");
    }
}
