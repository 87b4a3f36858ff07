package io.koclip.search.index;

import java.nio.file.Path;

/** A read-only open found no index in the folder: nothing has been ingested there yet. */
public final class IndexNotFoundException extends IllegalStateException {
    public IndexNotFoundException(Path index) {
        super("no index in " + index + ": run `ingest --source DIR --index " + index + "` first");
    }

    /** @param index names the index (a collection, a test store) */
    public IndexNotFoundException(String index) {
        super("no " + index + " yet: run an ingest first");
    }
}
