package io.koclip.search.search;

import org.jspecify.annotations.Nullable;

/**
 * How a hit was found: its score on each side of the search, null where the hit was not on that
 * side's list.
 *
 * @param vector cosine similarity to the query embedding, in [-1, 1]
 * @param lexical BM25F relevance of the image's text fields to the query's words (≥ 0, comparable only within
 *     one query)
 * @param fused the Reciprocal Rank Fusion score of a hybrid search ({@link HybridRetriever})
 */
public record HitScores(
        @Nullable Float vector,
        @Nullable Float lexical,
        @Nullable Float fused) {
    /** A hit of a vector search. */
    public static HitScores vector(float cosine) {
        return new HitScores(cosine, null, null);
    }

    /** A hit of a lexical search. */
    public static HitScores lexical(float bm25) {
        return new HitScores(null, bm25, null);
    }
}
