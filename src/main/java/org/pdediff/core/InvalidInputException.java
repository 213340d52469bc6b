package org.pdediff.core;

/**
 * A problem with what the user asked for: an unknown name, a malformed file, a value out of range. The command line
 * prints its message as one line and exits with status 2; it is never a bug in pdediff.
 */
public class InvalidInputException extends RuntimeException {
    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
