package io.koclip.search.index;

/**
 * One search result.
 *
 * @param document the stored fields (vector not loaded)
 * @param score cosine similarity to the query, in [-1, 1]
 */
public record Hit(ImageDocument document, float score) {}
