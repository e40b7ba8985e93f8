package io.github.ae4j.examples.cli;

/** Bad usage or bad input on the command line: exit code 2 with this one-line message. */
public class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the one-line message
     */
    public UsageException(String message) {
        super(message);
    }
}
