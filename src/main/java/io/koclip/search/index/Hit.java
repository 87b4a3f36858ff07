package io.koclip.search.index;

/**
 * One search result.
 *
 * @param document the stored fields (vector not loaded)
 * @param score for a {@link VectorQuery}, the cosine similarity to the query in [-1, 1]; for a
 *     {@link LexicalQuery}, the backend's relevance score (BM25, ≥ 0)
 */
public record Hit(ImageDocument document, float score) {}
