package io.koclip.search.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ClientLimitTest {
    /** As Spring Boot configures it: a problem's properties at the top level. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class)
            .build();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private ClientLimit limit(int maxInFlight) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("registry", registry);
        HttpProperties properties = new HttpProperties(
                HttpProperties.DEFAULT_CSP,
                new HttpProperties.Cors(List.of(), Duration.ofMinutes(30)),
                new HttpProperties.Uploads(4, Duration.ofSeconds(1)),
                new HttpProperties.Clients(maxInFlight, Duration.ofSeconds(2)));
        return new ClientLimit(
                properties, JSON, beans.getBeanProvider(io.micrometer.core.instrument.MeterRegistry.class));
    }

    private static MockHttpServletRequest request(String address, String uri) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", uri);
        request.setRemoteAddr(address);
        return request;
    }

    @Test
    void aClientPastItsBoundIsRefusedWith429WhileOthersPassAndTheCountReturnsToZero() throws Exception {
        ClientLimit limit = limit(2);
        try (Held held = new Held(limit, "10.0.0.1", 2)) {
            assertThat(limit.inFlight("10.0.0.1")).isEqualTo(2);

            MockHttpServletResponse refused = new MockHttpServletResponse();
            boolean[] reached = {false};
            limit.doFilter(request("10.0.0.1", "/api/v1/search"), refused, (req, res) -> reached[0] = true);
            assertThat(reached[0]).isFalse();
            assertThat(refused.getStatus()).isEqualTo(429);
            assertThat(refused.getHeader("Retry-After")).isEqualTo("2");
            assertThat(refused.getContentType()).startsWith("application/problem+json");
            JsonNode problem = JSON.readTree(refused.getContentAsString());
            assertThat(problem.get("code").asString()).isEqualTo("client-busy");
            assertThat(problem.get("status").asInt()).isEqualTo(429);
            assertThat(problem.get("detail").asString()).contains("2 requests in progress");

            // another address, and a path outside the API, are not held back by that client
            MockHttpServletResponse other = new MockHttpServletResponse();
            limit.doFilter(request("10.0.0.2", "/api/v1/search"), other, (req, res) -> reached[0] = true);
            assertThat(reached[0]).isTrue();
            assertThat(other.getStatus()).isEqualTo(200);
            reached[0] = false;
            limit.doFilter(
                    request("10.0.0.1", "/actuator/health"),
                    new MockHttpServletResponse(),
                    (req, res) -> reached[0] = true);
            assertThat(reached[0]).isTrue();

            assertThat(registry.get("koclip.clients.active").gauge().value()).isEqualTo(1.0);
            assertThat(registry.get("koclip.clients.rejected").functionCounter().count())
                    .isEqualTo(1.0);
            assertThat(held.release()).containsOnly(200);
        }
        assertThat(limit.inFlight("10.0.0.1")).isZero();
        assertThat(registry.get("koclip.clients.active").gauge().value()).isZero();

        // the slot is free again, also when the request behind it throws
        MockHttpServletResponse again = new MockHttpServletResponse();
        try {
            limit.doFilter(request("10.0.0.1", "/api/v1/search"), again, (req, res) -> {
                throw new IllegalStateException("handler failed");
            });
        } catch (IllegalStateException expected) {
            // the filter passes the failure on
        }
        assertThat(limit.inFlight("10.0.0.1")).isZero();
    }

    @Test
    void zeroTurnsTheBoundOff() throws Exception {
        ClientLimit limit = limit(0);
        try (Held held = new Held(limit, "10.0.0.1", 3)) {
            assertThat(held.release()).containsExactly(200, 200, 200);
        }
        assertThat(registry.get("koclip.clients.rejected").functionCounter().count())
                .isZero();
    }

    /** {@code n} requests of one address, each held inside the filter chain until {@link #release()}. */
    private static final class Held implements AutoCloseable {
        private final CountDownLatch inside;
        private final CountDownLatch release = new CountDownLatch(1);
        private final ExecutorService pool;
        private final List<Future<MockHttpServletResponse>> responses = new ArrayList<>();

        Held(ClientLimit limit, String address, int n) throws InterruptedException {
            inside = new CountDownLatch(n);
            pool = Executors.newFixedThreadPool(n);
            for (int i = 0; i < n; i++) {
                responses.add(pool.submit(() -> {
                    MockHttpServletResponse response = new MockHttpServletResponse();
                    limit.doFilter(request(address, "/api/v1/search"), response, (req, res) -> {
                        inside.countDown();
                        try {
                            release.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                    return response;
                }));
            }
            assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        }

        /** Lets the held requests finish; their statuses. */
        List<Integer> release() throws Exception {
            release.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<MockHttpServletResponse> f : responses) {
                statuses.add(f.get(10, TimeUnit.SECONDS).getStatus());
            }
            return statuses;
        }

        @Override
        public void close() {
            release.countDown();
            pool.shutdownNow();
        }
    }
}
