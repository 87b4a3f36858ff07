package io.koclip.search.ingest;

/**
 * A snapshot of a running (or finished) ingest, for progress bars and the job API.
 *
 * @param phase what the job is doing
 * @param scanned candidate files found so far
 * @param scanComplete true once the walk is over: {@code scanned} is then the final total
 * @param done files finished (indexed, unchanged or failed); {@code done <= scanned}
 * @param indexed documents written this run
 * @param unchanged files skipped because path, size and mtime match the index
 * @param failed failures so far
 * @param seconds time since the run started
 * @param imagesPerSecond images encoded per second so far
 */
public record IngestProgress(
        Phase phase,
        long scanned,
        boolean scanComplete,
        long done,
        long indexed,
        long unchanged,
        long failed,
        double seconds,
        double imagesPerSecond) {

    /** What an ingest is doing. */
    public enum Phase {
        /** Not started yet. */
        IDLE,
        /** Scanning, decoding, encoding and writing, all at once. */
        INGESTING,
        /** Removing documents whose files are gone. */
        PRUNING,
        /** The final durable commit. */
        COMMITTING,
        /** Finished (completed or cancelled). */
        FINISHED
    }

    /** The total for a progress bar: the final count once scanning is over, else what is known so far. */
    public long total() {
        return scanned;
    }

    static final IngestProgress IDLE = new IngestProgress(Phase.IDLE, 0, false, 0, 0, 0, 0, 0, 0);
}
