package io.koclip.search.index.lucene;

import io.koclip.search.index.IndexBackup;
import io.koclip.search.index.IndexCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.IOContext;

/**
 * Copies one Lucene commit into a new folder and verifies it: the common part of a backup of an open
 * index (a commit held by {@link org.apache.lucene.index.SnapshotDeletionPolicy}), of a closed index
 * and of a restore.
 *
 * <p>The files are copied into {@code <target>.partial}, the segments file last, fsynced, checked with
 * CheckIndex and only then renamed to {@code target}: a folder named {@code target} is always a
 * complete, clean index. Stateless and thread-safe; the caller keeps the commit's files from being
 * deleted while the copy runs.
 */
final class LuceneBackups {
    private LuceneBackups() {}

    /**
     * Copies {@code commit}'s files from {@code from} into the new folder {@code target}.
     *
     * @throws IllegalArgumentException if {@code target} exists
     * @throws IllegalStateException if the copy is not clean (it is deleted)
     */
    static IndexBackup copy(Directory from, IndexCommit commit, Path target) throws IOException {
        Path destination = target.toAbsolutePath().normalize();
        if (Files.exists(destination)) {
            throw new IllegalArgumentException("backup target " + destination + " exists; name a new folder");
        }
        Path partial = destination.resolveSibling(destination.getFileName() + ".partial");
        delete(partial);
        Files.createDirectories(partial);
        long t0 = System.nanoTime();
        long bytes = 0;
        List<String> files = new ArrayList<>(commit.getFileNames());
        // The segments file names the others: copied last, so a half copy never reads as an index.
        files.remove(commit.getSegmentsFileName());
        files.add(commit.getSegmentsFileName());
        try (Directory to = FSDirectory.open(partial)) {
            for (String file : files) {
                to.copyFrom(from, file, file, IOContext.DEFAULT);
                bytes += from.fileLength(file);
            }
            to.sync(files);
            to.syncMetaData();
        } catch (IOException | RuntimeException e) {
            deleteAfterFailure(partial, e);
            throw e;
        }
        long t1 = System.nanoTime();
        IndexCheck check;
        try {
            check = new LuceneBackend(partial).check(null);
        } catch (IOException | RuntimeException e) {
            deleteAfterFailure(partial, e);
            throw e;
        }
        long t2 = System.nanoTime();
        if (!check.clean()) {
            delete(partial);
            throw new IllegalStateException("the copy of " + commit.getSegmentsFileName() + " into " + destination
                    + " is not clean (" + String.join("; ", check.problems()) + "); nothing was kept");
        }
        Files.createDirectories(destination.getParent());
        Files.move(partial, destination, StandardCopyOption.ATOMIC_MOVE);
        return new IndexBackup(
                destination,
                check.documents(),
                files.size(),
                bytes,
                (t1 - t0) / 1e9,
                (t2 - t1) / 1e9,
                true,
                check.metadata() == null ? null : check.metadata().checkpoint());
    }

    static void delete(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void deleteAfterFailure(Path folder, Exception failure) {
        try {
            delete(folder);
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
