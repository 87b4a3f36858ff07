package io.koclip.search.ingest;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an ingest records with each durable commit ({@link io.koclip.search.index.VectorIndex#commit},
 * read back from {@link io.koclip.search.index.IndexMetadata#checkpoint()}): a JSON object that the
 * next run, the {@code check} command and operators read.
 *
 * <pre>
 * {"run": "5b72ab5b-…", "source": "/data/photos", "started": "2026-…Z", "committed": "2026-…Z",
 *  "indexed": 20, "failed": 0, "complete": false}
 * </pre>
 *
 * Fields in this order; {@code "cancelled": true} is added only when the run was cancelled.
 *
 * @param run a UUID per run
 * @param source the source folder (real path)
 * @param started when the run started
 * @param committed when this commit was made
 * @param indexed documents written by this run so far
 * @param failed failures of this run so far
 * @param complete true only on the final commit of a run that was not cancelled
 * @param cancelled the run was cancelled
 */
record IngestCheckpoint(
        String run,
        String source,
        Instant started,
        Instant committed,
        long indexed,
        long failed,
        boolean complete,
        boolean cancelled) {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    String toJson() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("run", run);
        fields.put("source", source);
        fields.put("started", started.toString());
        fields.put("committed", committed.toString());
        fields.put("indexed", indexed);
        fields.put("failed", failed);
        fields.put("complete", complete);
        if (cancelled) {
            fields.put("cancelled", true);
        }
        return JSON.writeValueAsString(fields);
    }

    /**
     * Reads a checkpoint written by {@link #toJson()}.
     *
     * @throws IllegalArgumentException if {@code json} is not such a checkpoint (the message quotes why)
     */
    static IngestCheckpoint parse(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            if (!node.isObject()) {
                throw new IllegalArgumentException("ingest checkpoint: not a JSON object: " + json);
            }
            return new IngestCheckpoint(
                    node.path("run").asString(),
                    node.path("source").asString(),
                    Instant.parse(node.path("started").asString()),
                    Instant.parse(node.path("committed").asString()),
                    node.path("indexed").asLong(),
                    node.path("failed").asLong(),
                    node.path("complete").asBoolean(false),
                    node.path("cancelled").asBoolean(false));
        } catch (JacksonException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("ingest checkpoint: unreadable (" + e.getMessage() + "): " + json, e);
        }
    }

    /**
     * Whether the run that wrote {@code json} stopped before its end (crashed, killed or cancelled):
     * false for no checkpoint, true for one that is not complete or cannot be read.
     */
    static boolean interrupted(@Nullable String json) {
        if (json == null) {
            return false;
        }
        try {
            // Only "complete" decides, so that a checkpoint with other fields missing still counts.
            return !JSON.readTree(json).path("complete").asBoolean(false);
        } catch (JacksonException e) {
            return true;
        }
    }
}
