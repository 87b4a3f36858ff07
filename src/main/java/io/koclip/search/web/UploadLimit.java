package io.koclip.search.web;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.ObjectMapper;

/**
 * Bounds the multipart uploads the server reads at once ({@link HttpProperties.Uploads#maxConcurrent()}):
 * a POST with a {@code multipart/*} body takes a permit before its body is read (Spring MVC parses
 * the parts after the filters) and returns it when the answer is written; without a free permit it is
 * answered at once with 503 {@code uploads-busy} and {@code Retry-After}, its body unread. Uploads wait
 * for nothing here: the inference limiter behind them already queues briefly, and a queue of
 * 20&nbsp;MB bodies is what this bound exists to prevent.
 *
 * <p>Metrics: {@code koclip.uploads.active} (gauge), {@code koclip.uploads.rejected} (counter).
 *
 * <p>Thread-safe: a semaphore and an adder.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class UploadLimit extends OncePerRequestFilter {
    private final ObjectMapper json;
    private final int size;
    private final Duration retryAfter;
    private final Semaphore permits;
    private final LongAdder rejected = new LongAdder();

    UploadLimit(HttpProperties properties, ObjectMapper json, ObjectProvider<MeterRegistry> registries) {
        this.json = json;
        this.size = properties.uploads().maxConcurrent();
        this.retryAfter = properties.uploads().retryAfter();
        this.permits = new Semaphore(size);
        registries.ifAvailable(this::register); // web slice tests have no registry
    }

    private void register(MeterRegistry registry) {
        Gauge.builder("koclip.uploads.active", this, UploadLimit::active)
                .description("Multipart uploads being read or processed")
                .register(registry);
        FunctionCounter.builder("koclip.uploads.rejected", rejected, LongAdder::sum)
                .description("Uploads refused with 503 because koclip.http.uploads.max-concurrent were in progress")
                .register(registry);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String type = request.getContentType();
        return !"POST".equals(request.getMethod())
                || type == null
                || !type.toLowerCase(Locale.ROOT).startsWith("multipart/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!permits.tryAcquire()) {
            rejected.increment();
            Problems.write(
                    json,
                    request,
                    response,
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "uploads-busy",
                    "all " + size + " upload slots are in use; retry later",
                    retryAfter);
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            permits.release();
        }
    }

    /** Uploads in progress. */
    int active() {
        return size - permits.availablePermits();
    }
}
