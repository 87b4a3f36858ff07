package io.koclip.search.search;

import io.koclip.search.index.VectorIndex;
import java.io.IOException;
import java.util.List;

/**
 * How the query service gets a ranking from the index: the seam where the kind of retrieval is
 * chosen. {@link VectorRetriever} asks for the nearest neighbours of the query's embedding; a lexical
 * retriever (captions, BM25) or a hybrid one (both lists fused by rank) plugs in here without any
 * change to the service's callers, the REST API, the web page and the {@code search} command.
 *
 * <p>Paging, minimum score and duplicate collapsing happen above the retriever, in
 * {@link SearchService}, on the ranking it returns; a retriever only ranks.
 *
 * <p>Implementations are thread-safe.
 */
public interface Retriever {

    /**
     * The best {@code size} hits for {@code query}, best first, scores descending. Fewer than
     * {@code size} only when the index holds no more documents that match the filter.
     */
    List<RetrievedHit> retrieve(VectorIndex index, RetrievalQuery query, int size) throws IOException;
}
