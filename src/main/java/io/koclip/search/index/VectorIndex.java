package io.koclip.search.index;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One open index: the backend-neutral contract that the ingest job, the query service and the
 * commands speak. Opened by an {@link IndexBackend} (embedded Lucene, SolrCloud, the in-memory test
 * backend); its behaviour is pinned by one contract test suite that every backend passes.
 *
 * <p>Visibility and durability: writes are visible to searches and look-ups after {@link #refresh()}
 * or {@link #commit}; they are durable (they survive kill -9 of this process, or of the engine) once
 * {@link #commit} returns, together with the checkpoint given to it. A backend may make writes
 * visible earlier, never durable later.
 *
 * <p>Vectors are checked at this boundary: the dimension must be the model's, every value finite and
 * the norm 1 ± 1e-3 (the index scores with the dot product, which is the cosine only on unit vectors).
 *
 * <p>Implementations are thread-safe: writes, look-ups and searches may run concurrently.
 */
public interface VectorIndex extends Closeable {

    /** What the index records: model, vector options and the last committed checkpoint. */
    IndexMetadata metadata();

    /**
     * Adds or replaces the documents with these ids in one batch (one request on a remote engine);
     * every document needs its vector. A batch is validated whole before anything is written.
     */
    void upsertAll(List<ImageDocument> documents) throws IOException;

    /** Removes the documents with these ids in one batch; absent ids are ignored. */
    void deleteAll(Collection<String> ids) throws IOException;

    /** {@link #upsertAll} of one document. */
    default void upsert(ImageDocument document) throws IOException {
        upsertAll(List.of(document));
    }

    /** {@link #deleteAll} of one id. */
    default void delete(String id) throws IOException {
        deleteAll(List.of(id));
    }

    /**
     * Answers a query, best hit first (ties in score by id order of the backend's choosing).
     *
     * @throws IllegalArgumentException if the backend does not answer this kind of query, or the
     *     query's vector does not fit the index
     */
    List<Hit> search(IndexQuery query) throws IOException;

    /** The stored fields of one document, vector included. */
    Optional<ImageDocument> get(String id) throws IOException;

    /** What the index knows of the file behind {@code id} (no vector): the incremental-ingest look-up. */
    Optional<IndexedFile> indexedFile(String id) throws IOException;

    /**
     * {@link #indexedFile} of many ids at once, the incremental ingest's batched look-up: one pass over
     * the index (one request per chunk of ids on a remote engine) instead of one per file. Sees what
     * {@link #indexedFile} sees.
     *
     * @return the files found, keyed by id; ids absent from the index are absent from the map
     */
    default Map<String, IndexedFile> indexedFiles(Collection<String> ids) throws IOException {
        Map<String, IndexedFile> found = new HashMap<>();
        for (String id : ids) {
            indexedFile(id).ifPresent(f -> found.put(id, f));
        }
        return found;
    }

    /**
     * Some document whose file had exactly these bytes (vector included), so identical content is
     * embedded once.
     */
    Optional<ImageDocument> findByContentHash(String contentHash) throws IOException;

    /**
     * Calls {@code action} once per live document as of the last refresh, in no particular order.
     * {@code action} may call {@link #delete}; deletions do not disturb the iteration.
     */
    void forEachIndexedFile(Consumer<IndexedFile> action) throws IOException;

    /** Makes recent writes visible to searches and look-ups, without the cost of durability. */
    void refresh() throws IOException;

    /**
     * Makes every write so far durable, together with {@code checkpoint} (stored in the metadata), and
     * visible. Atomic: after a crash the index holds either everything before this call with this
     * checkpoint, or the state of the previous commit with its checkpoint.
     *
     * @param checkpoint the ingest checkpoint to record, or null to keep the recorded one
     */
    void commit(@Nullable String checkpoint) throws IOException;

    IndexStats stats() throws IOException;

    /**
     * Copies this index's last commit into {@code target} (a folder that must not exist yet) while
     * writes, commits and searches go on, and verifies the copy with the engine's checker. Writes after
     * the last commit are not in the backup: it holds exactly what a crash at this moment would keep.
     *
     * @throws IllegalStateException if the index is open read-only, or the copy is not clean
     * @throws IllegalArgumentException if {@code target} exists
     * @throws UnsupportedOperationException if the backend has no backup of its own (see
     *     {@link IndexBackend}, "Backup and restore")
     */
    default IndexBackup backup(Path target) throws IOException {
        throw new UnsupportedOperationException(
                this + " cannot be backed up by koclip-search; use the engine's own backup"
                        + " (SolrCloud: the Collections API's BACKUP action, docs/operations.md \"Backup and restore\")");
    }

    /** Closes the index, committing writes that are not yet durable with the recorded checkpoint. */
    @Override
    void close() throws IOException;
}
