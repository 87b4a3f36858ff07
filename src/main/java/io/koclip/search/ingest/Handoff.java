package io.koclip.search.ingest;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/**
 * A bounded, typed hand-off between two pipeline stages: producers {@link #put} records of one type,
 * one consumer {@link #take}s them in order, and the hand-off <em>closes</em> when its last producer
 * calls {@link #producerDone()}; the consumer then drains what is left and sees {@code null}.
 *
 * <p>Why not a {@code BlockingQueue} with a poison record: the worker stage has N producers, so a
 * poison record needs a count of poison records, an instance of the stage's record type that means
 * "no record", and a check for it at every take. Counting producers here keeps end-of-stream in one
 * place and out of the record types. The hand-off also checks the run's {@link IngestControl} while it
 * blocks (every 100 ms), so a fatal error in any stage unblocks every other stage with
 * {@link IngestControl.Aborted}.
 *
 * <p>Capacity is a weight, not a count: a record weighs {@code weight.applyAsInt(record)} (capped at the
 * capacity, so a record heavier than the whole hand-off still passes, alone). The encoder hands the
 * writer one record per batch of B vectors and the workers one record per copied document, and the
 * bound stays "at most 4·B documents waiting" either way.
 *
 * <p>Thread-safe for any number of producers and one consumer.
 */
final class Handoff<T> {
    private static final long WAKE_MILLIS = 100;

    private final String name;
    private final int capacity;
    private final ToIntFunction<T> weight;
    private final IngestControl control;
    private final LinkedBlockingQueue<T> records = new LinkedBlockingQueue<>();
    private final Semaphore room;
    private final AtomicInteger producers;
    private volatile boolean closed;

    /**
     * @param name names the hand-off in messages
     * @param capacity total weight of the records that may wait, at least 1
     * @param producers how many producers will call {@link #producerDone()}, at least 1
     * @param weight the weight of one record, at least 1
     */
    Handoff(String name, int capacity, int producers, ToIntFunction<T> weight, IngestControl control) {
        if (capacity < 1) {
            throw new IllegalArgumentException(name + " capacity: " + capacity + " must be >= 1");
        }
        if (producers < 1) {
            throw new IllegalArgumentException(name + " producers: " + producers + " must be >= 1");
        }
        this.name = name;
        this.capacity = capacity;
        this.weight = weight;
        this.control = control;
        this.room = new Semaphore(capacity);
        this.producers = new AtomicInteger(producers);
    }

    /** A hand-off of records that weigh 1 each. */
    Handoff(String name, int capacity, int producers, IngestControl control) {
        this(name, capacity, producers, record -> 1, control);
    }

    /**
     * Hands {@code record} over, blocking while the hand-off is full.
     *
     * @param blockedNanos adds the time spent blocked, if not null
     * @throws IngestControl.Aborted if another stage failed while this one waited
     * @throws IllegalStateException if every producer is done already
     */
    void put(T record, @Nullable LongAdder blockedNanos) throws InterruptedException {
        if (closed) {
            throw new IllegalStateException(name + ": put after every producer was done");
        }
        int permits = permits(record);
        if (!room.tryAcquire(permits)) {
            long t0 = System.nanoTime();
            try {
                while (!room.tryAcquire(permits, WAKE_MILLIS, TimeUnit.MILLISECONDS)) {
                    control.checkNotAborted();
                }
            } finally {
                if (blockedNanos != null) {
                    blockedNanos.add(System.nanoTime() - t0);
                }
            }
        }
        records.add(record);
    }

    /** One producer is done; the last one closes the hand-off. */
    void producerDone() {
        if (producers.decrementAndGet() == 0) {
            closed = true;
        }
    }

    /**
     * The next record, blocking until there is one; null once the hand-off is closed and drained.
     *
     * @throws IngestControl.Aborted if another stage failed while this one waited
     */
    @Nullable
    T take() throws InterruptedException {
        while (true) {
            T record = poll(WAKE_MILLIS, TimeUnit.MILLISECONDS);
            if (record != null || isDrained()) {
                return record;
            }
        }
    }

    /**
     * The next record, waiting at most {@code timeout}; null on timeout or once closed and drained
     * ({@link #isDrained()} tells which).
     *
     * @throws IngestControl.Aborted if another stage has failed
     */
    @Nullable
    T poll(long timeout, TimeUnit unit) throws InterruptedException {
        control.checkNotAborted();
        T record = records.poll();
        if (record == null && !isDrained() && timeout > 0) {
            // Wake at least every 100 ms to notice an abort or the close.
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            long left;
            while (record == null && !isDrained() && (left = deadline - System.nanoTime()) > 0) {
                record = records.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(WAKE_MILLIS)), TimeUnit.NANOSECONDS);
                control.checkNotAborted();
            }
        }
        if (record != null) {
            room.release(permits(record));
        }
        return record;
    }

    /** The record waiting now, or null; never blocks. */
    @Nullable
    T pollNow() throws InterruptedException {
        return poll(0, TimeUnit.NANOSECONDS);
    }

    /** True once every producer is done and every record has been taken. */
    boolean isDrained() {
        // Producers add before they are done, so once closed is seen an empty queue stays empty.
        return closed && records.isEmpty();
    }

    private int permits(T record) {
        int w = weight.applyAsInt(record);
        if (w < 1) {
            throw new IllegalArgumentException(name + ": record weight " + w + " must be >= 1");
        }
        return Math.min(w, capacity);
    }
}
