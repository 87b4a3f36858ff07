package io.koclip.search.search;

import io.koclip.search.index.ImageDocument;
import io.koclip.search.index.Snippet;
import org.jspecify.annotations.Nullable;

/**
 * One hit of a {@link Retriever}'s ranking.
 *
 * @param document the stored fields (no vector)
 * @param score what the ranking is sorted by: the cosine (vector), BM25 (lexical) or the fused score
 *     (hybrid)
 * @param scores each side's score
 * @param snippet the matching passage of the hit's text when the lexical side found it, else null
 */
public record RetrievedHit(
        ImageDocument document,
        float score,
        HitScores scores,
        @Nullable Snippet snippet) {
    public RetrievedHit {
        if (document == null || scores == null) {
            throw new IllegalArgumentException("a retrieved hit needs its document and scores");
        }
    }

    /** A hit without a snippet. */
    public RetrievedHit(ImageDocument document, float score, HitScores scores) {
        this(document, score, scores, null);
    }
}
