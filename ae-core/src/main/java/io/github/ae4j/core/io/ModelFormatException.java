package io.github.ae4j.core.io;

import java.io.IOException;
import java.nio.file.Path;

/** A model file that cannot be loaded: not an ae4j model, truncated, corrupt, unsafe, or too new. */
public class ModelFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param file    the file
     * @param message what is wrong
     */
    public ModelFormatException(Path file, String message) {
        super(file + ": " + message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param file    the file
     * @param message what is wrong
     * @param cause   the underlying error
     */
    public ModelFormatException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
    }
}
