package io.koclip.search.search;

import io.koclip.search.index.IndexBackend;
import io.koclip.search.index.IndexModelMismatchException;
import io.koclip.search.index.IndexSpec;
import io.koclip.search.index.VectorIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index the server answers from, switchable in place: a reindex builds a fresh index with
 * {@link #prepareReindex()} and {@link #switchTo switches} to it, whatever the backend (Lucene folders,
 * a SolrCloud alias; see {@link IndexBackend}'s reindex protocol).
 *
 * <p>Thread-safety: every use of the index runs under a read lock ({@link #search}, {@link #read});
 * {@link #switchTo} and {@link #close} take the write lock, so searches wait for the short switch
 * instead of failing, and never see a closed index. Readiness is a volatile flag: while the first
 * ingest runs, or when the index was built with another model, searches are refused with
 * {@link IndexNotReadyException}.
 */
public final class LiveIndex implements SearchableIndex, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveIndex.class);

    /** Work on the open index. */
    @FunctionalInterface
    public interface IndexWork<T> {
        T apply(VectorIndex index) throws IOException;
    }

    private final IndexBackend backend;
    private final IndexSpec spec;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    private @Nullable VectorIndex current; // guarded by lock
    private volatile @Nullable String notReady;
    private volatile boolean modelMismatch;

    private LiveIndex(IndexBackend backend, IndexSpec spec) {
        this.backend = backend;
        this.spec = spec;
    }

    /**
     * Opens (creating when absent) the backend's live index for the server's model. An index of another
     * model is not an error here: the server keeps serving health and the API, refuses searches with a
     * message that says to reindex, and lets a reindex replace it.
     */
    public static LiveIndex open(IndexBackend backend, IndexSpec spec) throws IOException {
        LiveIndex live = new LiveIndex(backend, spec);
        live.openCurrent();
        return live;
    }

    private void openCurrent() throws IOException {
        try {
            current = backend.open(spec);
            modelMismatch = false;
            notReady = null;
        } catch (IndexModelMismatchException e) {
            current = null;
            modelMismatch = true;
            notReady = "the " + backend.describe() + " cannot be used: " + e.getMessage()
                    + "; reindex (POST /api/v1/admin/reindex)";
            log.warn(notReady);
        }
    }

    /** Runs a query on the live index; refused with {@link IndexNotReadyException} while not ready. */
    @Override
    public <T> T search(IndexWork<T> work) {
        lock.readLock().lock();
        try {
            String reason = notReady;
            if (reason != null) {
                throw new IndexNotReadyException(reason);
            }
            return work.apply(requireOpen());
        } catch (IOException e) {
            throw new UncheckedIOException(backend.describe() + ": " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Runs work on the live index whether or not it is ready (stats, health, an ingest). The index
     * is not closed or switched while the work runs.
     *
     * @throws IndexNotReadyException when no index is open (another model's index, or shut down)
     */
    public <T> T read(IndexWork<T> work) throws IOException {
        lock.readLock().lock();
        try {
            return work.apply(requireOpen());
        } finally {
            lock.readLock().unlock();
        }
    }

    private VectorIndex requireOpen() {
        VectorIndex index = current;
        if (index == null) {
            String reason = notReady;
            throw new IndexNotReadyException(reason != null ? reason : "the " + backend.describe() + " is closed");
        }
        return index;
    }

    /** Refuses searches with {@code reason} until {@link #markReady()}. */
    public void markNotReady(String reason) {
        notReady = reason;
    }

    /** Lets searches through (after the first ingest). Ignored while the model does not match. */
    public void markReady() {
        if (!modelMismatch) {
            notReady = null;
        }
    }

    public boolean isReady() {
        return notReady == null;
    }

    /** Why searches are refused, or null when ready. */
    public @Nullable String notReadyReason() {
        return notReady;
    }

    /** True when the index holds vectors of another model than the server's. */
    public boolean modelMismatch() {
        return modelMismatch;
    }

    /** Names the live index (its folder, its collection). */
    public String describe() {
        return backend.describe();
    }

    /** A fresh, empty index beside the live one for the server's model, open for writing. */
    public IndexBackend.Reindex prepareReindex() throws IOException {
        return backend.prepareReindex(spec);
    }

    /**
     * Makes the fully built {@code reindex} live. Searches wait for the switch (closing the live index,
     * the backend's atomic switch, opening the new one) and then see the new index. If the switch
     * fails, the previous index is opened again and the failure is thrown.
     */
    public void switchTo(IndexBackend.Reindex reindex) throws IOException {
        lock.writeLock().lock();
        try {
            VectorIndex previous = current;
            current = null;
            if (previous != null) {
                previous.close();
            }
            try {
                reindex.activate();
            } catch (IOException | RuntimeException e) {
                openCurrent();
                throw e;
            }
            openCurrent();
            log.info("switched to the reindexed {}", backend.describe());
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Commits and closes the live index; searches after this are refused. */
    @Override
    public void close() throws IOException {
        lock.writeLock().lock();
        try {
            VectorIndex index = current;
            current = null;
            notReady = "the server is shutting down";
            if (index != null) {
                try {
                    index.commit(null);
                } finally {
                    index.close();
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
