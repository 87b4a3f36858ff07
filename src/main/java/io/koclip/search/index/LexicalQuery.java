package io.koclip.search.index;

/**
 * A full-text query over the documents' text fields (one per {@code TextSource}, each weighted by its
 * {@code TextSource.boost()}), analyzed by the backend's language analysis (Korean: Nori). Scores of
 * its hits are the backend's relevance scores (BM25F), comparable only within one result list: fusion
 * with vector hits goes by rank, not by score. Hits carry a {@link Snippet} where the backend highlights.
 *
 * @param text the user's words, not a query syntax
 * @param k number of hits wanted, in [1, {@value VectorQuery#MAX_CANDIDATES}]
 * @param filter restrictions applied inside the query
 */
public record LexicalQuery(String text, int k, SearchFilter filter) implements IndexQuery {
    public LexicalQuery {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("lexical query text: '" + text + "' must not be blank");
        }
        if (k < 1 || k > VectorQuery.MAX_CANDIDATES) {
            throw new IllegalArgumentException("k: " + k + " is not in [1, " + VectorQuery.MAX_CANDIDATES + "]");
        }
        if (filter == null) {
            throw new IllegalArgumentException("filter must not be null (SearchFilter.NONE for none)");
        }
    }
}
