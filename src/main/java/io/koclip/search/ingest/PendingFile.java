package io.koclip.search.ingest;

/**
 * A scanned file that is not unchanged: it will be read and indexed (or fail).
 *
 * @param file what the scanner found
 * @param id the document id derived from its relative path
 * @param replacesDocument the index holds an older version of this file, which a failure must delete
 * @param caption the caption text its document gets, or null for none
 */
record PendingFile(
        SourceScanner.ScannedFile file,
        String id,
        boolean replacesDocument,
        @org.jspecify.annotations.Nullable String caption) {
    String path() {
        return file.relativePath();
    }

    long modified() {
        return file.modified();
    }
}
