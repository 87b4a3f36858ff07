package io.koclip.search.index;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The backend-neutral index contract: embedded Lucene today, SolrCloud or OpenSearch for users who
 * outgrow one machine. Implementations are thread-safe: writes and searches may run concurrently;
 * searches see writes after {@link #refresh()} or {@link #commit}.
 */
public interface VectorIndex extends Closeable {

    /** Adds or replaces the document with {@code document.id()}; the vector is required. */
    void upsert(ImageDocument document) throws IOException;

    /** Removes the document with this id; absent ids are ignored. */
    void delete(String id) throws IOException;

    /** Nearest neighbours of {@code query}, best first. */
    List<Hit> search(VectorQuery query) throws IOException;

    /** The stored fields of one document (vector included). */
    Optional<ImageDocument> get(String id) throws IOException;

    /** Makes recent writes visible to searches without a durable commit. */
    void refresh() throws IOException;

    /** Durably commits every write so far with {@code userData} (e.g. an ingest checkpoint) merged in. */
    void commit(Map<String, String> userData) throws IOException;

    IndexStats stats() throws IOException;
}
