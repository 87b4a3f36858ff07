package io.koclip.search.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.koclip.search.image.ImageRejectedException;
import io.koclip.search.index.DocumentIds;
import io.koclip.search.index.Hit;
import io.koclip.search.index.ImageDocument;
import io.koclip.search.index.IndexMetadata;
import io.koclip.search.index.IndexOptions;
import io.koclip.search.index.IndexQuery;
import io.koclip.search.index.IndexSpec;
import io.koclip.search.index.IndexStats;
import io.koclip.search.index.IndexedFile;
import io.koclip.search.index.ModelIdentity;
import io.koclip.search.index.SearchFilter;
import io.koclip.search.index.VectorIndex;
import io.koclip.search.index.VectorQuery;
import io.koclip.search.index.lucene.LuceneBackend;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The pipeline with a fake model and a plain ImageIO decoder: counts, incrementality, dedupe, prune, failures. */
class IngestJobTest {
    static final ModelIdentity MODEL = new ModelIdentity("fake", "0", FakeEmbedder.DIM);

    @TempDir
    Path tmp;

    Path source;
    Path indexDir;
    VectorIndex index;

    @BeforeEach
    void setUp() throws IOException {
        source = Files.createDirectories(tmp.resolve("source"));
        indexDir = tmp.resolve("index");
        index = new LuceneBackend(indexDir).open(new IndexSpec(MODEL, IndexOptions.defaults()));
    }

    @AfterEach
    void tearDown() throws IOException {
        index.close();
    }

    IngestOptions options() {
        return IngestOptions.defaults(source).withWorkers(2).withBatchSize(4);
    }

    IngestReport ingest(FakeEmbedder embedder, IngestOptions options) throws IOException {
        return new IngestJob(embedder, new ImageIoDecoder(), ContentReader.FILES, index, options).run();
    }

    IngestReport ingest(FakeEmbedder embedder) throws IOException {
        return ingest(embedder, options());
    }

    /** Every live document's path, with how many documents carry it. */
    Map<String, Integer> pathCounts() throws IOException {
        index.refresh();
        Map<String, Integer> counts = new HashMap<>();
        index.forEachIndexedFile(f -> counts.merge(f.path(), 1, Integer::sum));
        return counts;
    }

    @Test
    void indexesEveryImageOnceWithItsMetadata() throws IOException {
        for (int i = 0; i < 20; i++) {
            TestImages.write(source, "set-" + (i % 3) + "/img-" + i + (i % 2 == 0 ? ".png" : ".jpg"), i);
        }
        FakeEmbedder embedder = new FakeEmbedder();
        IngestReport report = ingest(embedder);

        assertThat(report.scanned()).isEqualTo(20);
        assertThat(report.indexed()).isEqualTo(20);
        assertThat(report.encoded()).isEqualTo(20);
        assertThat(report.unchanged()).isZero();
        assertThat(report.failed()).isZero();
        assertThat(report.documents()).isEqualTo(20);
        assertThat(report.cancelled()).isFalse();
        assertThat(report.model()).isEqualTo("fake");
        assertThat(embedder.encoded.get()).isEqualTo(20);
        assertThat(embedder.maxBatch.get()).isLessThanOrEqualTo(4);
        assertThat(pathCounts())
                .hasSize(20)
                .allSatisfy((path, count) -> assertThat(count).isOne());

        Path file = source.resolve("set-1/img-1.jpg");
        ImageDocument doc = index.get(DocumentIds.forPath("set-1/img-1.jpg")).orElseThrow();
        assertThat(doc.path()).isEqualTo("set-1/img-1.jpg");
        assertThat(doc.format()).isEqualTo("jpeg");
        assertThat(doc.width()).isEqualTo(32);
        assertThat(doc.height()).isEqualTo(32);
        assertThat(doc.bytes()).isEqualTo(Files.size(file));
        assertThat(doc.modified()).isEqualTo(Files.getLastModifiedTime(file).toMillis());
        assertThat(doc.contentHash()).isEqualTo(ReadStage.sha256(Files.readAllBytes(file)));
        // The stored vector is the embedding of that very file.
        List<Hit> hits = index.search(new VectorQuery(doc.vector(), 1, 100, SearchFilter.NONE));
        assertThat(hits.get(0).document().path()).isEqualTo("set-1/img-1.jpg");

        JsonNode checkpoint =
                JsonMapper.builder().build().readTree(index.metadata().checkpoint());
        assertThat(checkpoint.path("complete").asBoolean()).isTrue();
        assertThat(checkpoint.path("indexed").asLong()).isEqualTo(20);
    }

