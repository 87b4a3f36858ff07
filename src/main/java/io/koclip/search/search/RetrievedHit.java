package io.koclip.search.search;

import io.koclip.search.index.ImageDocument;

/**
 * One hit of a {@link Retriever}'s ranking.
 *
 * @param document the stored fields (no vector)
 * @param score what the ranking is sorted by: the cosine (vector), BM25 (lexical) or the fused score
 *     (hybrid)
 * @param scores each side's score
 */
public record RetrievedHit(ImageDocument document, float score, HitScores scores) {
    public RetrievedHit {
        if (document == null || scores == null) {
            throw new IllegalArgumentException("a retrieved hit needs its document and scores");
        }
    }
}
