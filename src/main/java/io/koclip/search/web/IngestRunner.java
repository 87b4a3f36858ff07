package io.koclip.search.web;

import io.koclip.search.index.VectorIndex;
import io.koclip.search.ingest.IngestSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs one ingest of a source folder into an index: the seam between the admin jobs and the ingest
 * package. The implementation adapts the ingest job; tests use a fake.
 */
@FunctionalInterface
interface IngestRunner {
    /**
     * Ingests {@code source} into {@code target}, committing as it goes.
     *
     * @param settings the job's own settings (the admin request's body), over the server's configured ones
     * @param progress called from the job's thread as work advances
     * @param cancelled polled by the job; once true the job stops at the next safe point and returns
     * @return the ingest report (serialized to JSON as the job's {@code report})
     */
    Object run(
            Path source,
            IngestSettings settings,
            VectorIndex target,
            Consumer<JobProgress> progress,
            BooleanSupplier cancelled)
            throws IOException;
}
