package io.koclip.search.search;

import static io.koclip.search.index.InMemoryVectorIndex.document;
import static io.koclip.search.index.InMemoryVectorIndex.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.koclip.search.index.InMemoryBackend;
import io.koclip.search.index.InMemoryVectorIndex;
import io.koclip.search.index.IndexBackend;
import io.koclip.search.index.IndexModelMismatchException;
import io.koclip.search.index.IndexSpec;
import io.koclip.search.index.ModelIdentity;
import io.koclip.search.index.SearchFilter;
import io.koclip.search.index.VectorIndex;
import io.koclip.search.index.VectorQuery;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * LiveIndex over the in-memory backend: switching, readiness, model mismatch. The Lucene backend's
 * folder protocol (renames, repair of an interrupted switch) is tested in {@code LuceneBackendTest},
 * and every backend's reindex in the contract suite.
 */
class LiveIndexTest {
    static final ModelIdentity MODEL = new ModelIdentity("m", "fp", 4);

    @Test
    void switchToMakesTheFreshIndexLive() throws Exception {
        InMemoryBackend backend = new InMemoryBackend();
        LiveIndex live = LiveIndex.open(backend, IndexSpec.of(MODEL));
        live.read(i -> {
            i.upsert(document("old", "a.png", "h1", unit(4, 0, 1, 0)));
            return null;
        });
        InMemoryVectorIndex previous = backend.lastOpened();
        try (IndexBackend.Reindex reindex = live.prepareReindex()) {
            reindex.index().upsert(document("new", "b.png", "h2", unit(4, 0, 1, 0)));
            live.switchTo(reindex);
        }
        assertThat(live.<Boolean>search(i -> i.get("new").isPresent())).isTrue();
        assertThat(live.<Boolean>search(i -> i.get("old").isPresent())).isFalse();
        assertThat(previous.isClosed()).isTrue();
        live.close();
    }

    @Test
    void searchesKeepAnsweringWhileTheIndexIsSwitched() throws Exception {
        InMemoryBackend backend = new InMemoryBackend();
        LiveIndex live = LiveIndex.open(backend, IndexSpec.of(MODEL));
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
                                        i -> i.search(new VectorQuery(unit(4, 0, 1, 0), 1, 1, SearchFilter.NONE)))
                                .size();
                        assertThat(hits).isEqualTo(1);
                        answered.incrementAndGet();
                    }
                    return null;
                });
            }
            for (int round = 0; round < 5; round++) {
                try (IndexBackend.Reindex reindex = live.prepareReindex()) {
                    reindex.index().upsert(document("a" + round, "a.png", "h1", unit(4, 0, 1, 0)));
                    live.switchTo(reindex);
                }
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
    void anotherModelsIndexIsNotReadyUntilReindexed() throws Exception {
        InMemoryVectorIndex other = new InMemoryVectorIndex(new ModelIdentity("other", "fp-other", 4));
        other.upsert(document("a", "a.png", "h", unit(4, 0, 1, 0)));
        LiveIndex live = LiveIndex.open(new InMemoryBackend(other), IndexSpec.of(MODEL));
        assertThat(live.modelMismatch()).isTrue();
        assertThat(live.isReady()).isFalse();
        assertThat(live.notReadyReason())
                .contains("built with model 'other' (fingerprint fp-other")
                .contains("reindex");
        live.markReady(); // an ingest finishing does not make another model's vectors usable
        assertThatThrownBy(() -> live.search(i -> i.stats())).isInstanceOf(IndexNotReadyException.class);
        try (IndexBackend.Reindex reindex = live.prepareReindex()) {
            live.switchTo(reindex);
        }
        assertThat(live.isReady()).isTrue();
        assertThat(live.modelMismatch()).isFalse();
        live.close();
    }

    @Test
    void anIndexThatRefusesToOpenStillLetsTheServerStart() throws Exception {
        IndexBackend refusing = new InMemoryBackend() {
            @Override
            public synchronized VectorIndex open(IndexSpec spec) {
                throw new IndexModelMismatchException("x", new ModelIdentity("x", "fp-x", 4), spec.model());
            }
        };
        LiveIndex live = LiveIndex.open(refusing, IndexSpec.of(MODEL));
        assertThat(live.isReady()).isFalse();
        assertThat(live.notReadyReason()).contains("fp-x").contains("reindex");
        assertThatThrownBy(() -> live.search(i -> i.stats())).isInstanceOf(IndexNotReadyException.class);
        live.close();
    }

    @Test
    void aFailedSwitchKeepsThePreviousIndexLive() throws Exception {
        InMemoryBackend backend = new InMemoryBackend();
        LiveIndex live = LiveIndex.open(backend, IndexSpec.of(MODEL));
        live.read(i -> {
            i.upsert(document("kept", "a.png", "h1", unit(4, 0, 1, 0)));
            return null;
        });
        IndexBackend.Reindex failing = new IndexBackend.Reindex() {
            @Override
            public VectorIndex index() {
                throw new UnsupportedOperationException();
            }

            @Override
            public void activate() throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void close() {}
        };
        assertThatThrownBy(() -> live.switchTo(failing)).hasMessage("disk full");
        assertThat(live.<Boolean>search(i -> i.get("kept").isPresent())).isTrue();
        live.close();
    }

    @Test
    void closeCommitsAndRefusesLaterSearches() throws Exception {
        InMemoryVectorIndex backing = new InMemoryVectorIndex("m", "fp");
        InMemoryBackend backend = new InMemoryBackend(backing);
        LiveIndex live = LiveIndex.open(backend, IndexSpec.of(backing.metadata().model()));
        live.close();
        assertThat(backing.commits()).isEqualTo(1);
        assertThat(backend.lastOpened().isClosed()).isTrue();
        assertThatThrownBy(() -> live.search(i -> i.stats())).isInstanceOf(IndexNotReadyException.class);
    }
}
