package io.koclip.search.search;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The timer {@code koclip.search{kind=...}} around each request of the query side (text, image,
 * similar, classify, patches), from validation to the answer. Thread-safe.
 */
public final class RequestTimer {
    private final MeterRegistry registry;

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
        Timer.builder("koclip.search")
                .tag("kind", kind)
                .description("Search requests, from validation to the last hit")
                .register(registry)
                .record(Duration.ofNanos(nanos));
        return nanos / 1_000_000;
    }
}
