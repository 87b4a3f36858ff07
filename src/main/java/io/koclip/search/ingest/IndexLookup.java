package io.koclip.search.ingest;

import io.koclip.search.index.DocumentIds;
import io.koclip.search.index.IndexedFile;
import io.koclip.search.index.VectorIndex;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The incremental ingest's look-up of scanned files in the index, batched: the scan thread collects
 * {@value #BATCH} files, looks them all up with one {@link VectorIndex#indexedFiles} call (one search
 * on Lucene, one or two real-time gets on Solr instead of a request per file) and only then hands them
 * to the workers, which {@link #take} the answer for their file. A file that was not looked up (the
 * batch call failed) is looked up alone by the worker, so a failing index still fails the worker's
 * file the usual way.
 *
 * <p>Why the answers stay right: a path is scanned once per run and no other writer touches the
 * index during it, so nothing this run writes can change an answer between the batch and the worker.
 *
 * <p>Thread-safety: {@link #add} and {@link #flush} on the scan thread only; {@link #take} on any
 * worker. At most {@value #BATCH} plus the files waiting in the hand-off have an answer held here.
 */
final class IndexLookup {
    private static final Logger log = LoggerFactory.getLogger(IndexLookup.class);

    /** Files per batched look-up. */
    static final int BATCH = 100;

    private final VectorIndex index;
    private final List<SourceScanner.ScannedFile> pending = new ArrayList<>(BATCH); // scan thread only
    private final Map<String, Optional<IndexedFile>> answers = new ConcurrentHashMap<>();

    IndexLookup(VectorIndex index) {
        this.index = index;
    }

    /**
     * Scan thread: queues {@code file}; returns the files whose look-up is done (empty until a batch
     * fills), in scan order, for the workers.
     */
    List<SourceScanner.ScannedFile> add(SourceScanner.ScannedFile file) {
        pending.add(file);
        return pending.size() >= BATCH ? flush() : List.of();
    }

    /** Scan thread: looks up the queued files (fewer than a batch at the end of the walk) and returns them. */
    List<SourceScanner.ScannedFile> flush() {
        if (pending.isEmpty()) {
            return List.of();
        }
        List<SourceScanner.ScannedFile> batch = List.copyOf(pending);
        pending.clear();
        List<String> ids = new ArrayList<>(batch.size());
        for (SourceScanner.ScannedFile file : batch) {
            ids.add(DocumentIds.forPath(file.relativePath()));
        }
        try {
            Map<String, IndexedFile> found = index.indexedFiles(ids);
            for (String id : ids) {
                answers.put(id, Optional.ofNullable(found.get(id)));
            }
        } catch (IOException | RuntimeException e) {
            log.debug("batched look-up of {} files failed; the workers look them up one by one", ids.size(), e);
        }
        return batch;
    }

    /** Worker: what the index knows of {@code id}, from the batch when it was looked up, else asked now. */
    Optional<IndexedFile> take(String id) throws IOException {
        Optional<IndexedFile> answer = answers.remove(id);
        return answer != null ? answer : index.indexedFile(id);
    }
}
