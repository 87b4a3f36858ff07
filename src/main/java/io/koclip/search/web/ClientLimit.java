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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.ObjectMapper;

/**
 * Per-client fairness on {@code /api/**} ({@link HttpProperties.Clients}): at most {@code
 * maxInFlight} requests of one client address are in progress at once; one more is answered at once
 * with 429 {@code client-busy} and {@code Retry-After}, its body unread. Without it a single client
 * with many connections fills the inference limiter's queue (a fair FIFO) and every other client's
 * request waits behind all of them, or is refused with 503 once the queue wait passes the limiter's
 * timeout ({@code src/tools/bench/fairness.sh} measures both). The client is {@link
 * HttpServletRequest#getRemoteAddr()}: the peer address, or the forwarded one when Spring Boot's
 * {@code server.forward-headers-strategy} trusts a proxy.
 *
 * <p>Metrics: {@code koclip.clients.active} (clients with a request in progress), {@code
 * koclip.clients.rejected} (requests refused).
 *
 * <p>Thread-safe: the counts live in a concurrent map whose per-key {@code compute} is atomic; an entry
 * is removed when its count returns to zero, so the map holds only clients with requests in progress.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
class ClientLimit extends OncePerRequestFilter {
    private final ObjectMapper json;
    private final int maxInFlight;
    private final Duration retryAfter;
    private final ConcurrentHashMap<String, Integer> inFlight = new ConcurrentHashMap<>();
    private final LongAdder rejected = new LongAdder();

    ClientLimit(HttpProperties properties, ObjectMapper json, ObjectProvider<MeterRegistry> registries) {
        this.json = json;
        this.maxInFlight = properties.clients().maxInFlight();
        this.retryAfter = properties.clients().retryAfter();
        registries.ifAvailable(this::register); // web slice tests have no registry
    }

    private void register(MeterRegistry registry) {
        Gauge.builder("koclip.clients.active", inFlight, ConcurrentHashMap::size)
                .description("Client addresses with an API request in progress")
                .register(registry);
        FunctionCounter.builder("koclip.clients.rejected", rejected, LongAdder::sum)
                .description("API requests refused with 429 because their client had"
                        + " koclip.http.clients.max-in-flight requests in progress")
                .register(registry);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return maxInFlight == 0 || !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String client = request.getRemoteAddr();
        boolean[] admitted = {false};
        inFlight.compute(client, (key, count) -> {
            int now = count == null ? 0 : count;
            if (now >= maxInFlight) {
                return count;
            }
            admitted[0] = true;
            return now + 1;
        });
        if (!admitted[0]) {
            rejected.increment();
            Problems.write(
                    json,
                    request,
                    response,
                    HttpStatus.TOO_MANY_REQUESTS,
                    "client-busy",
                    "this client already has " + maxInFlight + " requests in progress"
                            + " (koclip.http.clients.max-in-flight); retry when one has been answered",
                    retryAfter);
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            inFlight.computeIfPresent(client, (key, count) -> count <= 1 ? null : count - 1);
        }
    }

    /** Requests of {@code client} in progress (for tests). */
    int inFlight(String client) {
        return inFlight.getOrDefault(client, 0);
    }
}
