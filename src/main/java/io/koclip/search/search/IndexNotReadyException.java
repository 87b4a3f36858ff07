package io.koclip.search.search;

/**
 * The index cannot answer yet (HTTP 503 with Retry-After): it is being built for the first time, it
 * failed to open, or it was built with another model.
 */
public final class IndexNotReadyException extends RuntimeException {
    public IndexNotReadyException(String message) {
        super(message);
    }
}
