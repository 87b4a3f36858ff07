package io.koclip.search.web;

import static io.koclip.search.index.InMemoryVectorIndex.document;
import static io.koclip.search.index.InMemoryVectorIndex.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.koclip.search.index.IndexSpec;
import io.koclip.search.index.ModelIdentity;
import io.koclip.search.index.lucene.LuceneBackend;
import io.koclip.search.search.LiveIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobServiceTest {
    @TempDir
    Path folder;

    LiveIndex live;
    JobService jobs;
    volatile IngestRunner behaviour;

    @BeforeEach
    void setUp() throws Exception {
        // The real Lucene backend: reindex builds in index.next and switches by renaming.
        live = LiveIndex.open(
                new LuceneBackend(folder.resolve("index")), IndexSpec.of(new ModelIdentity("m", "fp", 4)));
        IngestRunner delegate = (source, settings, target, progress, cancelled) ->
                behaviour.run(source, settings, target, progress, cancelled);
        jobs = new JobService(live, delegate, folder.resolve("source"), 3, Clock.systemUTC());
    }

    @AfterEach
    void tearDown() throws Exception {
        jobs.close();
        live.close();
    }

    private JobView awaitFinished(String id) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> jobs.get(id).orElseThrow().state().matches("succeeded|failed|cancelled"));
        return jobs.get(id).orElseThrow();
    }

    @Test
    void ingestWritesIntoTheLiveIndexAndReports() throws Exception {
        behaviour = (source, settings, target, progress, cancelled) -> {
            progress.accept(new JobProgress(1, 1, "encoding"));
            target.upsert(document("a", "a.png", "h", unit(4, 0, 1, 0)));
            return Map.of("indexed", 1);
        };
        live.markNotReady("first ingest");
        JobView queued = jobs.submit(JobService.Type.INGEST);
        assertThat(queued.type()).isEqualTo("ingest");
        JobView done = awaitFinished(queued.jobId());
        assertThat(done.state()).isEqualTo("succeeded");
        assertThat(done.report()).isEqualTo(Map.of("indexed", 1));
        assertThat(done.progress()).isEqualTo(new JobProgress(1, 1, "encoding"));
        assertThat(done.startedAt()).isNotNull();
        assertThat(done.finishedAt()).isNotNull();
        assertThat(live.isReady()).isTrue();
        assertThat(live.<Boolean>search(i -> i.get("a").isPresent())).isTrue();
    }

    @Test
    void oneWriteJobAtATime() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        behaviour = (source, settings, target, progress, cancelled) -> {
            awaitLatch(release);
            return Map.of();
        };
        JobView first = jobs.submit(JobService.Type.INGEST);
        assertThatThrownBy(() -> jobs.submit(JobService.Type.REINDEX))
                .isInstanceOfSatisfying(
                        JobConflictException.class,
                        e -> assertThat(e.activeJobId()).isEqualTo(first.jobId()))
                .hasMessageContaining("one write job at a time");
        release.countDown();
        awaitFinished(first.jobId());
        JobView second = jobs.submit(JobService.Type.REINDEX);
        assertThat(awaitFinished(second.jobId()).state()).isEqualTo("succeeded");
    }

    @Test
    void cancellingARunningJobStopsItAtTheNextPoll() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        behaviour = (source, settings, target, progress, cancelled) -> {
            started.countDown();
            while (!cancelled.getAsBoolean()) {
                pause();
            }
            return Map.of("indexed", 0);
        };
        JobView job = jobs.submit(JobService.Type.INGEST);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(jobs.get(job.jobId()).orElseThrow().state()).isEqualTo("running");
        jobs.cancel(job.jobId());
        JobView done = awaitFinished(job.jobId());
        assertThat(done.state()).isEqualTo("cancelled");
        assertThat(done.report()).isEqualTo(Map.of("indexed", 0));
    }

    @Test
    void aFailingJobIsFailedWithItsMessage() {
        behaviour = (source, settings, target, progress, cancelled) -> {
            throw new java.io.IOException("source folder is unreadable");
        };
        JobView done = awaitFinished(jobs.submit(JobService.Type.INGEST).jobId());
        assertThat(done.state()).isEqualTo("failed");
        assertThat(done.error()).isEqualTo("source folder is unreadable");
    }

    @Test
    void reindexBuildsBesideAndSwitches() throws Exception {
        live.read(i -> {
            i.upsert(document("stale", "gone.png", "h0", unit(4, 0, 1, 0)));
            i.refresh(); // Lucene: visible after a refresh, as after an ingest
            return null;
        });
        behaviour = (source, settings, target, progress, cancelled) -> {
            // the live index still answers while the fresh one is built
            assertThat(live.<Boolean>search(i -> i.get("stale").isPresent())).isTrue();
            target.upsert(document("fresh", "new.png", "h1", unit(4, 0, 1, 0)));
            return Map.of("indexed", 1);
        };
        JobView done = awaitFinished(jobs.submit(JobService.Type.REINDEX).jobId());
        assertThat(done.state()).isEqualTo("succeeded");
        assertThat(done.progress().phase()).isEqualTo("done");
        assertThat(live.<Boolean>search(i -> i.get("fresh").isPresent())).isTrue();
        assertThat(live.<Boolean>search(i -> i.get("stale").isPresent())).isFalse();
        assertThat(Files.exists(folder.resolve("index.next"))).isFalse();
    }

    @Test
    void cancelledReindexKeepsTheLiveIndexAndDeletesTheFreshOne() throws Exception {
        live.read(i -> {
            i.upsert(document("kept", "kept.png", "h0", unit(4, 0, 1, 0)));
            i.refresh(); // Lucene: visible after a refresh, as after an ingest
            return null;
        });
        CountDownLatch started = new CountDownLatch(1);
        behaviour = (source, settings, target, progress, cancelled) -> {
            target.upsert(document("partial", "p.png", "h1", unit(4, 0, 1, 0)));
            started.countDown();
            while (!cancelled.getAsBoolean()) {
                pause();
            }
            return Map.of();
        };
        JobView job = jobs.submit(JobService.Type.REINDEX);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        jobs.cancel(job.jobId());
        assertThat(awaitFinished(job.jobId()).state()).isEqualTo("cancelled");
        assertThat(live.<Boolean>search(i -> i.get("kept").isPresent())).isTrue();
        assertThat(live.<Boolean>search(i -> i.get("partial").isPresent())).isFalse();
        assertThat(Files.exists(folder.resolve("index.next"))).isFalse();
    }

    @Test
    void unknownJobsAndForgettingOldOnes() {
        assertThatThrownBy(() -> jobs.cancel("nope")).isInstanceOf(JobNotFoundException.class);
        behaviour = (source, settings, target, progress, cancelled) -> Map.of();
        String first = null;
        for (int i = 0; i < 5; i++) {
            String id = jobs.submit(JobService.Type.INGEST).jobId();
            first = first == null ? id : first;
            awaitFinished(id);
        }
        assertThat(jobs.list()).hasSize(3);
        assertThat(jobs.get(first)).isEmpty();
    }

    @Test
    void closeCancelsTheRunningJob() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        behaviour = (source, settings, target, progress, cancelled) -> {
            started.countDown();
            while (!cancelled.getAsBoolean()) {
                pause();
            }
            return Map.of();
        };
        JobView job = jobs.submit(JobService.Type.INGEST);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        jobs.close();
        assertThat(jobs.get(job.jobId()).orElseThrow().state()).isEqualTo("cancelled");
    }

    private static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
