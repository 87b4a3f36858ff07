package io.koclip.search.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The admin token's lockout on a fake clock: free failures, doubling lockouts, the cap, forgetting. */
class AdminLockoutTest {
    final AtomicLong nanos = new AtomicLong();
    final AdminLockout lockout = new AdminLockout(
            new AdminProperties.Lockout(3, Duration.ofSeconds(10), Duration.ofSeconds(60)), nanos::get);

    @Test
    void freeFailuresThenDoublingLockoutsUpToTheLongest() {
        assertThat(lockout.failed("10.0.0.1")).isZero();
        assertThat(lockout.failed("10.0.0.1")).isZero();
        assertThat(lockout.failed("10.0.0.1")).isZero();
        assertThat(lockout.lockedFor("10.0.0.1")).isZero();
        assertThat(lockout.failed("10.0.0.1")).isEqualTo(Duration.ofSeconds(10));
        assertThat(lockout.lockedFor("10.0.0.1")).isEqualTo(Duration.ofSeconds(10));
        assertThat(lockout.lockedFor("10.0.0.2")).as("another client").isZero();
        advance(Duration.ofSeconds(4));
        assertThat(lockout.lockedFor("10.0.0.1")).isEqualTo(Duration.ofSeconds(6));
        advance(Duration.ofSeconds(6));
        assertThat(lockout.lockedFor("10.0.0.1")).isZero();
        assertThat(lockout.failed("10.0.0.1")).isEqualTo(Duration.ofSeconds(20));
        assertThat(lockout.failed("10.0.0.1")).isEqualTo(Duration.ofSeconds(40));
        assertThat(lockout.failed("10.0.0.1")).isEqualTo(Duration.ofSeconds(60));
        for (int i = 0; i < 100; i++) {
            assertThat(lockout.failed("10.0.0.1")).isEqualTo(Duration.ofSeconds(60));
        }
    }

    @Test
    void theRightTokenAndTimeForgetFailures() {
        for (int i = 0; i < 3; i++) {
            lockout.failed("a");
            lockout.failed("b");
        }
        lockout.succeeded("a");
        assertThat(lockout.failed("a")).as("counting starts again").isZero();
        assertThat(lockout.failed("b")).isEqualTo(Duration.ofSeconds(10));
        advance(Duration.ofSeconds(61));
        assertThat(lockout.lockedFor("b")).isZero();
        assertThat(lockout.failed("b"))
                .as("forgotten after the longest lockout")
                .isZero();
    }

    private void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }
}
