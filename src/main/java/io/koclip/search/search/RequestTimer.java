package io.koclip.search.search;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * The timer {@code koclip.search{kind=...}} around each request of the query side (text, image,
 * similar, classify, patches), from validation to the answer. Thread-safe.
 */
public final class RequestTimer {
    private final MeterRegistry registry;
    // One timer per kind, built once: Timer.builder(...).register(...) on every request built a meter
    // id and looked it up in the registry each time (allocations on the hot path).
    private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();

    public RequestTimer(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Records a request of {@code kind} that started at {@code startNanos} ({@link System#nanoTime()}).
     *
     * @return the elapsed time in milliseconds, the {@code tookMs} of the answer
     */
    public long stop(String kind, long startNanos) {
        long nanos = System.nanoTime() - startNanos;
        timers.computeIfAbsent(
                        kind,
                        k -> Timer.builder("koclip.search")
                                .tag("kind", k)
                                .description("Search requests, from validation to the last hit")
                                .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
        return nanos / 1_000_000;
    }
}
