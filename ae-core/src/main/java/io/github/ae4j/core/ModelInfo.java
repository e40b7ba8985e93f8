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
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelInfo(int formatVersion, String kind, String ae4jVersion, String dl4jVersion,
                        String createdAt, double trainingSeconds, Map<String, Object> spec,
                        Map<String, Object> training, String loss, String lossClass, String decoderOutput,
                        String decoderActivation, int[] inputShape, int inputSize, int latentSize,
                        List<Epoch> history, String stopReason, Map<String, Object> extras) {

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
        return new ModelInfo(formatVersion, kind, ae4jVersion, dl4jVersion, createdAt, trainingSeconds, spec,
                training, loss, lossClass, decoderOutput, decoderActivation, inputShape, inputSize, latentSize,
                history, stopReason, e);
    }
}
