package io.koclip.search.ingest;

import java.time.Duration;

/**
 * When the writer makes a durable commit: after {@code every} written documents, or once
 * {@code interval} has passed since the last commit with documents written meanwhile (a slow trickle
 * is still made durable). Times are {@link System#nanoTime()} values passed in, so the policy is
 * tested without a clock.
 *
 * <p>Not thread-safe: the writer's own (then the run thread's, once the writer has ended).
 */
final class CommitPolicy {
    private final int every;
    private final long intervalNanos;
    private long written;
    private long lastCommitNanos;

    CommitPolicy(int every, Duration interval, long nowNanos) {
        if (every < 1) {
            throw new IllegalArgumentException("every: " + every + " must be >= 1");
        }
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("interval: " + interval + " must be positive");
        }
        this.every = every;
        this.intervalNanos = interval.toNanos();
        this.lastCommitNanos = nowNanos;
    }

    void written(int documents) {
        written += documents;
    }

    long writtenSinceCommit() {
        return written;
    }

    boolean due(long nowNanos) {
        return written >= every || (written > 0 && nowNanos - lastCommitNanos >= intervalNanos);
    }

    /** How long the writer may wait for more documents before the interval makes a commit due; >= 1. */
    long nanosUntilInterval(long nowNanos) {
        return Math.max(1, lastCommitNanos + intervalNanos - nowNanos);
    }

    void committed(long nowNanos) {
        written = 0;
        lastCommitNanos = nowNanos;
    }
}
