package io.koclip.search.search;

import java.time.Duration;

/**
 * Every inference permit stayed taken for the whole acquire timeout (HTTP 503 with Retry-After). The
 * server sheds load instead of queueing requests without bound.
 */
public final class InferenceBusyException extends RuntimeException {
    private final Duration retryAfter;

    public InferenceBusyException(int permits, Duration waited, Duration retryAfter) {
        super("inference is saturated: all " + permits + " permits stayed busy for " + waited.toMillis()
                + " ms; retry later");
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
