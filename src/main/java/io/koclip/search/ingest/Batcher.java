package io.koclip.search.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The encoder's batching policy: wait for a first record, then give the batch up to {@code linger}
 * to fill to {@code batchSize}, so that a busy pipeline encodes full batches (one model call
 * amortized over B images) and a trickle is not held back for long.
 *
 * <p>Not thread-safe: the encoder thread's own.
 */
final class Batcher<T> {
    private final Handoff<T> source;
    private final int batchSize;
    private final long lingerNanos;

    Batcher(Handoff<T> source, int batchSize, long lingerNanos) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize: " + batchSize + " must be >= 1");
        }
        if (lingerNanos < 0) {
            throw new IllegalArgumentException("lingerNanos: " + lingerNanos + " must be >= 0");
        }
        this.source = source;
        this.batchSize = batchSize;
        this.lingerNanos = lingerNanos;
    }

    /**
     * The next batch, in hand-off order: 1 to {@code batchSize} records, fewer when the linger ran out
     * or the hand-off closed; null once the hand-off is closed and drained.
     *
     * @param waitedNanos adds the time spent waiting for records (the encoder idle)
     */
    @Nullable
    List<T> next(LongAdder waitedNanos) throws InterruptedException {
        long t0 = System.nanoTime();
        try {
            T first = source.take();
            if (first == null) {
                return null;
            }
            List<T> batch = new ArrayList<>(batchSize);
            batch.add(first);
            long deadline = System.nanoTime() + lingerNanos;
            while (batch.size() < batchSize) {
                T next = source.pollNow();
                if (next == null) {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0 || (next = source.poll(remaining, TimeUnit.NANOSECONDS)) == null) {
                        break; // lingered long enough, or the hand-off is drained
                    }
                }
                batch.add(next);
            }
            return batch;
        } finally {
            waitedNanos.add(System.nanoTime() - t0);
        }
    }
}
