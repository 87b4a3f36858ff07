package io.koclip.search.index;

import java.util.List;
import java.util.Map;

/**
 * The result of {@link LuceneIndexes#check}.
 *
 * @param clean true when Lucene's CheckIndex found no problem
 * @param documents live documents
 * @param segments segments in the latest commit
 * @param commitData the latest commit's user data (model, vector format, ingest checkpoint)
 * @param problems what is wrong, one sentence each; empty when clean
 * @param log CheckIndex's detailed output when not clean, else empty
 */
public record IndexCheck(
        boolean clean,
        long documents,
        int segments,
        Map<String, String> commitData,
        List<String> problems,
        String log) {
    public IndexCheck {
        commitData = Map.copyOf(commitData);
        problems = List.copyOf(problems);
    }
}
