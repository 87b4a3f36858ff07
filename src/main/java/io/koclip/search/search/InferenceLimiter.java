package io.koclip.search.search;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bounds concurrent CPU-bound inference (image decoding, encoders). ONNX Runtime already uses every
 * core inside one call, so more concurrent calls than permits only add latency; callers that cannot
 * get a permit within the timeout are refused with {@link InferenceBusyException} rather than queued
 * without bound.
 *
 * <p>Thread-safe.
 */
public final class InferenceLimiter {
    private final Semaphore permits;
    private final int size;
    private final Duration acquireTimeout;
    private final Duration retryAfter;
    private final LongAdder rejected = new LongAdder();

    public InferenceLimiter(int permits, Duration acquireTimeout, Duration retryAfter) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits: " + permits + " must be >= 1");
        }
        if (acquireTimeout.isNegative()) {
            throw new IllegalArgumentException("acquireTimeout: " + acquireTimeout + " must not be negative");
        }
        this.permits = new Semaphore(permits, true);
        this.size = permits;
        this.acquireTimeout = acquireTimeout;
        this.retryAfter = retryAfter;
    }

    /** Work run under a permit; may throw one checked exception type (an image rejection). */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T run() throws E;
    }

    /** Runs {@code work} holding one permit. */
    public <T, E extends Exception> T call(Work<T, E> work) throws E {
        boolean acquired;
        try {
            acquired = permits.tryAcquire(acquireTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InferenceBusyException(size, acquireTimeout, retryAfter);
        }
        if (!acquired) {
            rejected.increment();
            throw new InferenceBusyException(size, acquireTimeout, retryAfter);
        }
        try {
            return work.run();
        } finally {
            permits.release();
        }
    }

    /** Permits free right now (for metrics). */
    public int available() {
        return permits.availablePermits();
    }

    /** Calls refused so far because no permit came free in time (for metrics). */
    public long rejected() {
        return rejected.sum();
    }

    public int size() {
        return size;
    }
}
