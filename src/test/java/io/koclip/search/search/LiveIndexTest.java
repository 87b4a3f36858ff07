package io.koclip.search.search;

import static io.koclip.search.search.InMemoryVectorIndex.document;
import static io.koclip.search.search.InMemoryVectorIndex.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.koclip.search.index.IndexModelMismatchException;
import io.koclip.search.index.ModelIdentity;
import io.koclip.search.index.SearchFilter;
import io.koclip.search.index.VectorIndex;
import io.koclip.search.index.VectorQuery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveIndexTest {
    @TempDir
    Path folder;

    /** Opens one in-memory index per folder name, and marks the folder on disk like a real index. */
    final class Opener implements LiveIndex.Opener {
        final Map<String, InMemoryVectorIndex> byMarker = new HashMap<>();
        final AtomicInteger opened = new AtomicInteger();

        @Override
        public VectorIndex open(Path directory) throws IOException {
            Files.createDirectories(directory);
            Path marker = directory.resolve("marker");
            String name = Files.exists(marker) ? Files.readString(marker) : "gen" + opened.get();
            Files.writeString(marker, name);
            opened.incrementAndGet();
            InMemoryVectorIndex index = byMarker.get(name);
            index = index == null ? new InMemoryVectorIndex("m", "fp") : new InMemoryVectorIndex(index);
            byMarker.put(name, index);
            return index;
        }
    }

    @Test
    void replaceSwitchesToTheFreshIndexAndKeepsThePath() throws Exception {
        Opener opener = new Opener();
        Path path = folder.resolve("index");
        LiveIndex live = LiveIndex.open(path, opener, "m", "fp");
        live.read(i -> {
            i.upsert(document("old", "a.png", "h1", unit(4, 0, 1, 0)));
            return null;
        });
        Path fresh = live.prepareFresh();
        assertThat(fresh).isEqualTo(folder.resolve("index.next").toAbsolutePath());
        VectorIndex next = opener.open(fresh);
        next.upsert(document("new", "b.png", "h2", unit(4, 0, 1, 0)));
        next.commit(Map.of());
        next.close();
        InMemoryVectorIndex previous = opener.byMarker.get("gen0");
        live.replace();
        assertThat(Files.readString(path.resolve("marker"))).isEqualTo("gen1");
        assertThat(Files.exists(folder.resolve("index.next"))).isFalse();
        assertThat(Files.exists(folder.resolve("index.old"))).isFalse();
        assertThat(live.<Boolean>search(i -> i.get("new").isPresent())).isTrue();
        assertThat(live.<Boolean>search(i -> i.get("old").isPresent())).isFalse();
        assertThat(previous.isClosed()).isTrue();
        live.close();
    }

    @Test
    void searchesKeepAnsweringWhileTheIndexIsSwitched() throws Exception {
        Opener opener = new Opener();
        LiveIndex live = LiveIndex.open(folder.resolve("index"), opener, "m", "fp");
        live.read(i -> {
            i.upsert(document("a", "a.png", "h1", unit(4, 0, 1, 0)));
            return null;
        });
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger answered = new AtomicInteger();
        ExecutorService searchers = Executors.newFixedThreadPool(2);
        try {
            Future<?>[] futures = new Future<?>[2];
            for (int t = 0; t < 2; t++) {
                futures[t] = searchers.submit(() -> {
                    while (!stop.get()) {
                        int hits = live.search(
                                        i -> i.search(new VectorQuery(unit(4, 0, 1, 0), 1, 0, SearchFilter.NONE)))
                                .size();
                        assertThat(hits).isEqualTo(1);
                        answered.incrementAndGet();
                    }
                    return null;
                });
            }
            for (int round = 0; round < 5; round++) {
                VectorIndex next = opener.open(live.prepareFresh());
                next.upsert(document("a" + round, "a.png", "h1", unit(4, 0, 1, 0)));
                next.close();
                live.replace();
            }
            Thread.sleep(50);
            stop.set(true);
            for (Future<?> f : futures) {
                f.get(10, TimeUnit.SECONDS); // rethrows any failed search
            }
        } finally {
            searchers.shutdownNow();
        }
        assertThat(answered.get()).isPositive();
        assertThat(live.<Boolean>search(i -> i.get("a4").isPresent())).isTrue();
    }

    @Test
    void openRepairsAnInterruptedSwitch() throws Exception {
        Path path = folder.resolve("index");
        Path next = folder.resolve("index.next");
        Path old = folder.resolve("index.old");
        // crash after "path → path.old", before "path.next → path"
        Files.createDirectories(next);
        Files.writeString(next.resolve("marker"), "fresh");
        Files.createDirectories(old);
        Files.writeString(old.resolve("marker"), "previous");
        LiveIndex live = LiveIndex.open(path, new Opener(), "m", "fp");
        assertThat(Files.readString(path.resolve("marker"))).isEqualTo("fresh");
        assertThat(Files.exists(next)).isFalse();
        assertThat(Files.exists(old)).isFalse();
        live.close();
    }

    @Test
    void openDeletesAnUnfinishedReindex() throws Exception {
        Path path = folder.resolve("index");
        Files.createDirectories(path);
        Files.writeString(path.resolve("marker"), "live");
        Path next = folder.resolve("index.next");
        Files.createDirectories(next);
        Files.writeString(next.resolve("marker"), "half");
        LiveIndex live = LiveIndex.open(path, new Opener(), "m", "fp");
        assertThat(Files.exists(next)).isFalse();
        assertThat(Files.readString(path.resolve("marker"))).isEqualTo("live");
        live.close();
    }

    @Test
    void anotherModelsIndexIsNotReadyUntilReindexed() throws Exception {
        InMemoryVectorIndex other = new InMemoryVectorIndex("other", "fp-other");
        other.upsert(document("a", "a.png", "h", unit(4, 0, 1, 0)));
        InMemoryVectorIndex fresh = new InMemoryVectorIndex("m", "fp");
        AtomicInteger calls = new AtomicInteger();
        LiveIndex live = LiveIndex.open(
                folder.resolve("index"),
                dir -> {
                    Files.createDirectories(dir);
                    return calls.getAndIncrement() == 0 ? other : fresh;
                },
                "m",
                "fp");
        assertThat(live.modelMismatch()).isTrue();
        assertThat(live.isReady()).isFalse();
        assertThat(live.notReadyReason())
                .contains("built with model other (fp-other)")
                .contains("reindex");
        live.markReady(); // an ingest finishing does not make another model's vectors usable
        assertThatThrownBy(() -> live.search(i -> i.stats())).isInstanceOf(IndexNotReadyException.class);
        Files.createDirectories(live.prepareFresh());
        live.replace();
        assertThat(live.isReady()).isTrue();
        assertThat(live.modelMismatch()).isFalse();
        live.close();
    }

    @Test
    void anIndexThatRefusesToOpenStillLetsTheServerStart() throws Exception {
        LiveIndex live = LiveIndex.open(
                folder.resolve("index"),
                dir -> {
                    throw new IndexModelMismatchException(
                            dir, new ModelIdentity("x", "fp-x", 4), new ModelIdentity("m", "fp", 4));
                },
                "m",
                "fp");
        assertThat(live.isReady()).isFalse();
        assertThat(live.notReadyReason()).contains("fp-x").contains("reindex");
        assertThatThrownBy(() -> live.search(i -> i.stats())).isInstanceOf(IndexNotReadyException.class);
        live.close();
    }

    @Test
    void closeCommitsAndRefusesLaterSearches() throws Exception {
        InMemoryVectorIndex backing = new InMemoryVectorIndex("m", "fp");
        LiveIndex live = LiveIndex.open(folder.resolve("index"), dir -> backing, "m", "fp");
        live.close();
        assertThat(backing.commits()).isEqualTo(1);
        assertThat(backing.isClosed()).isTrue();
        assertThatThrownBy(() -> live.search(i -> i.stats())).isInstanceOf(IndexNotReadyException.class);
    }
}
