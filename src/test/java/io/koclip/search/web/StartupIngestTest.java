package io.koclip.search.web;

import static io.koclip.search.index.InMemoryVectorIndex.document;
import static io.koclip.search.index.InMemoryVectorIndex.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.koclip.search.index.InMemoryBackend;
import io.koclip.search.index.InMemoryVectorIndex;
import io.koclip.search.index.IndexSpec;
import io.koclip.search.search.IndexNotReadyException;
import io.koclip.search.search.LiveIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupIngestTest {
    @TempDir
    Path folder;

    final InMemoryVectorIndex backing = new InMemoryVectorIndex("m", "fp");
    final AtomicInteger runs = new AtomicInteger();
    final CountDownLatch release = new CountDownLatch(1);
    LiveIndex live;
    JobService jobs;

    private StartupIngest startup(IngestProperties.OnStart onStart, Path source) throws Exception {
        live = LiveIndex.open(
                new InMemoryBackend(backing), IndexSpec.of(backing.metadata().model()));
        IngestRunner runner = (src, settings, target, progress, cancelled) -> {
            runs.incrementAndGet();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            target.upsert(document("a", "a.png", "h", unit(4, 0, 1, 0)));
            return Map.of();
        };
        jobs = new JobService(live, runner, source, 10, Clock.systemUTC());
        return new StartupIngest(
                new IngestProperties(source, onStart, true, null, null, null, null, null, null), live, jobs);
    }

    @AfterEach
    void tearDown() throws Exception {
        release.countDown();
        jobs.close();
        live.close();
    }

    @Test
    void anEmptyIndexIsNotReadyUntilTheFirstIngestEnds() throws Exception {
        Path source = Files.createDirectories(folder.resolve("source"));
        startup(IngestProperties.OnStart.IF_EMPTY, source).run(null);
        assertThat(live.isReady()).isFalse();
        assertThatThrownBy(() -> live.search(i -> i.stats()))
                .isInstanceOf(IndexNotReadyException.class)
                .hasMessageContaining("first ingest");
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(live::isReady);
        assertThat(live.search(i -> i.stats()).documents()).isEqualTo(1);
        assertThat(runs.get()).isEqualTo(1);
    }

    @Test
    void aFilledIndexIsServedAsIs() throws Exception {
        backing.upsert(document("old", "o.png", "h", unit(4, 0, 1, 0)));
        startup(IngestProperties.OnStart.IF_EMPTY, Files.createDirectories(folder.resolve("source")))
                .run(null);
        assertThat(live.isReady()).isTrue();
        assertThat(jobs.list()).isEmpty();
    }

    @Test
    void alwaysIngestsButKeepsServingAFilledIndex() throws Exception {
        backing.upsert(document("old", "o.png", "h", unit(4, 0, 1, 0)));
        startup(IngestProperties.OnStart.ALWAYS, Files.createDirectories(folder.resolve("source")))
                .run(null);
        assertThat(live.isReady()).isTrue();
        assertThat(jobs.list()).hasSize(1);
    }

    @Test
    void aMissingSourceLeavesAnEmptyReadyIndex() throws Exception {
        startup(IngestProperties.OnStart.IF_EMPTY, folder.resolve("nowhere")).run(null);
        assertThat(live.isReady()).isTrue();
        assertThat(jobs.list()).isEmpty();
    }

    @Test
    void neverMeansNever() throws Exception {
        startup(IngestProperties.OnStart.NEVER, Files.createDirectories(folder.resolve("source")))
                .run(null);
        assertThat(jobs.list()).isEmpty();
    }
}
