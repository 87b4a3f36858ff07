package io.koclip.search.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class IngestCheckpointTest {
    static final IngestCheckpoint RUNNING = new IngestCheckpoint(
            "5b72ab5b-0000-4000-8000-000000000001",
            "/data/photos",
            Instant.parse("2026-01-02T03:04:05Z"),
            Instant.parse("2026-01-02T03:14:05.123Z"),
            20,
            1,
            false,
            false);

    @Test
    void roundTripsThroughJsonWithTheDocumentedFieldsInOrder() {
        String json = RUNNING.toJson();
        assertThat(IngestCheckpoint.parse(json)).isEqualTo(RUNNING);
        JsonNode node = JsonMapper.builder().build().readTree(json);
        List<String> names = new ArrayList<>(node.propertyNames());
        assertThat(names).containsExactly("run", "source", "started", "committed", "indexed", "failed", "complete");
        assertThat(node.path("started").asString()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(node.path("indexed").asLong()).isEqualTo(20);
    }

    @Test
    void cancelledIsWrittenOnlyWhenTrue() {
        IngestCheckpoint cancelled = new IngestCheckpoint(
                RUNNING.run(), RUNNING.source(), RUNNING.started(), RUNNING.committed(), 20, 1, false, true);
        JsonNode node = JsonMapper.builder().build().readTree(cancelled.toJson());
        assertThat(node.path("cancelled").asBoolean()).isTrue();
        assertThat(IngestCheckpoint.parse(cancelled.toJson())).isEqualTo(cancelled);
    }

    @Test
    void anIncompleteOrUnreadableCheckpointMeansTheLastRunWasInterrupted() {
        assertThat(IngestCheckpoint.interrupted(null)).isFalse();
        assertThat(IngestCheckpoint.interrupted(RUNNING.toJson())).isTrue();
        IngestCheckpoint complete = new IngestCheckpoint(
                RUNNING.run(), RUNNING.source(), RUNNING.started(), RUNNING.committed(), 20, 1, true, false);
        assertThat(IngestCheckpoint.interrupted(complete.toJson())).isFalse();
        assertThat(IngestCheckpoint.interrupted("{\"complete\": true}")).isFalse();
        assertThat(IngestCheckpoint.interrupted("not json")).isTrue();
    }

    @Test
    void parseNamesWhatIsWrong() {
        assertThatThrownBy(() -> IngestCheckpoint.parse("[1]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> IngestCheckpoint.parse("{\"started\": \"yesterday\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unreadable");
    }
}
