package io.koclip.search.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.koclip.search.index.Hit;
import io.koclip.search.index.IndexBackend;
import io.koclip.search.index.IndexCheck;
import io.koclip.search.index.IndexOptions;
import io.koclip.search.index.IndexSpec;
import io.koclip.search.index.SearchFilter;
import io.koclip.search.index.VectorIndex;
import io.koclip.search.index.VectorQuery;
import io.koclip.search.index.lucene.LuceneBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest and reindex onto a volume that fills up (a real tmpfs, {@link SmallVolume}; skipped where it
 * cannot be mounted): a clear error that says what was not indexed, the live index at its last commit,
 * clean and searchable, and after space is freed the next run completes with every file once.
 */
class DiskFullTest {
    static final IndexSpec SPEC = new IndexSpec(CrashableIngestMain.MODEL, IndexOptions.defaults());
    static final int FIRST = 40;
    static final int FILES = 240;

    @TempDir
    Path tmp;

    private IngestJob job(VectorIndex index, Path source) {
        return new IngestJob(
                new FakeEmbedder(),
                new ImageIoDecoder(),
                ContentReader.FILES,
                index,
                IngestOptions.defaults(source).withWorkers(2).withBatchSize(4).withCommitEvery(20));
    }

    private static void images(Path source, int from, int to) throws IOException {
        for (int i = from; i < to; i++) {
            TestImages.write(source, "f" + (i % 5) + "/img-" + i + ".png", i);
        }
    }

    @Test
    void ingestOntoAFullDiskFailsClearlyKeepsTheLastCommitAndResumesAfterSpaceIsFreed() throws Exception {
        Path source = tmp.resolve("source");
        images(source, 0, FIRST);
        try (SmallVolume volume = SmallVolume.mount(tmp.resolve("volume"), "8m")) {
            LuceneBackend backend = new LuceneBackend(volume.path().resolve("index"));
            try (VectorIndex index = backend.open(SPEC)) {
                assertThat(job(index, source).run().documents()).isEqualTo(FIRST);
            }
            images(source, FIRST, FILES);
            volume.fill(48 * 1024);
            System.out.println("free before the second run: " + volume.usable() + " bytes");

            IngestFailedException failure = null;
            VectorIndex index = backend.open(SPEC);
            try {
                job(index, source).run();
                fail("the ingest should not fit in " + volume.usable() + " free bytes");
            } catch (IngestFailedException e) {
                failure = e;
            } finally {
                try {
                    index.close();
                } catch (IOException | RuntimeException e) {
                    System.out.println("closing the index on the full disk: " + e);
                }
            }
            System.out.println("the error: " + failure.getMessage());
            assertThat(failure.getMessage())
                    .contains("No space left on device")
                    .contains("were not indexed")
                    .contains("run the ingest again");
            assertThat(failure.committed()).isLessThan(FILES - FIRST);
            assertThat(failure.notIndexed()).isPositive();
            assertThat(failure.report().scanned()).isGreaterThan(FIRST);

            // The live index: its last commit, clean and searchable, even before space is freed.
            long committed = FIRST + failure.committed();
            assertLiveIndex(backend, committed);

            volume.free();
            Map<String, Integer> counts = new HashMap<>();
            try (VectorIndex resumed = backend.open(SPEC)) {
                IngestReport report = job(resumed, source).run();
                // resumed when the failed run had committed part of its work (its checkpoint is then incomplete)
                assertThat(report.resumed()).isEqualTo(failure.committed() > 0);
                assertThat(report.unchanged()).isEqualTo(committed);
                assertThat(report.failed()).isZero();
                assertThat(report.documents()).isEqualTo(FILES);
                resumed.forEachIndexedFile(f -> counts.merge(f.path(), 1, Integer::sum));
            }
            assertThat(counts)
                    .hasSize(FILES)
                    .allSatisfy((path, n) -> assertThat(n).as(path).isOne());
            assertThat(backend.check(null).clean()).isTrue();
        }
    }

    @Test
    void reindexOntoAFullDiskLeavesTheLiveIndexAndSucceedsAfterSpaceIsFreed() throws Exception {
        Path source = tmp.resolve("source");
        images(source, 0, FIRST);
        try (SmallVolume volume = SmallVolume.mount(tmp.resolve("volume"), "8m")) {
            LuceneBackend backend = new LuceneBackend(volume.path().resolve("index"));
            try (VectorIndex index = backend.open(SPEC)) {
                job(index, source).run();
            }
            images(source, FIRST, FILES);
            volume.fill(16 * 1024);
            Exception failure = null;
            // As the admin reindex does: a fresh index beside the live one, discarded when it fails.
            try (IndexBackend.Reindex reindex = backend.prepareReindex(SPEC)) {
                job(reindex.index(), source).run();
                reindex.activate();
                fail("the reindex should not fit in " + volume.usable() + " free bytes");
            } catch (IOException e) {
                failure = e;
            }
            System.out.println("the reindex error: " + failure);
            assertThat(failure).hasMessageContaining("No space left on device");
            assertThat(Files.exists(volume.path().resolve("index.next")))
                    .as("the failed reindex is discarded")
                    .isFalse();
            assertLiveIndex(backend, FIRST);

            volume.free();
            try (IndexBackend.Reindex reindex = backend.prepareReindex(SPEC)) {
                assertThat(job(reindex.index(), source).run().documents()).isEqualTo(FILES);
                reindex.activate();
            }
            assertLiveIndex(backend, FILES);
        }
    }

    private static void assertLiveIndex(LuceneBackend backend, long documents) throws IOException {
        IndexCheck check = backend.check(null);
        assertThat(check.clean()).as("CheckIndex of the live index").isTrue();
        assertThat(check.documents()).isEqualTo(documents);
        try (VectorIndex live = backend.openReadOnly(CrashableIngestMain.MODEL)) {
            float[] query = new float[FakeEmbedder.DIM];
            query[0] = 1;
            List<Hit> hits = live.search(new VectorQuery(query, 5, 20, SearchFilter.NONE));
            assertThat(hits).hasSize(5);
        }
    }
}
