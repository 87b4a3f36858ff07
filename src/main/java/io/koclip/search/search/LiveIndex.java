package io.koclip.search.search;

import io.koclip.search.index.IndexModelMismatchException;
import io.koclip.search.index.IndexStats;
import io.koclip.search.index.VectorIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index the server answers from, switchable in place: a reindex builds a fresh index in the
 * sibling folder {@code <path>.next} and {@link #replace() replaces} the live one with it.
 *
 * <p>On disk, the live index is always at {@code path} so that the command-line tools ({@code search},
 * {@code check}) find it. A switch closes the live index, renames {@code path → path.old} and
 * {@code path.next → path}, opens the new one and deletes {@code path.old}. A crash between the two
 * renames is repaired by {@link #open}: a missing {@code path} is restored from {@code path.next}
 * (complete, it was closed before the rename) or else {@code path.old}.
 *
 * <p>Thread-safety: every use of the index runs under a read lock ({@link #search}, {@link #read});
 * {@link #replace} and {@link #close} take the write lock, so searches wait for the short switch
 * instead of failing, and never see a closed index. Readiness is a volatile flag: while the first
 * ingest runs, or when the index was built with another model, searches are refused with
 * {@link IndexNotReadyException}.
 */
public final class LiveIndex implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveIndex.class);

    /** Opens (creating when absent) the index in a folder. */
    @FunctionalInterface
    public interface Opener {
        VectorIndex open(Path directory) throws IOException;
    }

    /** Work on the open index. */
    @FunctionalInterface
    public interface IndexWork<T> {
        T apply(VectorIndex index) throws IOException;
    }

    private final Path path;
    private final Opener opener;
    private final String modelName;
    private final String modelFingerprint;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    private @Nullable VectorIndex current; // guarded by lock
    private volatile @Nullable String notReady;
    private volatile boolean modelMismatch;

    private LiveIndex(Path path, Opener opener, String modelName, String modelFingerprint) {
        this.path = path;
        this.opener = opener;
        this.modelName = modelName;
        this.modelFingerprint = modelFingerprint;
    }

    /**
     * Opens the live index at {@code path}, repairing an interrupted switch first, and checks that
     * its vectors come from the server's model.
     *
     * @param modelName the server's bundle name
     * @param modelFingerprint the server's bundle fingerprint
     */
    public static LiveIndex open(Path path, Opener opener, String modelName, String modelFingerprint)
            throws IOException {
        Path absolute = path.toAbsolutePath().normalize();
        repair(absolute);
        LiveIndex live = new LiveIndex(absolute, opener, modelName, modelFingerprint);
        try {
            live.current = opener.open(absolute);
        } catch (IndexModelMismatchException e) {
            // Another model's vectors: keep serving the API and health, refuse searches, and let a
            // reindex replace the index.
            live.modelMismatch = true;
            live.notReady = "the index at " + absolute + " cannot be used: " + e.getMessage()
                    + "; reindex (POST /api/v1/admin/reindex)";
            log.warn(live.notReady);
            return live;
        }
        live.checkModel();
        return live;
    }

    private static void repair(Path path) throws IOException {
        Path next = sibling(path, ".next");
        Path old = sibling(path, ".old");
        if (!Files.exists(path) && Files.isDirectory(next)) {
            log.warn("index switch was interrupted: restoring {} from {}", path, next);
            Files.move(next, path, StandardCopyOption.ATOMIC_MOVE);
        } else if (!Files.exists(path) && Files.isDirectory(old)) {
            log.warn("index switch was interrupted: restoring {} from {}", path, old);
            Files.move(old, path, StandardCopyOption.ATOMIC_MOVE);
        }
        if (Files.exists(next)) {
            log.warn("deleting the unfinished reindex in {}", next);
            deleteRecursively(next);
        }
        if (Files.exists(old)) {
            deleteRecursively(old);
        }
    }

    private void checkModel() throws IOException {
        IndexStats stats = requireOpen().stats();
        boolean mismatch = stats.documents() > 0
                && stats.modelFingerprint() != null
                && !stats.modelFingerprint().isBlank()
                && !stats.modelFingerprint().equals(modelFingerprint);
        modelMismatch = mismatch;
        if (mismatch) {
            notReady = "the index at " + path + " was built with model " + stats.modelName() + " ("
                    + stats.modelFingerprint() + ") but the server runs " + modelName + " (" + modelFingerprint
                    + "): reindex (POST /api/v1/admin/reindex) or serve it with its own model";
            log.warn(notReady);
        } else {
            notReady = null;
        }
    }

    /** Runs a query on the live index; refused with {@link IndexNotReadyException} while not ready. */
    public <T> T search(IndexWork<T> work) {
        lock.readLock().lock();
        try {
            String reason = notReady;
            if (reason != null) {
                throw new IndexNotReadyException(reason);
            }
            return work.apply(requireOpen());
        } catch (IOException e) {
            throw new UncheckedIOException("index " + path + ": " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Runs work on the live index whether or not it is ready (stats, health, an ingest). The index
     * is not closed or switched while the work runs.
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
            throw new IndexNotReadyException("the index at " + path + " is closed");
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

    /** The live index folder (absolute). */
    public Path path() {
        return path;
    }

    /** Where a reindex builds the fresh index: the sibling {@code <path>.next}, emptied. */
    public Path prepareFresh() throws IOException {
        Path next = sibling(path, ".next");
        if (Files.exists(next)) {
            deleteRecursively(next);
        }
        return next;
    }

    /** Deletes an abandoned fresh index (a cancelled or failed reindex). */
    public void discardFresh() throws IOException {
        Path next = sibling(path, ".next");
        if (Files.exists(next)) {
            deleteRecursively(next);
        }
    }

    /**
     * Switches to the fresh index in {@code <path>.next}, which its builder has committed and closed.
     * Searches wait for the switch (one close, two renames and one open) and then see the new index.
     * If opening the new index fails the old one is put back.
     */
    public void replace() throws IOException {
        Path next = sibling(path, ".next");
        Path old = sibling(path, ".old");
        if (!Files.isDirectory(next)) {
            throw new IllegalStateException("no fresh index at " + next + " to switch to");
        }
        lock.writeLock().lock();
        try {
            VectorIndex previous = current;
            current = null;
            if (previous != null) {
                previous.commit(Map.of());
                previous.close();
            }
            if (Files.exists(old)) {
                deleteRecursively(old);
            }
            if (Files.exists(path)) {
                Files.move(path, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(next, path, StandardCopyOption.ATOMIC_MOVE);
            try {
                current = opener.open(path);
            } catch (IOException | RuntimeException e) {
                log.error("the fresh index at {} does not open; keeping the previous one", path, e);
                Files.move(path, next, StandardCopyOption.ATOMIC_MOVE);
                if (Files.exists(old)) {
                    Files.move(old, path, StandardCopyOption.ATOMIC_MOVE);
                    current = opener.open(path);
                    checkModel();
                }
                throw e;
            }
            checkModel();
            if (Files.exists(old)) {
                deleteRecursively(old);
            }
            log.info("switched to the reindexed index at {}", path);
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
                    index.commit(Map.of());
                } finally {
                    index.close();
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private static Path sibling(Path path, String suffix) {
        return path.resolveSibling(path.getFileName() + suffix);
    }

    private static void deleteRecursively(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
