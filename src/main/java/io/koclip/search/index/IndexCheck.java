package io.koclip.search.index;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The result of {@link IndexBackend#check}.
 *
 * @param clean true when the engine's checker found no problem
 * @param documents live documents
 * @param segments segments (Lucene) or shards (a distributed engine) checked
 * @param metadata the recorded metadata, or null when there is no index or it is unreadable
 * @param problems what is wrong, one sentence each; empty when clean
 * @param log the checker's detailed output when not clean, else empty
 */
public record IndexCheck(
        boolean clean,
        long documents,
        int segments,
        @Nullable IndexMetadata metadata,
        List<String> problems,
        String log) {
    public IndexCheck {
        problems = List.copyOf(problems);
    }
}
