package io.koclip.search.index;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * What a backup (or a restore) copied: one commit of an index, verified by the engine's checker.
 *
 * @param location the backup folder (a backup) or the live index folder (a restore)
 * @param documents live documents in the copied commit
 * @param files files copied
 * @param bytes bytes copied
 * @param copySeconds wall-clock time of the copy (fsync included)
 * @param checkSeconds wall-clock time of the check of the copy
 * @param clean whether the engine's checker passed the copy (a backup that is not clean is deleted
 *     and reported as an error, so a returned backup is always clean)
 * @param checkpoint the ingest checkpoint the copied commit records, or null
 */
public record IndexBackup(
        Path location,
        long documents,
        int files,
        long bytes,
        double copySeconds,
        double checkSeconds,
        boolean clean,
        @Nullable String checkpoint) {

    /** Seconds per GiB copied and checked: what docs/operations.md quotes. */
    public double secondsPerGib() {
        return bytes > 0 ? (copySeconds + checkSeconds) / (bytes / (1024.0 * 1024.0 * 1024.0)) : 0;
    }
}
