package io.koclip.search.search;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Which ranking a text query gets: nearest neighbours of its embedding, BM25F over the images'
 * text fields, or both fused by rank. Image and similar-image queries have no words and are always vector.
 */
public enum SearchMode {
    /** kNN of the query embedding ({@link VectorRetriever}). */
    VECTOR,
    /** BM25F over the Nori-analyzed text fields, one per text source ({@link LexicalRetriever}). */
    LEXICAL,
    /** Reciprocal Rank Fusion of both ({@link HybridRetriever}). */
    HYBRID;

    /** The mode when a request names none (docs/evaluation.md, "Search modes", says why). */
    public static final SearchMode DEFAULT = VECTOR;

    /**
     * Parses {@code vector}, {@code lexical} or {@code hybrid} (any case); null or blank is
     * {@link #DEFAULT}.
     *
     * @throws InvalidRequestException naming {@code mode} for anything else
     */
    public static SearchMode parse(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT;
        }
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("mode", "'" + value + "' is not one of vector, lexical, hybrid");
        }
    }

    /** The name in requests and responses. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
