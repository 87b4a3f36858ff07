package io.koclip.search.model;

/**
 * A model bundle that cannot be used: a missing file, an unknown format, a field with a bad value,
 * or tensor names and shapes that the ONNX graphs do not have. The message names the file and the
 * field so that the owner of the bundle can fix it.
 */
public final class BundleException extends RuntimeException {
    public BundleException(String message) {
        super(message);
    }

    public BundleException(String message, Throwable cause) {
        super(message, cause);
    }
}