    @Test
    void anUnchangedRerunIndexesNothingAndReadsNothing() throws IOException {
        for (int i = 0; i < 10; i++) {
            TestImages.write(source, "img-" + i + ".png", i);
        }
        ingest(new FakeEmbedder());
        AtomicInteger reads = new AtomicInteger();
        FakeEmbedder second = new FakeEmbedder();
        IngestReport report = new IngestJob(
                        second,
                        new ImageIoDecoder(),
                        file -> {
                            reads.incrementAndGet();
                            return Files.readAllBytes(file);
                        },
                        index,
                        options())
                .run();
        assertThat(report.scanned()).isEqualTo(10);
        assertThat(report.unchanged()).isEqualTo(10);
        assertThat(report.indexed()).isZero();
        assertThat(report.encoded()).isZero();
        assertThat(report.documents()).isEqualTo(10);
        assertThat(reads.get()).isZero();
        assertThat(second.preprocessed.get()).isZero();
    }

    @Test
    void aChangedFileIsEncodedAgainAndReplacesItsDocument() throws IOException {
        Path file = TestImages.write(source, "a.png", 1);
        TestImages.write(source, "b.png", 2);
        ingest(new FakeEmbedder());
        float[] before = index.get(DocumentIds.forPath("a.png")).orElseThrow().vector();

        Files.write(file, TestImages.png(3));
        Files.setLastModifiedTime(
                file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 5000));
        FakeEmbedder embedder = new FakeEmbedder();
        IngestReport report = ingest(embedder);
        assertThat(report.indexed()).isOne();
        assertThat(report.encoded()).isOne();
        assertThat(report.unchanged()).isOne();
        assertThat(report.documents()).isEqualTo(2);
        assertThat(index.get(DocumentIds.forPath("a.png")).orElseThrow().vector())
                .isNotEqualTo(before);
    }

    @Test
    void aTouchedFileKeepsItsEmbeddingWithoutDecoding() throws IOException {
        Path file = TestImages.write(source, "a.png", 1);
        ingest(new FakeEmbedder());
        Files.setLastModifiedTime(
                file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 5000));
        FakeEmbedder embedder = new FakeEmbedder();
        IngestReport report = ingest(embedder);
        assertThat(report.indexed()).isOne();
        assertThat(report.duplicates()).isOne();
        assertThat(report.encoded()).isZero();
        assertThat(embedder.preprocessed.get()).isZero();
        assertThat(index.get(DocumentIds.forPath("a.png")).orElseThrow().modified())
                .isEqualTo(Files.getLastModifiedTime(file).toMillis());
    }

    @Test
    void identicalBytesUnderSeveralNamesAreEncodedOnceAndEachPathIsFindable() throws IOException {
        byte[] same = TestImages.png(42);
        for (String name : List.of("a/copy-1.png", "b/copy-2.png", "c/d/copy-3.png", "copy-4.bin")) {
            TestImages.write(source, name, same);
        }
        for (int i = 0; i < 12; i++) {
            TestImages.write(source, "other-" + i + ".png", 100 + i);
        }
        FakeEmbedder embedder = new FakeEmbedder();
        IngestReport report = ingest(embedder);
        assertThat(report.scanned()).isEqualTo(16);
        assertThat(report.indexed()).isEqualTo(16);
        assertThat(report.encoded()).isEqualTo(13);
        assertThat(report.duplicates()).isEqualTo(3);
        assertThat(embedder.preprocessed.get()).isEqualTo(13);
        float[] vector =
                index.get(DocumentIds.forPath("a/copy-1.png")).orElseThrow().vector();
        for (String name : List.of("b/copy-2.png", "c/d/copy-3.png", "copy-4.bin")) {
            ImageDocument copy = index.get(DocumentIds.forPath(name)).orElseThrow();
            assertThat(copy.vector()).containsExactly(vector);
            assertThat(copy.format()).isEqualTo("png");
            assertThat(copy.width()).isEqualTo(32);
        }
        List<Hit> hits = index.search(new VectorQuery(vector, 4, 100, SearchFilter.NONE));
        assertThat(hits)
                .extracting(h -> h.document().path())
                .containsExactlyInAnyOrder("a/copy-1.png", "b/copy-2.png", "c/d/copy-3.png", "copy-4.bin");

        // A later copy is matched against the index, not encoded again.
        TestImages.write(source, "late-copy.png", same);
        FakeEmbedder again = new FakeEmbedder();
        IngestReport second = ingest(again);
        assertThat(second.indexed()).isOne();
        assertThat(second.duplicates()).isOne();
        assertThat(again.preprocessed.get()).isZero();
    }

    @Test
    void aRenamedFileIsNotEncodedAgainAndPruneDropsItsOldPath() throws IOException {
        TestImages.write(source, "old-name.png", 7);
        TestImages.write(source, "stays.png", 8);
        ingest(new FakeEmbedder());
        Files.move(source.resolve("old-name.png"), source.resolve("new-name.png"));

        FakeEmbedder embedder = new FakeEmbedder();
        IngestReport report = ingest(embedder, options().withPrune(true));
        assertThat(report.encoded()).isZero();
        assertThat(report.duplicates()).isOne();
        assertThat(report.unchanged()).isOne();
        assertThat(report.pruned()).isOne();
        assertThat(report.documents()).isEqualTo(2);
        assertThat(pathCounts()).containsOnlyKeys("new-name.png", "stays.png");
    }

    @Test
    void withoutPruneDocumentsOfDeletedFilesStayAndWithPruneTheyGo() throws IOException {
        for (int i = 0; i < 6; i++) {
            TestImages.write(source, "d" + (i % 2) + "/img-" + i + ".png", i);
        }
        ingest(new FakeEmbedder());
        Files.delete(source.resolve("d0/img-0.png"));
        Files.delete(source.resolve("d1/img-3.png"));
        Files.createDirectories(source.resolve(".hidden"));
        Files.move(source.resolve("d0/img-2.png"), source.resolve(".hidden/img-2.png"));

        IngestReport kept = ingest(new FakeEmbedder());
        assertThat(kept.pruned()).isZero();
        assertThat(kept.documents()).isEqualTo(6);

        IngestReport pruned = ingest(new FakeEmbedder(), options().withPrune(true));
        assertThat(pruned.pruned()).isEqualTo(3);
        assertThat(pruned.documents()).isEqualTo(3);
        assertThat(pathCounts()).containsOnlyKeys("d0/img-4.png", "d1/img-1.png", "d1/img-5.png");
    }

    @Test
    void pruneDoesNotEmptyTheIndexWhenTheSourceLooksUnmounted() throws IOException {
        TestImages.write(source, "a.png", 1);
        ingest(new FakeEmbedder());
        Files.delete(source.resolve("a.png"));
        IngestReport report = ingest(new FakeEmbedder(), options().withPrune(true));
        assertThat(report.pruned()).isZero();
        assertThat(report.documents()).isOne();
    }

    @Test
    void decoderFailuresAreOneEntryEachAndTheJobGoesOn() throws IOException {
        for (int i = 0; i < 5; i++) {
            TestImages.write(source, "good-" + i + ".png", i);
        }
        TestImages.write(source, "hangs.png", 100);
        TestImages.write(source, "throws.png", 101);
        TestImages.write(source, "out-of-memory.png", 102);
        TestImages.write(source, "stack-overflow.png", 103);
        Decoder plain = new ImageIoDecoder();
        Map<String, String> byHash = new HashMap<>();
        byHash.put(ReadStage.sha256(Files.readAllBytes(source.resolve("hangs.png"))), "hangs");
        byHash.put(ReadStage.sha256(Files.readAllBytes(source.resolve("throws.png"))), "throws");
        byHash.put(ReadStage.sha256(Files.readAllBytes(source.resolve("out-of-memory.png"))), "oom");
        byHash.put(ReadStage.sha256(Files.readAllBytes(source.resolve("stack-overflow.png"))), "so");
        Decoder hostile = (bytes, budget) -> {
            String kind = byHash.getOrDefault(ReadStage.sha256(bytes), "");
            switch (kind) {
                case "hangs" -> {
                    // A decoder that ignores its budget; it stops only when the pipeline abandons it.
                    while (!Thread.currentThread().isInterrupted()) {
                        Thread.onSpinWait();
                    }
                    throw new ImageRejectedException(ImageRejectedException.Reason.CORRUPT, "interrupted");
                }
                case "throws" -> throw new ArrayIndexOutOfBoundsException("Index 99 out of bounds for length 8");
                case "oom" -> throw new OutOfMemoryError("Java heap space");
                case "so" -> throw new StackOverflowError();
                default -> {
                    return plain.decode(bytes, budget);
                }
            }
        };
        IngestOptions options = options().withDecodeTimeout(Duration.ofMillis(200));
        IngestReport report = new IngestJob(new FakeEmbedder(), hostile, ContentReader.FILES, index, options).run();
        assertThat(report.indexed()).isEqualTo(5);
        assertThat(report.failed()).isEqualTo(4);
        Map<String, IngestFailure> failures = byPath(report);
        assertThat(failures.get("hangs.png").code()).isEqualTo("timeout");
        assertThat(failures.get("hangs.png").reason()).contains("budget of 200 ms");
        assertThat(failures.get("throws.png").code()).isEqualTo("corrupt");
        assertThat(failures.get("throws.png").reason()).contains("ArrayIndexOutOfBoundsException");
        assertThat(failures.get("out-of-memory.png").code()).isEqualTo("too_large");
        assertThat(failures.get("out-of-memory.png").reason()).contains("not enough memory");
        assertThat(failures.get("stack-overflow.png").code()).isEqualTo("corrupt");
    }

    @Test
    void unreadableAndOversizedFilesAreFailuresNotErrors() throws IOException {
        TestImages.write(source, "fine.png", 1);
        TestImages.write(source, "locked.png", 2);
        Path huge = TestImages.write(source, "huge.png", TestImages.encode(TestImages.image(3, 400), "png"));
        long cap = Files.size(huge) - 1;
        assertThat(Files.size(source.resolve("fine.png"))).isLessThan(cap);
        ContentReader reader = file -> {
            if (file.getFileName().toString().equals("locked.png")) {
                throw new AccessDeniedException(file.toString());
            }
            return Files.readAllBytes(file);
        };
        IngestOptions options = options().withMaxFileBytes(cap);
        IngestReport report = new IngestJob(new FakeEmbedder(), new ImageIoDecoder(), reader, index, options).run();
        assertThat(report.indexed()).isOne();
        Map<String, IngestFailure> failures = byPath(report);
        assertThat(failures.get("locked.png"))
                .isEqualTo(new IngestFailure("locked.png", "unreadable", "cannot read: permission denied"));
        assertThat(failures.get("huge.png").code()).isEqualTo("file_too_large");
        assertThat(failures.get("huge.png").reason()).contains("over the cap of " + cap + " bytes");
    }

    @Test
    void aModelFailureOnOneImageOfABatchFailsThatImageOnly() throws IOException {
        for (int i = 0; i < 8; i++) {
            TestImages.write(source, "img-" + i + ".png", i);
        }
        Path poison = TestImages.write(source, "poison.png", 99);
        float[] poisonTensor = new FakeEmbedder().preprocess(javax.imageio.ImageIO.read(poison.toFile()));
        FakeEmbedder embedder = new FakeEmbedder(0, t -> java.util.Arrays.equals(t, poisonTensor));
        IngestReport report = ingest(embedder);
        assertThat(report.indexed()).isEqualTo(8);
        assertThat(report.failed()).isOne();
        assertThat(report.failures().get(0).path()).isEqualTo("poison.png");
        assertThat(report.failures().get(0).code()).isEqualTo("encode_failed");
        assertThat(report.failures().get(0).reason()).contains("fake model cannot encode");
    }

    @Test
    void anInvalidEmbeddingIsRejectedAtTheIndexBoundaryAsAFailure() throws IOException {
        TestImages.write(source, "a.png", 1);
        TestImages.write(source, "copy-of-a.png", TestImages.png(1));
        TestImages.write(source, "b.png", 2);
        float[] tensorOfA = new FakeEmbedder().preprocess(TestImages.image(1, 32));
        ImageEmbedder nanForA = new FakeEmbedder() {
            @Override
            public float[][] encode(List<float[]> tensors) {
                float[][] out = super.encode(tensors);
                for (int i = 0; i < out.length; i++) {
                    if (java.util.Arrays.equals(tensors.get(i), tensorOfA)) {
                        out[i][0] = Float.NaN; // a broken model
                    }
                }
                return out;
            }
        };
        IngestReport report = new IngestJob(nanForA, new ImageIoDecoder(), ContentReader.FILES, index, options()).run();
        assertThat(report.indexed()).isOne();
        assertThat(report.failed()).isEqualTo(2);
        assertThat(byPath(report).get("a.png").reason())
                .contains("invalid embedding")
                .contains("is NaN");
        assertThat(byPath(report)).containsKey("copy-of-a.png");
    }

    @Test
    void documentsAreWrittenInBatchesOneUpsertPerEncoderBatch() throws IOException {
        for (int i = 0; i < 24; i++) {
            TestImages.write(source, "img-" + i + ".png", i);
        }
        List<Integer> batches = new CopyOnWriteArrayList<>();
        VectorIndex counting = new ForwardingIndex(index) {
            @Override
            public void upsertAll(List<ImageDocument> documents) throws IOException {
                batches.add(documents.size());
                super.upsertAll(documents);
            }
        };
        FakeEmbedder embedder = new FakeEmbedder();
        IngestReport report =
                new IngestJob(embedder, new ImageIoDecoder(), ContentReader.FILES, counting, options()).run();
        assertThat(report.indexed()).isEqualTo(24);
        assertThat(batches.stream().mapToInt(Integer::intValue).sum()).isEqualTo(24);
        assertThat(batches).hasSizeLessThanOrEqualTo(embedder.batches.get());
    }

    @Test
    void aDocumentTheBackendRefusesFailsOnlyItsOwnFileNotItsBatch() throws IOException {
        for (int i = 0; i < 8; i++) {
            TestImages.write(source, "img-" + i + ".png", i);
        }
        VectorIndex picky = new ForwardingIndex(index) {
            @Override
            public void upsertAll(List<ImageDocument> documents) throws IOException {
                for (ImageDocument d : documents) {
                    if (d.path().equals("img-3.png")) {
                        throw new IllegalArgumentException("document of 'img-3.png' breaks a backend rule");
                    }
                }
                super.upsertAll(documents);
            }
        };
        IngestReport report =
                new IngestJob(new FakeEmbedder(), new ImageIoDecoder(), ContentReader.FILES, picky, options()).run();
        assertThat(report.indexed()).isEqualTo(7);
        assertThat(report.failed()).isOne();
        assertThat(byPath(report).get("img-3.png").code()).isEqualTo("encode_failed");
        assertThat(byPath(report).get("img-3.png").reason()).contains("breaks a backend rule");
        assertThat(pathCounts()).hasSize(7).doesNotContainKey("img-3.png");
    }

    @Test
    void aChangedFileThatNoLongerDecodesLosesItsOldDocument() throws IOException {
        Path file = TestImages.write(source, "a.png", 1);
        ingest(new FakeEmbedder());
        Files.writeString(file, "not an image any more");
        Files.setLastModifiedTime(
                file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 5000));
        IngestReport report = ingest(new FakeEmbedder());
        assertThat(report.failed()).isOne();
        assertThat(report.documents()).isZero();
    }

    @Test
    void commitsEveryNDocumentsWithACheckpointAndOnceAtTheEnd() throws IOException {
        for (int i = 0; i < 25; i++) {
            TestImages.write(source, "img-" + i + ".png", i);
        }
        List<String> commits = new CopyOnWriteArrayList<>();
        VectorIndex counting = new ForwardingIndex(index) {
            @Override
            public void commit(@Nullable String checkpoint) throws IOException {
                commits.add(checkpoint);
                super.commit(checkpoint);
            }
        };
        IngestReport report = new IngestJob(
                        new FakeEmbedder(),
                        new ImageIoDecoder(),
                        ContentReader.FILES,
                        counting,
                        options().withCommitEvery(10))
                .run();
        assertThat(report.indexed()).isEqualTo(25);
        assertThat(commits).hasSizeBetween(3, 4);
        JsonMapper json = JsonMapper.builder().build();
        JsonNode first = json.readTree(commits.get(0));
        assertThat(first.path("complete").asBoolean()).isFalse();
        assertThat(first.path("indexed").asLong()).isGreaterThanOrEqualTo(10);
        JsonNode last = json.readTree(commits.get(commits.size() - 1));
        assertThat(last.path("complete").asBoolean()).isTrue();
        assertThat(last.path("indexed").asLong()).isEqualTo(25);
        assertThat(last.path("run").asString()).isEqualTo(first.path("run").asString());
    }

    @Test
    void aTimeBasedCommitHappensWhenDocumentsArriveSlowly() throws IOException {
        for (int i = 0; i < 10; i++) {
            TestImages.write(source, "img-" + i + ".png", i);
        }
        AtomicInteger commits = new AtomicInteger();
        VectorIndex counting = new ForwardingIndex(index) {
            @Override
            public void commit(@Nullable String checkpoint) throws IOException {
                commits.incrementAndGet();
                super.commit(checkpoint);
            }
        };
        IngestOptions options = options().withBatchSize(1).withWorkers(1).withCommitInterval(Duration.ofMillis(50));
        new IngestJob(new FakeEmbedder(80, t -> false), new ImageIoDecoder(), ContentReader.FILES, counting, options)
                .run();
        // commitEvery is 1000: every commit but the last is time-based.
        assertThat(commits.get()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void backpressureBoundsTheImagesInFlightWhenTheEncoderIsSlow() throws IOException {
        for (int i = 0; i < 60; i++) {
            TestImages.write(source, "img-" + i + ".png", i);
        }
        FakeEmbedder slow = new FakeEmbedder(5, t -> false);
        IngestReport report = ingest(slow, options().withBatchSize(4).withWorkers(3));
        assertThat(report.indexed()).isEqualTo(60);
        // Preprocessed but not yet encoded: the tensor queue (2B), one batch being encoded, one per worker.
        assertThat(slow.maxInFlight.get()).isLessThanOrEqualTo(2 * 4 + 4 + 3);
        assertThat(report.timings().workersBlocked()).isGreaterThan(0);
        assertThat(report.timings().encode()).isGreaterThan(0);
    }

    @Test
    void decodesOfImagesLargerThanTheMemoryBudgetRunOneAtATime() throws IOException {
        for (int i = 0; i < 12; i++) {
            TestImages.write(source, "img-" + i + ".png", i);
        }
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        Decoder plain = new ImageIoDecoder();
        Decoder huge = new Decoder() {
            @Override
            public io.koclip.search.image.DecodedImage decode(byte[] bytes, Duration budget)
                    throws ImageRejectedException {
                maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(20);
                    return plain.decode(bytes, budget);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                } finally {
                    running.decrementAndGet();
                }
            }

            @Override
            public long decodeMemoryEstimate(byte[] bytes) {
                return Long.MAX_VALUE / 2; // more than any heap: each decode takes the whole budget
            }
        };
        IngestReport report = new IngestJob(
                        new FakeEmbedder(),
                        huge,
                        ContentReader.FILES,
                        index,
                        options().withWorkers(4))
                .run();
        assertThat(report.indexed()).isEqualTo(12);
        assertThat(maxRunning.get()).isOne();
    }

    @Test
    void theDecodeMemoryBudgetIsHalfTheHeapAndCapsAReservation() throws InterruptedException {
        DecodeMemory memory = DecodeMemory.forHeap(1L << 30);
        assertThat(memory.totalMiB()).isEqualTo(512);
        assertThat(DecodeMemory.forHeap(16L << 20).totalMiB()).isEqualTo(64);
        int twelveMegapixels = memory.reserve(8L * 4000 * 3000, null);
        assertThat(twelveMegapixels).isEqualTo(92);
        assertThat(memory.availableMiB()).isEqualTo(512 - 92);
        memory.release(twelveMegapixels);
        int everything = memory.reserve(Long.MAX_VALUE, null); // larger than the budget: all of it, alone
        assertThat(everything).isEqualTo(512);
        assertThat(memory.availableMiB()).isZero();
        memory.release(everything);
    }

    @Test
    void progressIsReportedAndCancellationIsCooperative() throws IOException {
        for (int i = 0; i < 40; i++) {
            TestImages.write(source, "img-" + String.format("%02d", i) + ".png", i);
        }
        AtomicBoolean cancel = new AtomicBoolean();
        List<IngestProgress> seen = new CopyOnWriteArrayList<>();
        FakeEmbedder slow = new FakeEmbedder(40, t -> false);
        IngestJob job = new IngestJob(
                slow,
                new ImageIoDecoder(),
                ContentReader.FILES,
                index,
                options().withBatchSize(2).withWorkers(1));
        assertThat(job.progress().phase()).isEqualTo(IngestProgress.Phase.IDLE);
        IngestReport report = job.run(
                progress -> {
                    seen.add(progress);
                    if (progress.indexed() >= 6) {
                        cancel.set(true);
                    }
                },
                cancel::get);
        assertThat(report.cancelled()).isTrue();
        assertThat(report.indexed()).isBetween(6L, 39L);
        assertThat(report.documents()).isEqualTo(report.indexed());
        assertThat(seen).isNotEmpty();
        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i).done())
                    .isGreaterThanOrEqualTo(seen.get(i - 1).done());
            assertThat(seen.get(i).done()).isLessThanOrEqualTo(seen.get(i).total());
        }
        assertThat(seen.get(seen.size() - 1).phase()).isEqualTo(IngestProgress.Phase.FINISHED);
        assertThat(job.progress().phase()).isEqualTo(IngestProgress.Phase.FINISHED);
        JsonNode checkpoint =
                JsonMapper.builder().build().readTree(index.metadata().checkpoint());
        assertThat(checkpoint.path("complete").asBoolean()).isFalse();
        assertThat(checkpoint.path("cancelled").asBoolean()).isTrue();

        // The next run resumes: it skips what was committed and finishes the rest, each file once.
        IngestReport resumed = ingest(new FakeEmbedder());
        assertThat(resumed.resumed()).isTrue();
        assertThat(resumed.unchanged()).isEqualTo(report.indexed());
        assertThat(resumed.indexed()).isEqualTo(40 - report.indexed());
        assertThat(pathCounts())
                .hasSize(40)
                .allSatisfy((path, count) -> assertThat(count).isOne());
    }

    @Test
    void theSourceMustBeAFolder() throws IOException {
        IngestOptions missing = IngestOptions.defaults(tmp.resolve("nope"));
        IngestJob job = new IngestJob(new FakeEmbedder(), new ImageIoDecoder(), ContentReader.FILES, index, missing);
        assertThatThrownBy(job::run)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a folder");
    }

    @Test
    void optionsAreValidatedWithMessagesNamingTheValue() {
        assertThatThrownBy(() -> IngestOptions.defaults(source).withBatchSize(0))
                .hasMessage("batchSize: 0 is not in [1, 1024]");
        assertThatThrownBy(() -> IngestOptions.defaults(source).withWorkers(1000))
                .hasMessage("workers: 1000 is not in [1, 256]");
        assertThatThrownBy(() -> IngestOptions.defaults(source).withDecodeTimeout(Duration.ZERO))
                .hasMessage("decodeTimeout: PT0S must be positive");
    }

    static Map<String, IngestFailure> byPath(IngestReport report) {
        Map<String, IngestFailure> map = new HashMap<>();
        report.failures().forEach(f -> map.put(f.path(), f));
        assertThat(map).hasSize(report.failures().size());
        return map;
    }

    /** Delegates everything; tests override what they observe. */
    static class ForwardingIndex implements VectorIndex {
        private final VectorIndex delegate;

        ForwardingIndex(VectorIndex delegate) {
            this.delegate = delegate;
        }

        @Override
        public IndexMetadata metadata() {
            return delegate.metadata();
        }

        @Override
        public void upsertAll(List<ImageDocument> documents) throws IOException {
            delegate.upsertAll(documents);
        }

        @Override
        public void deleteAll(Collection<String> ids) throws IOException {
            delegate.deleteAll(ids);
        }

        @Override
        public List<Hit> search(IndexQuery query) throws IOException {
            return delegate.search(query);
        }

        @Override
        public Optional<ImageDocument> get(String id) throws IOException {
            return delegate.get(id);
        }

        @Override
        public void refresh() throws IOException {
            delegate.refresh();
        }

        @Override
        public void commit(@Nullable String checkpoint) throws IOException {
            delegate.commit(checkpoint);
        }

        @Override
        public IndexStats stats() throws IOException {
            return delegate.stats();
        }

        @Override
        public Optional<IndexedFile> indexedFile(String id) throws IOException {
            return delegate.indexedFile(id);
        }

        @Override
        public Optional<ImageDocument> findByContentHash(String contentHash) throws IOException {
            return delegate.findByContentHash(contentHash);
        }

        @Override
        public void forEachIndexedFile(Consumer<IndexedFile> action) throws IOException {
            delegate.forEachIndexedFile(action);
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }
}
