package io.koclip.search.index;

import org.jspecify.annotations.Nullable;

/**
 * One search result.
 *
 * @param document the stored fields (vector not loaded)
 * @param score for a {@link VectorQuery}, the cosine similarity to the query in [-1, 1]; for a
 *     {@link LexicalQuery}, the backend's relevance score (BM25, ≥ 0)
 * @param snippet for a lexical hit, the best passage of the text field that matched, when the backend
 *     highlights; null otherwise
 */
public record Hit(
        ImageDocument document, float score, @Nullable Snippet snippet) {
    /** A hit without a snippet. */
    public Hit(ImageDocument document, float score) {
        this(document, score, null);
    }
}
