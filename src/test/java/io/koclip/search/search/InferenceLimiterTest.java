package io.koclip.search.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InferenceLimiterTest {
    @Test
    void refusesWhenEveryPermitStaysBusy() throws Exception {
        InferenceLimiter limiter = new InferenceLimiter(1, Duration.ofMillis(50), Duration.ofSeconds(2));
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> busy = executor.submit(() -> limiter.call(() -> {
                holding.countDown();
                release.await(5, TimeUnit.SECONDS);
                return 1;
            }));
            assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(limiter.available()).isZero();
            assertThatThrownBy(() -> limiter.call(() -> 2))
                    .isInstanceOfSatisfying(
                            InferenceBusyException.class,
                            e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(2)))
                    .hasMessageContaining("all 1 permits stayed busy for 50 ms");
            assertThat(limiter.rejected()).isEqualTo(1);
            release.countDown();
            assertThat(busy.get(5, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(limiter.call(() -> 3)).isEqualTo(3);
            assertThat(limiter.available()).isEqualTo(1);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void releasesThePermitWhenWorkThrows() {
        InferenceLimiter limiter = new InferenceLimiter(1, Duration.ZERO, Duration.ofSeconds(1));
        assertThatThrownBy(() -> limiter.call(() -> {
                    throw new IllegalStateException("boom");
                }))
                .hasMessage("boom");
        assertThat(limiter.available()).isEqualTo(1);
    }

    @Test
    void checksItsArguments() {
        assertThatThrownBy(() -> new InferenceLimiter(0, Duration.ZERO, Duration.ZERO))
                .hasMessage("permits: 0 must be >= 1");
    }
}
