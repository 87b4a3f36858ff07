package io.koclip.search.ingest;

/**
 * Observes an ingest run. Called from the thread that called {@link IngestJob#run}: about four times
 * a second with a fresh snapshot, once per failure, and once at the end. Implementations must be quick;
 * an exception thrown here is logged and ignored.
 */
public interface ProgressListener {
    /** A listener that ignores everything. */
    ProgressListener NONE = progress -> {};

    void onProgress(IngestProgress progress);

    /** A file failed; also listed in the report. */
    default void onFailure(IngestFailure failure) {}
}
