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
 * @param duplicates which files collapse into the best-ranked one ({@link Dedup})
 * @param sort the order of the hits ({@link SortOrder})
 */
public record Paging(
        @Nullable Integer k,
        int offset,
        @Nullable Float minScore,
        SearchFilter filter,
        Dedup duplicates,
        SortOrder sort) {
    public Paging {
        if (filter == null || duplicates == null || sort == null) {
            throw new IllegalArgumentException("paging needs a filter (SearchFilter.NONE), a dedup and a sort");
        }
    }

    /** Relevance order; {@code dedup} collapses byte-equal files. */
    public Paging(@Nullable Integer k, int offset, @Nullable Float minScore, SearchFilter filter, boolean dedup) {
        this(k, offset, minScore, filter, dedup ? Dedup.EXACT : Dedup.NONE, SortOrder.RELEVANCE);
    }

    /** The first page of default size, no filter, duplicates collapsed. */
    public static Paging firstPage(@Nullable Integer k) {
        return new Paging(k, 0, null, SearchFilter.NONE, true);
    }

    /** Whether files with identical bytes collapse (they do with {@link Dedup#EXACT} and {@link Dedup#NEAR}). */
    public boolean dedup() {
        return duplicates != Dedup.NONE;
    }
}
