package io.koclip.search.ingest;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Every number of one run in one place: the counters, the per-stage time, the phase and the failures.
 * Stages add to it; {@link #progress()} and {@link #report} read it.
 *
 * <p>Thread-safe: counters are atomic, the failure list is guarded by itself. A snapshot taken while
 * the run is going is consistent per counter, not across counters.
 */
final class IngestMetrics {
    /** Where the time goes; each maps to one field of {@link IngestReport.Timings}. */
    enum Timer {
        READ,
        DECODE,
        PREPROCESS,
        ENCODE,
        INDEX,
        COMMIT,
        ENCODER_IDLE,
        WORKERS_BLOCKED,
        MEMORY_WAIT
    }

    private final int maxReportedFailures;
    private final Map<Timer, LongAdder> nanos = new EnumMap<>(Timer.class);

    final AtomicLong scanned = new AtomicLong();
    final AtomicLong unchanged = new AtomicLong();
    /** Documents written (encoded or copied). */
    final AtomicLong indexed = new AtomicLong();

    final AtomicLong encoded = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong pruned = new AtomicLong();
    /** Unchanged files whose text alone was re-indexed (also counted as written and duplicates). */
    final AtomicLong textUpdated = new AtomicLong();

    final AtomicLong warned = new AtomicLong();
    private final List<IngestWarning> warnings = new ArrayList<>(); // guarded by itself

    private final List<IngestFailure> failures = new ArrayList<>(); // guarded by itself
    private final Queue<IngestFailure> failureEvents = new ConcurrentLinkedQueue<>();

    private volatile IngestProgress.Phase phase = IngestProgress.Phase.IDLE;
    private volatile boolean scanComplete;
    private volatile long startNanos;
    private volatile long endNanos;

    IngestMetrics(int maxReportedFailures) {
        this.maxReportedFailures = maxReportedFailures;
        for (Timer t : Timer.values()) {
            nanos.put(t, new LongAdder());
        }
    }

    /** The adder of {@code timer}, for code that measures a wait itself (hand-offs, the memory budget). */
    LongAdder nanos(Timer timer) {
        return nanos.get(timer);
    }

    /** Adds the time since {@code startNanos} ({@link System#nanoTime()}) to {@code timer}. */
    void addSince(Timer timer, long startNanos) {
        nanos.get(timer).add(System.nanoTime() - startNanos);
    }

    void started() {
        startNanos = System.nanoTime();
        phase = IngestProgress.Phase.INGESTING;
    }

    void phase(IngestProgress.Phase value) {
        phase = value;
    }

    void finished() {
        endNanos = System.nanoTime();
        phase = IngestProgress.Phase.FINISHED;
    }

    void scanComplete() {
        scanComplete = true;
    }

    /** Counts a failure, lists it in the report (up to the configured number) and queues it for the listener. */
    void failure(IngestFailure failure) {
        failed.incrementAndGet();
        synchronized (failures) {
            if (failures.size() < maxReportedFailures) {
                failures.add(failure);
            }
        }
        failureEvents.add(failure);
    }

    /** Counts a text warning and lists it in the report (up to the configured number of failures). */
    void warning(String path, String reason) {
        warned.incrementAndGet();
        synchronized (warnings) {
            if (warnings.size() < maxReportedFailures) {
                warnings.add(new IngestWarning(path, reason));
            }
        }
    }

    /** Hands every failure not yet delivered to {@code listener}, oldest first. */
    void drainFailures(Consumer<IngestFailure> listener) {
        IngestFailure failure;
        while ((failure = failureEvents.poll()) != null) {
            listener.accept(failure);
        }
    }

    IngestProgress progress() {
        double seconds = elapsedSeconds();
        long enc = encoded.get();
        return new IngestProgress(
                phase,
                scanned.get(),
                scanComplete,
                unchanged.get() + indexed.get() + failed.get(),
                indexed.get(),
                unchanged.get(),
                failed.get(),
                seconds,
                seconds > 0 ? enc / seconds : 0);
    }

    IngestReport report(String source, String model, boolean cancelled, boolean resumed, long documents) {
        double seconds = elapsedSeconds();
        List<IngestFailure> listed;
        synchronized (failures) {
            listed = List.copyOf(failures);
        }
        List<IngestWarning> listedWarnings;
        synchronized (warnings) {
            listedWarnings = List.copyOf(warnings);
        }
        IngestReport.Timings timings = new IngestReport.Timings(
                seconds(Timer.READ),
                seconds(Timer.DECODE),
                seconds(Timer.PREPROCESS),
                seconds(Timer.ENCODE),
                seconds(Timer.INDEX),
                seconds(Timer.COMMIT),
                seconds(Timer.ENCODER_IDLE),
                seconds(Timer.WORKERS_BLOCKED),
                seconds(Timer.MEMORY_WAIT));
        return new IngestReport(
                source,
                model,
                cancelled,
                resumed,
                scanned.get(),
                indexed.get(),
                encoded.get(),
                unchanged.get(),
                duplicates.get(),
                failed.get(),
                pruned.get(),
                documents,
                round(seconds),
                round(seconds > 0 ? encoded.get() / seconds : 0),
                timings,
                listed,
                failed.get() > listed.size(),
                textUpdated.get(),
                warned.get(),
                listedWarnings);
    }

    private double elapsedSeconds() {
        long start = startNanos;
        if (start == 0) {
            return 0;
        }
        long end = endNanos != 0 ? endNanos : System.nanoTime();
        return (end - start) / 1e9;
    }

    private double seconds(Timer timer) {
        return round(nanos.get(timer).sum() / 1e9);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
