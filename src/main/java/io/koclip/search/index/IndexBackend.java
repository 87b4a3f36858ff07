package io.koclip.search.index;

import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where indexes live and how they are created, checked and switched: one implementation per engine
 * ({@code index.lucene.LuceneBackend}: a folder; a SolrCloud backend: a collection behind an alias).
 * A backend is bound to one <em>live</em> index location, the one searches use.
 *
 * <h2>Reindex protocol</h2>
 *
 * A reindex builds a complete new index beside the live one and then makes it live atomically:
 *
 * <ol>
 *   <li>{@link #prepareReindex} creates a fresh empty index (Lucene: a sibling folder; SolrCloud: a
 *       new collection) and returns it open for writing;
 *   <li>the caller fills it and commits;
 *   <li>the caller closes every index it has open on the live location, then {@link Reindex#activate()}
 *       switches (Lucene: folder renames, repaired on the next open if interrupted; SolrCloud: the
 *       alias is moved to the new collection), after which {@link #open} opens the new index;
 *   <li>{@link Reindex#close()} without activation discards the fresh index.
 * </ol>
 *
 * <h2>Backup and restore</h2>
 *
 * Optional capabilities: {@link #backup} copies the live index while no process has it open for
 * writing, {@link VectorIndex#backup} copies an index that is open for writing while searches and
 * writes go on, and {@link #restore} puts a backup back as the live index. A backend without them
 * throws {@link UnsupportedOperationException} with what to use instead (SolrCloud: the Collections
 * API's {@code BACKUP} and {@code RESTORE} actions, docs/solr.md).
 *
 * <p>Thread-safety: implementations are thread-safe; a reindex and searches on the live index may run
 * at the same time. One writer per live index at a time ({@link #open} refuses a second one across
 * processes where the engine can tell).
 */
public interface IndexBackend {

    /** Names the live index for logs, health and messages ("lucene index /srv/index"). */
    String describe();

    /**
     * The engine's state for health checks: cheap (at most a request or two to a remote engine) and
     * never throwing; an engine that cannot be reached is {@link BackendStatus.State#DOWN} with an
     * {@code error} detail.
     */
    BackendStatus status();

    /**
     * Opens the live index for reading and writing, creating it (empty, recording {@code spec}'s model
     * and options) when there is none.
     *
     * @throws IndexModelMismatchException if the index holds another model's vectors
     * @throws IllegalArgumentException if {@code spec} asks for another vector format than recorded
     * @throws IllegalStateException if another process writes the index
     */
    VectorIndex open(IndexSpec spec) throws IOException;

    /**
     * Opens the live index for searching only; works beside a writer in another process, whose commits
     * a {@link VectorIndex#refresh()} picks up. Writes are refused with {@link IllegalStateException}.
     *
     * @throws IndexNotFoundException if there is no index yet
     * @throws IndexModelMismatchException if the index holds another model's vectors
     */
    VectorIndex openReadOnly(ModelIdentity model) throws IOException;

    /** The live index's metadata without opening it for writing; empty when there is no index. */
    Optional<IndexMetadata> metadata() throws IOException;

    /**
     * Verifies the live index with the engine's own checker (Lucene: CheckIndex over every segment).
     *
     * @param log where the detailed log goes, or null to keep it in the result only when not clean
     */
    IndexCheck check(@Nullable PrintStream log) throws IOException;

    /**
     * Copies the live index's last commit into {@code target} (a folder that must not exist yet) and
     * verifies the copy with the engine's checker. Only while no process writes the live index; an
     * index open for writing is backed up through its {@link VectorIndex#backup}.
     *
     * @throws IllegalStateException if another process writes the live index, or the copy is not clean
     * @throws IndexNotFoundException if there is no index
     * @throws UnsupportedOperationException if this backend has no backup of its own
     */
    default IndexBackup backup(Path target) throws IOException {
        throw new UnsupportedOperationException(
                describe() + " cannot be backed up by koclip-search; use the engine's own backup"
                        + " (SolrCloud: the Collections API's BACKUP action, docs/operations.md \"Backup and restore\")");
    }

    /**
     * Replaces the live index with the backup in {@code from} (verified with the engine's checker
     * first): the live index is swapped out atomically and deleted only once the restored copy is in
     * place. No process may have the live index open.
     *
     * @throws IllegalStateException if another process writes the live index, or the backup is not clean
     * @throws IllegalArgumentException if {@code from} holds no index
     * @throws UnsupportedOperationException if this backend has no restore of its own
     */
    default IndexBackup restore(Path from) throws IOException {
        throw new UnsupportedOperationException(
                describe() + " cannot be restored by koclip-search; use the engine's own restore"
                        + " (SolrCloud: the Collections API's RESTORE action, docs/operations.md \"Backup and restore\")");
    }

    /** Prepares a fresh, empty index beside the live one (see the reindex protocol). */
    Reindex prepareReindex(IndexSpec spec) throws IOException;

    /** A fresh index being built for a reindex. */
    interface Reindex extends Closeable {
        /** The fresh index, open for writing until {@link #activate()}. */
        VectorIndex index();

        /**
         * Commits and closes the fresh index and makes it the live one atomically. Indexes open on the
         * live location must be closed first; {@link IndexBackend#open} afterwards opens the new one.
         * If the switch fails the previous live index stays live.
         */
        void activate() throws IOException;

        /** Discards the fresh index unless it was activated. */
        @Override
        void close() throws IOException;
    }
}
