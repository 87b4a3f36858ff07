package io.koclip.search.web;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An admin job as the API shows it.
 *
 * @param jobId the id to poll and cancel
 * @param type {@code ingest} or {@code reindex}
 * @param state {@code queued}, {@code running}, {@code succeeded}, {@code failed} or {@code cancelled}
 * @param progress how far it is
 * @param report the ingest report once the job ended (a cancelled job's report covers what was done)
 * @param error why a failed job failed
 * @param submittedAt when it was accepted
 * @param startedAt when it started running
 * @param finishedAt when it ended
 */
record JobView(
        String jobId,
        String type,
        String state,
        JobProgress progress,
        @Nullable Object report,
        @Nullable String error,
        Instant submittedAt,
        @Nullable Instant startedAt,
        @Nullable Instant finishedAt) {}
