package io.koclip.search.ingest;

import io.koclip.search.index.ImageDocument;
import io.koclip.search.index.VectorIndex;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Makes identical bytes (same SHA-256) decode and encode once, across runs and within a run.
 *
 * <p>A worker that has hashed a file {@link #claim claims} the hash and learns one of three things:
 *
 * <ul>
 *   <li>{@link Known}: an embedding for these bytes exists (in the index, or written since the index
 *       was last refreshed): copy it, no decoding.
 *   <li>{@link Leader}: nobody has these bytes: decode and encode them; the writer later calls
 *       {@link #completed} (or the pipeline {@link #failed}).
 *   <li>{@link Follower}: another file with these bytes is being processed: nothing to do now; the
 *       leader's outcome is applied to this file too.
 * </ul>
 *
 * <p>Thread-safe: every method holds the table's lock, including the index look-up inside
 * {@link #claim} and the refresh in {@link #refreshed}, so a hash is always in exactly one of the index
 * view, {@code recent} or {@code inFlight} while it moves between them. {@code recent} holds the
 * embeddings written since the last refresh; it is emptied at each refresh, which the writer triggers
 * at every commit and whenever {@code recent} exceeds {@link #MAX_RECENT} entries (bounded memory).
 */
final class ContentTable {
    static final int MAX_RECENT = 4096;

    /** What a worker must do with a file whose bytes hash to a claimed value. */
    sealed interface Claim permits Known, Leader, Follower {}

    /** These bytes are embedded already; {@code source} carries vector, size and format. */
    record Known(ImageDocument source) implements Claim {}

    /** Decode and encode these bytes. */
    record Leader() implements Claim {}

    /** Another file with these bytes is in flight. */
    record Follower() implements Claim {}

    private static final Leader LEADER = new Leader();
    private static final Follower FOLLOWER = new Follower();

    private final VectorIndex index;
    private final Map<String, List<PendingFile>> inFlight = new HashMap<>();
    private final Map<String, ImageDocument> recent = new HashMap<>();

    ContentTable(VectorIndex index) {
        this.index = index;
    }

    synchronized Claim claim(String hash, PendingFile file) throws IOException {
        ImageDocument written = recent.get(hash);
        if (written != null) {
            return new Known(written);
        }
        List<PendingFile> followers = inFlight.get(hash);
        if (followers != null) {
            followers.add(file);
            return FOLLOWER;
        }
        Optional<ImageDocument> indexed = index.findByContentHash(hash);
        if (indexed.isPresent()) {
            return new Known(indexed.get());
        }
        inFlight.put(hash, new ArrayList<>());
        return LEADER;
    }

    /** The leader of {@code hash} was written as {@code document}; returns the files that follow it. */
    synchronized List<PendingFile> completed(String hash, ImageDocument document) {
        recent.put(hash, document);
        List<PendingFile> followers = inFlight.remove(hash);
        return followers == null ? List.of() : followers;
    }

    /** The leader of {@code hash} failed; returns the files that follow it (they fail the same way). */
    synchronized List<PendingFile> failed(String hash) {
        List<PendingFile> followers = inFlight.remove(hash);
        return followers == null ? List.of() : followers;
    }

    /** True when {@code recent} is large enough that the writer should refresh. */
    synchronized boolean needsRefresh() {
        return recent.size() >= MAX_RECENT;
    }

    /** Refreshes the index view and forgets {@code recent}, whose documents the view now holds. */
    synchronized void refreshed() throws IOException {
        index.refresh();
        recent.clear();
    }
}
