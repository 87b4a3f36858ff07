package io.koclip.search.search;

/**
 * A request parameter with a bad value (HTTP 400). The message names the parameter and the value,
 * and is shown to the client as is.
 */
public final class InvalidRequestException extends IllegalArgumentException {
    private final String parameter;

    public InvalidRequestException(String parameter, String message) {
        super(parameter + ": " + message);
        this.parameter = parameter;
    }

    /** Refuses {@code value} of {@code parameter} outside {@code [min, max]}. */
    public static void checkRange(String parameter, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidRequestException(parameter, value + " is not in [" + min + ", " + max + "]");
        }
    }

    /** The request parameter at fault ({@code q}, {@code k}, {@code labels}, ...). */
    public String parameter() {
        return parameter;
    }
}
