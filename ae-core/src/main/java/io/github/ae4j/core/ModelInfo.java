package io.github.ae4j.core;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * What a saved model records about itself, besides its graph and weights: versions, the
 * architecture's description, the training configuration and history, and the names needed to
 * rebuild its encoder and decoder graphs. Stored as {@code model.json} in the model file.
 *
 * @param formatVersion     the file-format version ({@link Ae4j#FORMAT_VERSION} when written)
 * @param kind              the model family ({@code autoencoder}, {@code variational})
 * @param ae4jVersion       ae4j version that trained the model
 * @param dl4jVersion       DL4J version that trained the model
 * @param createdAt         ISO-8601 time the model was trained
 * @param trainingSeconds   wall-clock training time
 * @param spec              the architecture's description ({@link ModelSpec#describe()})
 * @param training          the training configuration, as plain values
 * @param loss              the reconstruction loss's name
 * @param lossClass         the loss's class (for custom losses)
 * @param decoderOutput     the vertex whose output is the reconstruction
 * @param decoderActivation the activation applied to it in Java
 * @param inputShape        per-example input shape (e.g. height, width, channels)
 * @param inputSize         values per input row
 * @param latentSize        values per latent code
 * @param history           loss per epoch
 * @param stopReason        why training stopped
 * @param extras            module-specific values (plain values, lists and maps)
 * @param provenance        where the model comes from (versions, platform, data fingerprint); null in
 *                          files written before ae4j recorded it
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelInfo(int formatVersion, String kind, String ae4jVersion, String dl4jVersion,
                        String createdAt, double trainingSeconds, Map<String, Object> spec,
                        Map<String, Object> training, String loss, String lossClass, String decoderOutput,
                        String decoderActivation, int[] inputShape, int inputSize, int latentSize,
                        List<Epoch> history, String stopReason, Map<String, Object> extras,
                        Provenance provenance) {

    /**
     * One epoch of training history.
     *
     * @param epoch          1-based epoch
     * @param trainLoss      training loss
     * @param validationLoss validation loss, or NaN
     */
    public record Epoch(int epoch, double trainLoss, double validationLoss) {
    }

    /**
     * A copy with other extras.
     *
     * @param e the extras
     * @return the copy
     */
    public ModelInfo withExtras(Map<String, Object> e) {
        return toBuilder().extras(e).build();
    }

    /**
     * A copy with another provenance.
     *
     * @param p the provenance, or null
     * @return the copy
     */
    public ModelInfo withProvenance(Provenance p) {
        return toBuilder().provenance(p).build();
    }

    /**
     * A builder for a new model's metadata: the format and version fields are this build's, the history
     * and extras are empty.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder starting from this metadata's values.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.formatVersion = formatVersion;
        b.kind = kind;
        b.ae4jVersion = ae4jVersion;
        b.dl4jVersion = dl4jVersion;
        b.createdAt = createdAt;
        b.trainingSeconds = trainingSeconds;
        b.spec = spec;
        b.training = training;
        b.loss = loss;
        b.lossClass = lossClass;
        b.decoderOutput = decoderOutput;
        b.decoderActivation = decoderActivation;
        b.inputShape = inputShape;
        b.inputSize = inputSize;
        b.latentSize = latentSize;
        b.history = history;
        b.stopReason = stopReason;
        b.extras = extras;
        b.provenance = provenance;
        return b;
    }

    /** Builds {@link ModelInfo} by named fields (see the record's components for their meaning). */
    public static final class Builder {
        private int formatVersion = Ae4j.FORMAT_VERSION;
        private String kind;
        private String ae4jVersion = Ae4j.VERSION;
        private String dl4jVersion = Ae4j.DL4J_VERSION;
        private String createdAt;
        private double trainingSeconds;
        private Map<String, Object> spec = Map.of();
        private Map<String, Object> training;
        private String loss;
        private String lossClass;
        private String decoderOutput;
        private String decoderActivation;
        private int[] inputShape;
        private int inputSize;
        private int latentSize;
        private List<Epoch> history = List.of();
        private String stopReason;
        private Map<String, Object> extras = Map.of();
        private Provenance provenance;

        private Builder() {
        }

        /**
         * The architecture's fields, from its spec: kind, description, loss (name and class), decoder output
         * vertex and activation, input shape and size.
         *
         * @param s the spec
         * @return this
         */
        public Builder spec(ModelSpec s) {
            kind = s.kind();
            spec = s.describe();
            loss = s.loss().name();
            lossClass = s.loss().getClass().getName();
            decoderOutput = s.decoderOutput();
            decoderActivation = s.decoderOutputActivation().name();
            inputShape = s.inputShape();
            inputSize = s.inputSize();
            return this;
        }

        /**
         * @param v the file-format version
         * @return this
         */
        public Builder formatVersion(int v) {
            formatVersion = v;
            return this;
        }

        /**
         * @param v the model family
         * @return this
         */
        public Builder kind(String v) {
            kind = v;
            return this;
        }

        /**
         * @param v the ae4j version
         * @return this
         */
        public Builder ae4jVersion(String v) {
            ae4jVersion = v;
            return this;
        }

        /**
         * @param v the DL4J version
         * @return this
         */
        public Builder dl4jVersion(String v) {
            dl4jVersion = v;
            return this;
        }

        /**
         * @param v ISO-8601 training time
         * @return this
         */
        public Builder createdAt(String v) {
            createdAt = v;
            return this;
        }

        /**
         * @param v wall-clock training seconds
         * @return this
         */
        public Builder trainingSeconds(double v) {
            trainingSeconds = v;
            return this;
        }

        /**
         * @param v the architecture's description
         * @return this
         */
        public Builder description(Map<String, Object> v) {
            spec = v;
            return this;
        }

        /**
         * @param v the training configuration as plain values
         * @return this
         */
        public Builder training(Map<String, Object> v) {
            training = v;
            return this;
        }

        /**
         * @param name the loss's name
         * @param className its class
         * @return this
         */
        public Builder loss(String name, String className) {
            loss = name;
            lossClass = className;
            return this;
        }

        /**
         * @param vertex the reconstruction vertex
         * @param activation its activation
         * @return this
         */
        public Builder decoder(String vertex, String activation) {
            decoderOutput = vertex;
            decoderActivation = activation;
            return this;
        }

        /**
         * @param shape per-example input shape
         * @param size values per row
         * @return this
         */
        public Builder input(int[] shape, int size) {
            inputShape = shape;
            inputSize = size;
            return this;
        }

        /**
         * @param v values per latent code
         * @return this
         */
        public Builder latentSize(int v) {
            latentSize = v;
            return this;
        }

        /**
         * @param v loss per epoch
         * @return this
         */
        public Builder history(List<Epoch> v) {
            history = v == null ? List.of() : List.copyOf(v);
            return this;
        }

        /**
         * @param v why training stopped
         * @return this
         */
        public Builder stopReason(String v) {
            stopReason = v;
            return this;
        }

        /**
         * @param v module-specific values
         * @return this
         */
        public Builder extras(Map<String, Object> v) {
            extras = v == null ? Map.of() : v;
            return this;
        }

        /**
         * @param v where the model comes from
         * @return this
         */
        public Builder provenance(Provenance v) {
            provenance = v;
            return this;
        }

        /** @return the metadata */
        public ModelInfo build() {
            return new ModelInfo(formatVersion, kind, ae4jVersion, dl4jVersion, createdAt, trainingSeconds, spec,
                    training, loss, lossClass, decoderOutput, decoderActivation, inputShape, inputSize, latentSize,
                    history, stopReason, extras, provenance);
        }
    }
}
