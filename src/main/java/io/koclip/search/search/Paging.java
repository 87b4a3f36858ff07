package io.koclip.search.search;

import io.koclip.search.index.SearchFilter;
import org.jspecify.annotations.Nullable;

/**
 * Which hits of a ranking a request wants.
 *
 * @param k hits per page, or null for {@code koclip.search.default-k}
 * @param offset hits to skip
 * @param minScore drop hits scoring below this cosine similarity, or null for none
 * @param filter restrictions applied inside the kNN query
 * @param dedup collapse files with identical bytes (same content hash) into the best-scoring one
 */
public record Paging(
        @Nullable Integer k, int offset, @Nullable Float minScore, SearchFilter filter, boolean dedup) {
    /** The first page of default size, no filter, duplicates collapsed. */
    public static Paging firstPage(@Nullable Integer k) {
        return new Paging(k, 0, null, SearchFilter.NONE, true);
    }
}
