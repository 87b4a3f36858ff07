package io.koclip.search.ingest;

import io.koclip.search.index.VectorIndex;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failure accounting: turns a file that cannot be indexed into one report entry, and applies the rules
 * that go with it (a changed file that fails loses its old document; a leader's failure is its
 * followers' failure too, see {@link ContentTable}).
 *
 * <p>Thread-safe: called from every stage.
 */
final class Failures {
    private static final Logger log = LoggerFactory.getLogger(Failures.class);

    private final VectorIndex index;
    private final ContentTable contents;
    private final IngestMetrics metrics;

    Failures(VectorIndex index, ContentTable contents, IngestMetrics metrics) {
        this.index = index;
        this.contents = contents;
        this.metrics = metrics;
    }

    /** {@code file} failed; so do the files with identical bytes waiting on it. */
    void leader(PendingFile file, String hash, IngestFailure.Code code, String reason) throws IOException {
        file(file, code, reason);
        for (PendingFile follower : contents.failed(hash)) {
            file(follower, code, reason + " (identical bytes to '" + file.path() + "')");
        }
    }

    /** The leader of {@code hash} never finished (another stage failed): its followers cannot either. */
    void abandonedLeader(PendingFile file, String hash) throws IOException {
        for (PendingFile follower : contents.failed(hash)) {
            file(
                    follower,
                    IngestFailure.Code.INTERNAL_ERROR,
                    "identical bytes to '" + file.path() + "', whose processing was interrupted");
        }
    }

    void file(PendingFile file, IngestFailure.Code code, String reason) throws IOException {
        if (file.replacesDocument()) {
            // The file changed and its new content cannot be indexed: the old embedding no longer describes it.
            index.delete(file.id());
        }
        path(file.path(), code, reason);
    }

    void path(String path, IngestFailure.Code code, String reason) {
        metrics.failure(IngestFailure.of(path, code, reason));
        log.debug("failed: {}: {}", path, reason);
    }

    /** The reason of a read error in words: what a user can act on, not an exception's class name. */
    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "cannot read: the file is gone (deleted or moved since the scan)";
        }
        if (e instanceof AccessDeniedException) {
            return "cannot read: permission denied";
        }
        String message = e.getMessage();
        return "cannot read: " + e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
