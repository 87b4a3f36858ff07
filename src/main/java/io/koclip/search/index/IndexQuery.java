package io.koclip.search.index;

/**
 * The queries a backend answers. Fusion of several retrievers (hybrid search) happens above the
 * backends, in the query service, so a backend only ever answers these primitive kinds.
 *
 * <p>Every query carries its own page size {@code k} and a {@link SearchFilter} applied inside the
 * query (pre-filtering: k hits come back when k documents match).
 */
public sealed interface IndexQuery permits VectorQuery, LexicalQuery {
    /** Hits wanted. */
    int k();

    /** Restrictions applied inside the query. */
    SearchFilter filter();
}
