package io.koclip.search.index;

import org.jspecify.annotations.Nullable;

/**
 * What the index knows of one file: enough for incremental ingest to skip an unchanged file
 * without reading it, and for pruning to find documents whose file is gone.
 *
 * @param id the document id
 * @param path path relative to the source root, with '/' separators
 * @param contentHash SHA-256 of the file's bytes, hex
 * @param bytes file size when indexed
 * @param modified last-modified time when indexed, epoch milliseconds
 * @param textStamp the document's {@link ImageDocument#textStamp()}, null when it has none
 */
public record IndexedFile(
        String id,
        String path,
        String contentHash,
        long bytes,
        long modified,
        @Nullable String textStamp) {

    /** A file without a text stamp. */
    public IndexedFile(String id, String path, String contentHash, long bytes, long modified) {
        this(id, path, contentHash, bytes, modified, null);
    }
}
