package io.koclip.search.index;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The backend-neutral index contract: embedded Lucene today ({@link LuceneIndexes}), SolrCloud or
 * OpenSearch for users who outgrow one machine. Implementations are thread-safe: writes and searches
 * may run concurrently; searches see writes after {@link #refresh()} or {@link #commit}.
 *
 * <p>Vectors are checked at this boundary: the dimension must be the model's, every value finite and
 * the norm 1 ± 1e-3 (the index scores with the dot product, which is the cosine only on unit vectors).
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

    /**
     * What the index knows of the file behind {@code id} (no vector): the incremental-ingest lookup.
     * Sees the last {@link #refresh()}.
     */
    default Optional<IndexedFile> indexedFile(String id) throws IOException {
        return get(id).map(d -> new IndexedFile(d.id(), d.path(), d.contentHash(), d.bytes(), d.modified()));
    }

    /**
     * Some document whose file had exactly these bytes (vector included), so identical content is
     * embedded once. Sees the last {@link #refresh()}.
     */
    default Optional<ImageDocument> findByContentHash(String contentHash) throws IOException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot look up documents by content");
    }

    /**
     * Calls {@code action} once per live document as of the last {@link #refresh()}, in no particular
     * order. {@code action} may call {@link #delete}; deletions do not disturb the iteration.
     */
    default void forEachIndexedFile(Consumer<IndexedFile> action) throws IOException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot list its documents");
    }
}
