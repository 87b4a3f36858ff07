package io.koclip.search.index;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@link IndexBackend#status()} reports for health: the engine, whether it can answer, and its own
 * details in backend-neutral form (plain strings, numbers, lists and maps, ready for JSON), so the
 * server shows a cluster's state without knowing the engine.
 *
 * @param backend the engine's short name: {@code lucene}, {@code solr}, {@code memory}
 * @param state {@link State#UP}, {@link State#DEGRADED} (answers, with less redundancy than configured)
 *     or {@link State#DOWN} (some or all documents cannot be searched)
 * @param details engine-specific facts, in insertion order (Solr: live nodes, alias, collection,
 *     generation, replica counts by state); copied, unmodifiable
 */
public record BackendStatus(String backend, State state, Map<String, Object> details) {
    /** How well the engine can answer. */
    public enum State {
        UP,
        DEGRADED,
        DOWN
    }

    public BackendStatus {
        if (backend.isBlank()) {
            throw new IllegalArgumentException("backend name is blank");
        }
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** A backend that is up and has nothing more to say. */
    public static BackendStatus up(String backend) {
        return new BackendStatus(backend, State.UP, Map.of());
    }
}
