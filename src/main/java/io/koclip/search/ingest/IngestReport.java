package io.koclip.search.ingest;

import java.util.List;

/**
 * What an ingest run did; written as JSON by {@code ingest --report FILE} and returned by the job API.
 *
 * <p>Counts: every scanned file ends up in exactly one of {@code unchanged}, {@code indexed} or
 * {@code failed} (unless the run was cancelled); {@code indexed = encoded + duplicates}.
 *
 * @param source the source folder (real path)
 * @param model the model name
 * @param cancelled the run was cancelled before the end (what was done is committed)
 * @param resumed the previous run had not finished (its checkpoint was incomplete)
 * @param scanned candidate image files found
 * @param indexed documents written (new or changed files)
 * @param encoded images decoded and encoded by the model
 * @param unchanged files skipped without reading: same path, size and mtime as indexed
 * @param duplicates documents written without encoding because identical bytes (same SHA-256) were
 *     already embedded under another name (or the same file was only touched)
 * @param failed files that could not be indexed (see {@code failures})
 * @param pruned documents removed because their file is gone (with {@code --prune})
 * @param documents documents in the index at the end
 * @param seconds wall-clock time of the run
 * @param imagesPerSecond {@code encoded / seconds}
 * @param timings where the time went
 * @param failures one entry per failed file, at most the configured number
 * @param failuresTruncated true when more files failed than are listed
 * @param textUpdated of {@code indexed} (and {@code duplicates}), documents of unchanged files whose text
 *     sources changed (a sidecar, a caption): their text was re-indexed with the stored vector
 * @param warned text problems that did not stop a file from being indexed (see {@code warnings})
 * @param warnings one entry per text problem, at most the configured number of failures
 */
public record IngestReport(
        String source,
        String model,
        boolean cancelled,
        boolean resumed,
        long scanned,
        long indexed,
        long encoded,
        long unchanged,
        long duplicates,
        long failed,
        long pruned,
        long documents,
        double seconds,
        double imagesPerSecond,
        Timings timings,
        List<IngestFailure> failures,
        boolean failuresTruncated,
        long textUpdated,
        long warned,
        List<IngestWarning> warnings) {

    public IngestReport {
        failures = List.copyOf(failures);
        warnings = List.copyOf(warnings);
    }

    /**
     * Time per stage, in seconds. Worker stages (read, decode, preprocess) add up the time of every
     * worker thread, so they can exceed the wall-clock time; the encoder and the writer are single
     * threads.
     *
     * @param read reading files and hashing them (SHA-256), summed over workers
     * @param decode decoding images, summed over workers
     * @param preprocess resizing and normalizing into tensors, summed over workers
     * @param encode model inference on the encoder thread
     * @param index adding documents to the index (HNSW insertion) on the writer thread
     * @param commit durable commits
     * @param encoderIdle time the encoder waited for decoded images (decode starving the encoder)
     * @param workersBlocked time workers waited for room in the encoder's queue (the encoder is the bottleneck)
     * @param memoryWait time workers waited for the decode memory budget (big images, many workers)
     */
    public record Timings(
            double read,
            double decode,
            double preprocess,
            double encode,
            double index,
            double commit,
            double encoderIdle,
            double workersBlocked,
            double memoryWait) {}
}
