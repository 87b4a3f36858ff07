package io.koclip.search.index.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.koclip.search.index.Hit;
import io.koclip.search.index.ImageDocument;
import io.koclip.search.index.IndexBackup;
import io.koclip.search.index.IndexSpec;
import io.koclip.search.index.ModelIdentity;
import io.koclip.search.index.SearchFilter;
import io.koclip.search.index.VectorIndex;
import io.koclip.search.index.VectorQuery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups of an index that is being written and searched: each is exactly one commit (its document
 * count is the one its checkpoint records), CheckIndex-clean, and a restore answers the same searches.
 */
class LuceneBackupTest {
    static final int DIM = 16;
    static final ModelIdentity MODEL = new ModelIdentity("backup-model", "b4c", DIM);

    @TempDir
    Path tmp;

    static float[] unit(Random random) {
        float[] v = new float[DIM];
        double norm = 0;
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) random.nextGaussian();
            norm += v[i] * v[i];
        }
        for (int i = 0; i < DIM; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    static ImageDocument doc(int i, Random random) {
        return new ImageDocument("id-" + i, "f/" + i + ".png", "hash-" + i, 8, 8, 100, 0, "png", null, unit(random));
    }

    @Test
    void backupsDuringWritesAndSearchesAreCleanCommitsAndRestoreAnswersTheSame() throws Exception {
        long seed = Long.getLong("tests.seed", new Random().nextLong());
        System.out.println("backupsDuringWritesAndSearchesAreCleanCommitsAndRestoreAnswersTheSame seed=" + seed);
        Path live = tmp.resolve("index");
        LuceneBackend backend = new LuceneBackend(live);
        List<IndexBackup> backups = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong searches = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try (VectorIndex index = backend.open(IndexSpec.of(MODEL))) {
            // The writer: batches of 25 documents, a commit after each batch that records the count.
            Future<?> writer = pool.submit(() -> {
                Random random = new Random(seed);
                int written = 0;
                while (!stop.get() && written < 5_000) {
                    List<ImageDocument> batch = new ArrayList<>();
                    for (int i = 0; i < 25; i++) {
                        batch.add(doc(written++, random));
                    }
                    index.upsertAll(batch);
                    index.commit("{\"written\":" + written + "}");
                }
                return null;
            });
            List<Future<?>> searchers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int thread = t;
                searchers.add(pool.submit(() -> {
                    Random random = new Random(seed + thread);
                    while (!stop.get()) {
                        index.search(new VectorQuery(unit(random), 10, 50, SearchFilter.NONE));
                        searches.incrementAndGet();
                    }
                    return null;
                }));
            }
            while (index.stats().documents() < 500) {
                Thread.sleep(5);
            }
            for (int b = 0; b < 3; b++) {
                backups.add(index.backup(tmp.resolve("backups/b" + b)));
                Thread.sleep(50);
            }
            stop.set(true);
            writer.get();
            for (Future<?> s : searchers) {
                s.get();
            }
            assertThat(searches.get()).isPositive();

            for (IndexBackup b : backups) {
                assertThat(b.clean()).isTrue();
                assertThat(b.checkpoint()).as("a backup is one commit").isNotNull();
                long recorded = Long.parseLong(b.checkpoint().replaceAll("\\D", ""));
                assertThat(b.documents())
                        .as("documents of the commit %s", b.checkpoint())
                        .isEqualTo(recorded);
                assertThat(new LuceneBackend(b.location()).check(null).clean()).isTrue();
                assertThat(Files.exists(b.location().resolveSibling(b.location().getFileName() + ".partial")))
                        .isFalse();
            }
            assertThat(backups.get(2).documents()).isGreaterThan(backups.get(0).documents());
            assertThatThrownBy(() -> index.backup(backups.get(0).location()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("exists");
            // The backup of the open index holds no files back once released: the live folder keeps one commit.
            index.commit(null);
            assertThat(Files.list(live).filter(f -> f.getFileName().toString().startsWith("segments_")))
                    .hasSize(1);
        } finally {
            pool.shutdownNow();
        }

        // Restore the middle backup into a new location: the same answers as the backup itself.
        IndexBackup middle = backups.get(1);
        LuceneBackend restoredBackend = new LuceneBackend(tmp.resolve("restored"));
        IndexBackup restored = restoredBackend.restore(middle.location());
        assertThat(restored.documents()).isEqualTo(middle.documents());
        assertThat(restoredBackend.check(null).clean()).isTrue();
        assertSameAnswers(new LuceneBackend(middle.location()), restoredBackend, seed);

        // An operator's mistake on the live index, then a restore over it.
        try (VectorIndex index = backend.open(IndexSpec.of(MODEL))) {
            List<String> ids = new ArrayList<>();
            index.forEachIndexedFile(f -> ids.add(f.id()));
            index.deleteAll(ids);
            index.commit(null);
            assertThat(index.stats().documents()).isZero();
            assertThatThrownBy(() -> backend.restore(middle.location()))
                    .as("restore refuses an index that is open")
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("write.lock");
        }
        backend.restore(middle.location());
        assertThat(backend.check(null).clean()).isTrue();
        assertThat(backend.check(null).documents()).isEqualTo(middle.documents());
        assertSameAnswers(new LuceneBackend(middle.location()), backend, seed);
        assertThat(Files.exists(tmp.resolve("index.old"))).isFalse();
        assertThat(Files.exists(tmp.resolve("index.restoring"))).isFalse();
        try (VectorIndex index = backend.open(IndexSpec.of(MODEL))) {
            assertThat(index.metadata().checkpoint()).isEqualTo(middle.checkpoint());
        }
    }

    @Test
    void backupOfAClosedIndexAndItsRefusals() throws IOException {
        LuceneBackend backend = new LuceneBackend(tmp.resolve("index"));
        assertThatThrownBy(() -> backend.backup(tmp.resolve("b"))).hasMessageContaining("index");
        Random random = new Random(7);
        try (VectorIndex index = backend.open(IndexSpec.of(MODEL))) {
            for (int i = 0; i < 40; i++) {
                index.upsert(doc(i, random));
            }
            index.commit(null);
            assertThatThrownBy(() -> backend.backup(tmp.resolve("b")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("POST /api/v1/admin/backup");
        }
        IndexBackup b = backend.backup(tmp.resolve("b"));
        assertThat(b.documents()).isEqualTo(40);
        assertThat(b.bytes()).isPositive();
        assertThatThrownBy(() -> backend.restore(tmp.resolve("nothing-here")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds no index");
        assertThatThrownBy(() -> backend.restore(tmp.resolve("index")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("live index itself");
    }

    private static void assertSameAnswers(LuceneBackend expected, LuceneBackend actual, long seed) throws IOException {
        Random random = new Random(seed ^ 0x5eed);
        try (VectorIndex a = expected.openReadOnly(MODEL);
                VectorIndex b = actual.openReadOnly(MODEL)) {
            assertThat(b.stats().documents()).isEqualTo(a.stats().documents());
            for (int q = 0; q < 20; q++) {
                VectorQuery query = new VectorQuery(unit(random), 10, 100, SearchFilter.NONE);
                assertThat(ids(b.search(query))).isEqualTo(ids(a.search(query)));
            }
        }
    }

    private static List<String> ids(List<Hit> hits) {
        return hits.stream().map(h -> h.document().id()).toList();
    }
}
