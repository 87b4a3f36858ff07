package io.koclip.search.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
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
        CountDownLatch inside = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<MockHttpServletResponse>> held = List.of(
                    pool.submit(() -> hold(limit, "10.0.0.1", inside, release)),
                    pool.submit(() -> hold(limit, "10.0.0.1", inside, release)));
            assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
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
            release.countDown();
            for (Future<MockHttpServletResponse> f : held) {
                assertThat(f.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
            }
        } finally {
            release.countDown();
            pool.shutdownNow();
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
        CountDownLatch inside = new CountDownLatch(3);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<MockHttpServletResponse>> held = List.of(
                    pool.submit(() -> hold(limit, "10.0.0.1", inside, release)),
                    pool.submit(() -> hold(limit, "10.0.0.1", inside, release)),
                    pool.submit(() -> hold(limit, "10.0.0.1", inside, release)));
            assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
            release.countDown();
            for (Future<MockHttpServletResponse> f : held) {
                assertThat(f.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
            }
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
        assertThat(registry.get("koclip.clients.rejected").functionCounter().count())
                .isZero();
    }

    private static MockHttpServletResponse hold(
            ClientLimit limit, String address, CountDownLatch inside, CountDownLatch release) throws Exception {
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
    }
}
