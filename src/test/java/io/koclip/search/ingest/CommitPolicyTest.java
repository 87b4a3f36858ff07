package io.koclip.search.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CommitPolicyTest {
    static final long SECOND = 1_000_000_000L;

    @Test
    void dueAfterEveryNDocuments() {
        CommitPolicy policy = new CommitPolicy(10, Duration.ofSeconds(30), 0);
        policy.written(9);
        assertThat(policy.due(1)).isFalse();
        policy.written(1);
        assertThat(policy.due(1)).isTrue();
        policy.committed(2);
        assertThat(policy.writtenSinceCommit()).isZero();
        assertThat(policy.due(3)).isFalse();
    }

    @Test
    void dueOnceTheIntervalPassedWithDocumentsWritten() {
        CommitPolicy policy = new CommitPolicy(1000, Duration.ofSeconds(30), 5 * SECOND);
        assertThat(policy.due(100 * SECOND))
                .as("nothing written: nothing to commit")
                .isFalse();
        policy.written(1);
        assertThat(policy.due(34 * SECOND)).isFalse();
        assertThat(policy.due(35 * SECOND)).isTrue();
        policy.committed(35 * SECOND);
        policy.written(1);
        assertThat(policy.due(64 * SECOND)).isFalse();
        assertThat(policy.due(65 * SECOND)).isTrue();
    }

    @Test
    void theWriterWaitsAtMostUntilTheIntervalEnds() {
        CommitPolicy policy = new CommitPolicy(1000, Duration.ofSeconds(30), 0);
        assertThat(policy.nanosUntilInterval(10 * SECOND)).isEqualTo(20 * SECOND);
        assertThat(policy.nanosUntilInterval(31 * SECOND))
                .as("overdue: poll without waiting")
                .isOne();
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new CommitPolicy(0, Duration.ofSeconds(1), 0)).hasMessage("every: 0 must be >= 1");
        assertThatThrownBy(() -> new CommitPolicy(1, Duration.ZERO, 0)).hasMessage("interval: PT0S must be positive");
    }
}
