package io.koclip.search.web;

import io.koclip.search.index.IndexBackend;
import io.koclip.search.ingest.IngestFailedException;
import io.koclip.search.ingest.IngestSettings;
import io.koclip.search.search.LiveIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admin jobs that write the index: {@code ingest} (into the live index, searches see new images as
 * the job refreshes) and {@code reindex} (into a fresh index beside the live one, switched in
 * atomically at the end, see {@link LiveIndex#switchTo}).
 *
 * <p>One write job at a time: a submit while another is queued or running is refused with
 * {@link JobConflictException}. Jobs run on one platform thread; cancellation is cooperative (the
 * ingest polls a flag). The last {@code koclip.admin.retained-jobs} jobs are remembered.
 *
 * <p>Thread-safe: the job table is guarded by {@code this}; a job's mutable state is volatile and
 * written only by the job thread (and by {@link #cancel} for queued jobs, under {@code this}).
 */
final class JobService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JobService.class);

    enum Type {
        INGEST,
        REINDEX
    }

    enum State {
        QUEUED,
        RUNNING,
        SUCCEEDED,
        FAILED,
        CANCELLED;

        boolean finished() {
            return this == SUCCEEDED || this == FAILED || this == CANCELLED;
        }
    }

    /** One job; its fields are written by the job thread and read by API threads. */
    private static final class Job {
        final String id;
        final Type type;
        final Instant submittedAt;
        final IngestSettings settings;
        volatile State state = State.QUEUED;
        volatile JobProgress progress = JobProgress.QUEUED;
        volatile boolean cancelRequested;
        volatile @Nullable Object report;
        volatile @Nullable String error;
        volatile @Nullable Instant startedAt;
        volatile @Nullable Instant finishedAt;

        Job(String id, Type type, IngestSettings settings, Instant submittedAt) {
            this.id = id;
            this.type = type;
            this.settings = settings;
            this.submittedAt = submittedAt;
        }

        JobView view() {
            return new JobView(
                    id,
                    type.name().toLowerCase(Locale.ROOT),
                    state.name().toLowerCase(Locale.ROOT),
                    progress,
                    report,
                    error,
                    submittedAt,
                    startedAt,
                    finishedAt);
        }
    }

    private final LiveIndex index;
    private final IngestRunner runner;
    private final Path source;
    private final int retained;
    private final Clock clock;
    private final ExecutorService executor;
    private final Map<String, Job> jobs = new LinkedHashMap<>(); // guarded by this, oldest first
    private @Nullable Job active; // guarded by this

    JobService(LiveIndex index, IngestRunner runner, Path source, int retained, Clock clock) {
        this.index = index;
        this.runner = runner;
        this.source = source;
        this.retained = retained;
        this.clock = clock;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "koclip-admin-job");
            t.setDaemon(false);
            return t;
        });
    }

    /** Queues a write job with the configured ingest settings. */
    JobView submit(Type type) {
        return submit(type, IngestSettings.DEFAULTS);
    }

    /**
     * Queues a write job.
     *
     * @param settings this job's ingest settings, over the configured ones (unset: as configured)
     * @throws JobConflictException when another write job is queued or running
     */
    synchronized JobView submit(Type type, IngestSettings settings) {
        if (active != null && !active.state.finished()) {
            throw new JobConflictException(active.id, active.type.name().toLowerCase(Locale.ROOT));
        }
        Job job = new Job(UUID.randomUUID().toString(), type, settings, clock.instant());
        jobs.put(job.id, job);
        active = job;
        forgetOld();
        executor.execute(() -> run(job));
        log.info("{} job {} queued", type.name().toLowerCase(Locale.ROOT), job.id);
        return job.view();
    }

    synchronized Optional<JobView> get(String id) {
        return Optional.ofNullable(jobs.get(id)).map(Job::view);
    }

    /** Every remembered job, newest first. */
    synchronized List<JobView> list() {
        List<JobView> views = new ArrayList<>();
        jobs.values().forEach(j -> views.add(0, j.view()));
        return views;
    }

    /**
     * Cancels a job: a queued one at once, a running one at its next safe point (poll the job to see
     * it end as {@code cancelled}). Cancelling a finished job changes nothing.
     */
    synchronized JobView cancel(String id) {
        Job job = jobs.get(id);
        if (job == null) {
            throw new JobNotFoundException(id);
        }
        if (!job.state.finished()) {
            job.cancelRequested = true;
            if (job.state == State.QUEUED) {
                job.state = State.CANCELLED;
                job.finishedAt = clock.instant();
            }
            log.info("job {} cancel requested", id);
        }
        return job.view();
    }

    private void forgetOld() {
        Iterator<Job> it = jobs.values().iterator();
        while (jobs.size() > retained && it.hasNext()) {
            Job oldest = it.next();
            if (oldest.state.finished()) {
                it.remove();
            }
        }
    }

    private void run(Job job) {
        synchronized (this) {
            if (job.state != State.QUEUED) {
                return; // cancelled while queued
            }
            job.state = State.RUNNING;
            job.startedAt = clock.instant();
        }
        try {
            job.report = switch (job.type) {
                case INGEST -> ingest(job);
                case REINDEX -> reindex(job);
            };
            job.state = job.cancelRequested ? State.CANCELLED : State.SUCCEEDED;
        } catch (Exception e) {
            log.error("{} job {} failed", job.type.name().toLowerCase(Locale.ROOT), job.id, e);
            job.error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (e instanceof IngestFailedException stopped) {
                // A full disk or an I/O error of the index: what was committed, and what was not indexed.
                job.report = Map.of(
                        "committed", stopped.committed(),
                        "notIndexed", stopped.notIndexed(),
                        "scanComplete", stopped.scanComplete(),
                        "report", stopped.report());
            }
            job.state = job.cancelRequested ? State.CANCELLED : State.FAILED;
        } finally {
            job.finishedAt = clock.instant();
            if (job.type == Type.INGEST) {
                index.markReady();
            }
            log.info(
                    "{} job {} {}",
                    job.type.name().toLowerCase(Locale.ROOT),
                    job.id,
                    job.state.name().toLowerCase(Locale.ROOT));
        }
    }

    private Object ingest(Job job) throws IOException {
        if (index.modelMismatch()) {
            throw new IllegalStateException(
                    index.notReadyReason() + " (an ingest would mix two models' vectors; run a reindex)");
        }
        return index.read(target -> {
            Object report = runner.run(source, job.settings, target, p -> job.progress = p, () -> job.cancelRequested);
            target.refresh();
            return report;
        });
    }

    private Object reindex(Job job) throws IOException {
        Object report;
        try (IndexBackend.Reindex reindex = index.prepareReindex()) {
            report =
                    runner.run(source, job.settings, reindex.index(), p -> job.progress = p, () -> job.cancelRequested);
            if (job.cancelRequested) {
                return report; // closing the reindex discards the fresh index
            }
            job.progress = new JobProgress(job.progress.done(), job.progress.total(), "switching");
            index.switchTo(reindex);
        }
        job.progress = new JobProgress(job.progress.done(), job.progress.total(), "done");
        return report;
    }

    /** Cancels the running job, waits for it to stop (it commits what it did), and stops the thread. */
    @Override
    public void close() {
        synchronized (this) {
            for (Job job : jobs.values()) {
                if (!job.state.finished()) {
                    job.cancelRequested = true;
                    if (job.state == State.QUEUED) {
                        job.state = State.CANCELLED;
                    }
                }
            }
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(60, TimeUnit.SECONDS)) {
                log.warn("the admin job did not stop within 60 s of being cancelled");
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }
}
