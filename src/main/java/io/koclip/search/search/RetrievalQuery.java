package io.koclip.search.search;

import io.koclip.search.index.SearchFilter;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link Retriever} is asked: the query's embedding, its normalized text when the query was
 * text (a lexical or hybrid retriever needs it; image and similar-image queries have none), and the
 * restrictions every hit must meet.
 *
 * @param vector unit-length query embedding, owned by this query (not copied: it stays inside the service)
 * @param text the normalized query text, or null for an image query
 * @param filter restrictions applied inside the index query
 */
public record RetrievalQuery(float[] vector, @Nullable String text, SearchFilter filter) {
    public RetrievalQuery {
        if (vector == null || filter == null) {
            throw new IllegalArgumentException("a retrieval query needs a vector and a filter (SearchFilter.NONE)");
        }
    }
}
