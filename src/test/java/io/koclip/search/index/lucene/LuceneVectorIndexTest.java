package io.koclip.search.index.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.koclip.search.index.DocumentIds;
import io.koclip.search.index.Hit;
import io.koclip.search.index.ImageDocument;
import io.koclip.search.index.IndexCheck;
import io.koclip.search.index.IndexDamage;
import io.koclip.search.index.IndexMetadata;
import io.koclip.search.index.IndexModelMismatchException;
import io.koclip.search.index.IndexNotFoundException;
import io.koclip.search.index.IndexOptions;
import io.koclip.search.index.IndexSpec;
import io.koclip.search.index.IndexedFile;
import io.koclip.search.index.ModelIdentity;
import io.koclip.search.index.SearchFilter;
import io.koclip.search.index.VectorFormat;
import io.koclip.search.index.VectorIndex;
import io.koclip.search.index.VectorQuery;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class LuceneVectorIndexTest {
    static final int DIM = 32;
    static final ModelIdentity MODEL = new ModelIdentity("test-model", "f00d", DIM);

    @TempDir
    Path dir;

    static float[] unit(Random random) {
        float[] v = new float[DIM];
        double sum = 0;
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) random.nextGaussian();
            sum += v[i] * v[i];
        }
        float inverse = (float) (1 / Math.sqrt(sum));
        for (int i = 0; i < DIM; i++) {
            v[i] *= inverse;
        }
        return v;
    }

    static ImageDocument doc(String path, float[] vector) {
        return doc(path, vector, 100, 80, "jpeg", 1_000L);
    }

    static ImageDocument doc(String path, float[] vector, int width, int height, String format, long modified) {
        return new ImageDocument(
                DocumentIds.forPath(path),
                path,
                "hash-of-" + path,
                width,
                height,
                1234,
                modified,
                format,
                null,
                vector);
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    @Test
    void upsertGetAndSearchRoundTrip() throws IOException {
        Random random = new Random(1);
        float[] a = unit(random);
        float[] b = unit(random);
        try (VectorIndex index = new LuceneBackend(dir).open(new IndexSpec(MODEL, IndexOptions.defaults()))) {
            index.upsert(doc("set/a.jpg", a));
            index.upsert(doc("set/b.jpg", b));
            index.refresh();
            ImageDocument got = index.get(DocumentIds.forPath("set/a.jpg")).orElseThrow();
            assertThat(got.path()).isEqualTo("set/a.jpg");
            assertThat(got.width()).isEqualTo(100);
            assertThat(got.vector()).containsExactly(a);
            List<Hit> hits = index.search(new VectorQuery(a, 2, 100, SearchFilter.NONE));
            assertThat(hits).extracting(h -> h.document().path()).containsExactly("set/a.jpg", "set/b.jpg");
            assertThat(hits.get(0).score()).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(hits.get(1).score()).isCloseTo((float) dot(a, b), org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(hits.get(0).document().vector()).isNull();
        }
    }

    @Test
    void upsertReplacesTheDocumentWithTheSameId() throws IOException {
        Random random = new Random(2);
        try (VectorIndex index = new LuceneBackend(dir).open(new IndexSpec(MODEL, IndexOptions.defaults()))) {
            index.upsert(doc("a.jpg", unit(random)));
            float[] second = unit(random);
            index.upsert(doc("a.jpg", second));
            index.refresh();
            assertThat(index.stats().documents()).isEqualTo(1);
            assertThat(index.get(DocumentIds.forPath("a.jpg")).orElseThrow().vector())
                    .containsExactly(second);
            index.delete(DocumentIds.forPath("a.jpg"));
            index.delete("no-such-id");
            index.refresh();
            assertThat(index.stats().documents()).isZero();
        }
    }

    @Test
    void writesBecomeVisibleOnRefreshAndDurableOnCommit() throws IOException {
        Random random = new Random(3);
        try (VectorIndex index = new LuceneBackend(dir).open(new IndexSpec(MODEL, IndexOptions.defaults()))) {
            index.upsert(doc("a.jpg", unit(random)));
            assertThat(index.stats().documents()).isZero();
            index.refresh();
            assertThat(index.stats().documents()).isOne();
            index.commit("{\"documents\":1}");
            assertThat(index.stats().metadata().checkpoint()).isEqualTo("{\"documents\":1}");
        }
        Map<String, String> data;
        try (org.apache.lucene.store.Directory directory = org.apache.lucene.store.FSDirectory.open(dir)) {
            data = org.apache.lucene.index.SegmentInfos.readLatestCommit(directory)
                    .getUserData();
        }
        assertThat(data)
                .containsEntry("model.name", "test-model")
                .containsEntry("model.fingerprint", "f00d")
                .containsEntry("model.dimension", "32")
                .containsEntry("index.vectors", "float32")
                .containsEntry("ingest.checkpoint", "{\"documents\":1}");
    }

    /** Seeded random vectors: HNSW top 10 against brute force, for every vector format. */
    @ParameterizedTest
    @EnumSource(VectorFormat.class)
    void searchAgreesWithBruteForce(VectorFormat format) throws IOException {
        // Replay a failure with -Dtests.seed=<seed>.
        long seed = Long.getLong("tests.seed", new Random().nextLong());
        System.out.println("searchAgreesWithBruteForce(" + format + ") seed=" + seed);
        Random random = new Random(seed);
        List<float[]> vectors = new ArrayList<>();
        try (VectorIndex index = new LuceneBackend(dir).open(new IndexSpec(MODEL, new IndexOptions(format, 16, 100)))) {
            for (int i = 0; i < 500; i++) {
                float[] v = unit(random);
                vectors.add(v);
                index.upsert(doc("img-" + i + ".jpg", v));
            }
            index.commit(null);
            int found = 0;
            int queries = 20;
            for (int q = 0; q < queries; q++) {
                float[] query = unit(random);
                Set<String> truth = new HashSet<>();
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < vectors.size(); i++) {
                    order.add(i);
                }
                order.sort(Comparator.comparingDouble(i -> -dot(query, vectors.get(i))));
                order.subList(0, 10).forEach(i -> truth.add("img-" + i + ".jpg"));
                List<Hit> hits = index.search(new VectorQuery(query, 10, 100, SearchFilter.NONE));
                assertThat(hits).hasSize(10);
                for (int i = 1; i < hits.size(); i++) {
                    assertThat(hits.get(i).score())
                            .isLessThanOrEqualTo(hits.get(i - 1).score());
                }
                found += (int) hits.stream()
                        .filter(h -> truth.contains(h.document().path()))
                        .count();
                // A stored vector queried for itself comes back first, in every format (exact rescoring).
                float[] self = vectors.get(q);
                assertThat(index.search(new VectorQuery(self, 1, 100, SearchFilter.NONE))
                                .get(0)
                                .document()
                                .path())
                        .as("seed %d", seed)
                        .isEqualTo("img-" + q + ".jpg");
            }
            double recall = found / (10.0 * queries);
            assertThat(recall)
                    .as("recall@10 of %s, seed %d", format, seed)
                    .isGreaterThanOrEqualTo(format == VectorFormat.BBQ ? 0.7 : 0.9);
        }
        assertThat(new LuceneBackend(dir).check(null).clean()).isTrue();
    }

    /**
     * The unfiltered float32 search walks the leaf's graph with a collector (one segment) or runs the
     * query (several); a filter that every document passes goes through KnnFloatVectorQuery with the
     * filter. All must give the same hits with the same scores.
     */
    @Test
    void theLeafSearchAndTheQueryGiveTheSameHits() throws IOException {
        Random random = new Random(7);
        SearchFilter everything = new SearchFilter(null, 1, null, null, null, Set.of());
        LuceneBackend backend = new LuceneBackend(dir);
        try (VectorIndex index = backend.open(new IndexSpec(MODEL, IndexOptions.defaults()))) {
            for (int i = 0; i < 400; i++) {
                index.upsert(doc("set/img-" + i + ".jpg", unit(random)));
                if (i % 100 == 99) {
                    index.commit(null); // several segments
                }
            }
            index.commit(null);
        }
        for (boolean merged : new boolean[] {false, true}) {
            if (merged) {
                backend.forceMerge(1, 1);
            }
            try (VectorIndex index = backend.openReadOnly(MODEL)) {
                for (int q = 0; q < 20; q++) {
                    float[] query = unit(random);
                    List<Hit> leaf = index.search(new VectorQuery(query, 10, 50, SearchFilter.NONE));
                    List<Hit> filtered = index.search(new VectorQuery(query, 10, 50, everything));
                    assertThat(leaf).hasSize(10);
                    assertThat(leaf)
                            .extracting(h -> h.document().path())
                            .as("merged %s, query %d", merged, q)
                            .containsExactlyElementsOf(filtered.stream()
                                    .map(h -> h.document().path())
                                    .toList());
                    for (int i = 0; i < leaf.size(); i++) {
                        assertThat(leaf.get(i).score())
                                .isEqualTo(filtered.get(i).score());
                        assertThat(leaf.get(i).document())
                                .isEqualTo(filtered.get(i).document());
                    }
                }
            }
        }
    }

    /**
     * Hits are read from the display doc-values record; a document without one (written before the
     * record existed) is read from stored fields, and the caption always is. Both give the same document.
     */
    @Test
    void hitsReadTheDisplayRecordOrFallBackToStoredFields() throws IOException {
        Random random = new Random(3);
        float[] captioned = unit(random);
        float[] old = unit(random);
        ImageDocument withCaption = new ImageDocument(
                "id-1",
                "a/b c/한글.jpg",
                "hash-1",
                640,
                480,
                98_765L,
                -5L,
                "jpeg",
                java.util.Map.of(
                        io.koclip.search.text.TextSource.CAPTION, "바다 위의 배",
                        io.koclip.search.text.TextSource.PATH_WORDS, "b c 한글"),
                "stamp-1",
                captioned);
        ImageDocument before = new ImageDocument("id-2", "old/x.png", "hash-2", 1, 2, 3, 4, "png", null, old);
        try (org.apache.lucene.store.Directory directory = org.apache.lucene.store.FSDirectory.open(dir);
                org.apache.lucene.index.IndexWriter writer = new org.apache.lucene.index.IndexWriter(
                        directory,
                        new org.apache.lucene.index.IndexWriterConfig()
                                .setCodec(LuceneVectorIndex.codec(VectorFormat.FLOAT32, 16, 100)))) {
            writer.addDocument(LuceneSchema.toLucene(withCaption));
            org.apache.lucene.document.Document noRecord = LuceneSchema.toLucene(before);
            noRecord.removeField(LuceneSchema.DISPLAY);
            writer.addDocument(noRecord);
            writer.setLiveCommitData(
                    LuceneSchema.commitData(new IndexMetadata(MODEL, VectorFormat.FLOAT32, 16, 100, null))
                            .entrySet());
            writer.commit();
        }
        try (VectorIndex index = new LuceneBackend(dir).openReadOnly(MODEL)) {
            assertThat(index.search(new VectorQuery(captioned, 1, 10, SearchFilter.NONE)))
                    .singleElement()
                    .satisfies(h -> assertThat(h.document()).isEqualTo(withoutVector(withCaption)));
            assertThat(index.search(new VectorQuery(old, 1, 10, SearchFilter.NONE)))
                    .singleElement()
                    .satisfies(h -> assertThat(h.document()).isEqualTo(withoutVector(before)));
        }
        org.apache.lucene.util.BytesRef record = LuceneSchema.display(withCaption);
        assertThat(LuceneSchema.readableDisplay(record)).isTrue();
        assertThat(LuceneSchema.displayHasText(record)).isTrue();
        assertThat(LuceneSchema.displayHasText(LuceneSchema.display(before))).isFalse();
        record.bytes[record.offset] = 99; // another record version: not read
        assertThat(LuceneSchema.readableDisplay(record)).isFalse();
    }

    private static ImageDocument withoutVector(ImageDocument d) {
        return new ImageDocument(
                d.id(),
                d.path(),
                d.contentHash(),
                d.width(),
                d.height(),
                d.bytes(),
                d.modified(),
                d.format(),
                d.text(),
                d.textStamp(),
                null);
    }

    @Test
    void filtersApplyInsideTheKnnSearch() throws IOException {
        Random random = new Random(4);
        float[] query = unit(random);
        try (VectorIndex index = new LuceneBackend(dir).open(new IndexSpec(MODEL, IndexOptions.defaults()))) {
            index.upsert(doc("a/1.jpg", unit(random), 100, 100, "jpeg", 1000));
            index.upsert(doc("a/2.png", unit(random), 2000, 100, "png", 2000));
            index.upsert(doc("b/3.jpg", unit(random), 2000, 1500, "jpeg", 3000));
            index.upsert(doc("b/4.webp", unit(random), 50, 50, "webp", 4000));
            index.refresh();
            assertThat(paths(index, query, new SearchFilter("a/", null, null, null, null, Set.of())))
                    .containsExactlyInAnyOrder("a/1.jpg", "a/2.png");
            assertThat(paths(index, query, new SearchFilter(null, 1000, null, null, null, Set.of())))
                    .containsExactlyInAnyOrder("a/2.png", "b/3.jpg");
            assertThat(paths(index, query, new SearchFilter(null, null, 1000, null, null, Set.of())))
                    .containsExactly("b/3.jpg");
            assertThat(paths(index, query, new SearchFilter(null, null, null, 2000L, 3000L, Set.of())))
                    .containsExactlyInAnyOrder("a/2.png", "b/3.jpg");
            assertThat(paths(index, query, new SearchFilter(null, null, null, null, null, Set.of("WEBP", "png"))))
                    .containsExactlyInAnyOrder("a/2.png", "b/4.webp");
            assertThat(paths(index, query, new SearchFilter("b/", 1000, null, null, null, Set.of("jpeg"))))
                    .containsExactly("b/3.jpg");
        }
    }

    private static List<String> paths(VectorIndex index, float[] query, SearchFilter filter) throws IOException {
        return index.search(new VectorQuery(query, 10, 100, filter)).stream()
                .map(h -> h.document().path())
                .toList();
    }

    @Test
    void vectorsAreCheckedAtTheBoundaryWithMessagesNamingTheValue() throws IOException {
        try (VectorIndex index = new LuceneBackend(dir).open(new IndexSpec(MODEL, IndexOptions.defaults()))) {
            assertThatThrownBy(() -> index.upsert(doc("short.jpg", new float[3])))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("vector of 'short.jpg' dimension: 3 differs from the index's dimension: 32");
            float[] nan = unit(new Random(5));
            nan[7] = Float.NaN;
            assertThatThrownBy(() -> index.upsert(doc("nan.jpg", nan)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("vector of 'nan.jpg'[7] is NaN");
            float[] longer = unit(new Random(6));
            for (int i = 0; i < longer.length; i++) {
                longer[i] *= 2;
            }
            assertThatThrownBy(() -> index.upsert(doc("long.jpg", longer)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("vector of 'long.jpg' has L2 norm 2.000000,");
            assertThatThrownBy(() -> index.search(new VectorQuery(new float[DIM], 3, 100, SearchFilter.NONE)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("query vector has L2 norm 0.000000,");
            float[] almost = unit(new Random(7));
            for (int i = 0; i < almost.length; i++) {
                almost[i] *= 1.0009f;
            }
            index.upsert(doc("almost.jpg", almost)); // within 1e-3 of unit length
        }
    }

    @Test
    void anotherModelIsRefusedWithAnErrorThatSaysToReindex() throws IOException {
        try (VectorIndex index = new LuceneBackend(dir).open(new IndexSpec(MODEL, IndexOptions.defaults()))) {
            index.upsert(doc("a.jpg", unit(new Random(8))));
        }
        ModelIdentity other = new ModelIdentity("test-model", "beef", DIM);
        assertThatThrownBy(() -> new LuceneBackend(dir).open(new IndexSpec(other, IndexOptions.defaults())))
                .isInstanceOf(IndexModelMismatchException.class)
                .hasMessageContaining("fingerprint f00d")
                .hasMessageContaining("fingerprint beef")
                .hasMessageContaining("Reindex");
        assertThatThrownBy(() -> new LuceneBackend(dir).openReadOnly(new ModelIdentity("koclip-base", "1", 512)))
                .isInstanceOf(IndexModelMismatchException.class)
                .hasMessageContaining("'test-model'")
                .hasMessageContaining("'koclip-base'");
        // The refused opens left the index as it was.
        assertThat(new LuceneBackend(dir).check(null).documents()).isOne();
    }

    @Test
    void theVectorFormatIsFixedAtCreationAndRecorded() throws IOException {
        try (VectorIndex index =
                new LuceneBackend(dir).open(new IndexSpec(MODEL, new IndexOptions(VectorFormat.INT8, 8, 50)))) {
            index.upsert(doc("a.jpg", unit(new Random(9))));
        }
        IndexMetadata recorded = new LuceneBackend(dir).metadata().orElseThrow();
        assertThat(recorded.vectors()).isEqualTo(VectorFormat.INT8);
        assertThat(recorded.m()).isEqualTo(8);
        assertThat(recorded.beamWidth()).isEqualTo(50);
        assertThatThrownBy(() -> new LuceneBackend(dir)
                        .open(new IndexSpec(MODEL, IndexOptions.defaults().withVectors(VectorFormat.BBQ))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stores int8 vectors; bbq was asked for")
                .hasMessageContaining("reindex");
        // Without an explicit format the recorded one is used.
        try (VectorIndex index = new LuceneBackend(dir).open(new IndexSpec(MODEL, IndexOptions.defaults()))) {
            assertThat(index.metadata().vectors()).isEqualTo(VectorFormat.INT8);
            assertThat(index.stats().documents()).isOne();
        }
    }

    @Test
    void aReadOnlyIndexSeesAnotherWritersCommitsAfterRefresh() throws IOException {
        assertThatThrownBy(() -> new LuceneBackend(dir.resolve("missing")).openReadOnly(MODEL))
                .isInstanceOf(IndexNotFoundException.class)
                .hasMessageContaining("run `ingest");
        Random random = new Random(10);
        try (VectorIndex writer = new LuceneBackend(dir).open(new IndexSpec(MODEL, IndexOptions.defaults()));
                VectorIndex reader = new LuceneBackend(dir).openReadOnly(MODEL)) {
            assertThat(reader.stats().documents()).isZero();
            writer.upsert(doc("a.jpg", unit(random)));
            writer.commit("x");
            assertThat(reader.stats().documents()).isZero();
            reader.refresh();
            assertThat(reader.stats().documents()).isOne();
            assertThat(reader.stats().metadata().checkpoint()).isEqualTo("x");
            assertThatThrownBy(() -> reader.upsert(doc("b.jpg", unit(random))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("read-only");
            assertThatThrownBy(() -> new LuceneBackend(dir).open(new IndexSpec(MODEL, IndexOptions.defaults())))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("write.lock");
        }
    }

    @Test
    void incrementalLookupsByIdAndContentAndIteration() throws IOException {
        Random random = new Random(11);
        float[] a = unit(random);
        try (VectorIndex index = new LuceneBackend(dir).open(new IndexSpec(MODEL, IndexOptions.defaults()))) {
            index.upsert(new ImageDocument(
                    DocumentIds.forPath("x/a.jpg"), "x/a.jpg", "aaaa", 10, 20, 555, 777, "jpeg", "빨간 원", a));
            index.upsert(doc("x/b.jpg", unit(random)));
            index.refresh();
            IndexedFile file = index.indexedFile(DocumentIds.forPath("x/a.jpg")).orElseThrow();
            assertThat(file).isEqualTo(new IndexedFile(DocumentIds.forPath("x/a.jpg"), "x/a.jpg", "aaaa", 555, 777));
            assertThat(index.indexedFile("nope")).isEmpty();
            ImageDocument same = index.findByContentHash("aaaa").orElseThrow();
            assertThat(same.vector()).containsExactly(a);
            assertThat(same.caption()).isEqualTo("빨간 원");
            assertThat(index.findByContentHash("bbbb")).isEmpty();
            List<String> seen = new ArrayList<>();
            index.forEachIndexedFile(f -> {
                seen.add(f.path());
                try {
                    index.delete(f.id()); // deleting while iterating is allowed
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertThat(seen).containsExactlyInAnyOrder("x/a.jpg", "x/b.jpg");
            index.refresh();
            assertThat(index.stats().documents()).isZero();
        }
    }

    @ParameterizedTest(name = "{0} merge worker(s)")
    @ValueSource(ints = {1, 2})
    void forceMergeLeavesOneCleanSegmentWithTheSameDocumentsAndCommitData(int mergeWorkers) throws IOException {
        Random random = new Random(13);
        float[] probe = unit(random);
        try (VectorIndex index =
                new LuceneBackend(dir).open(new IndexSpec(MODEL, new IndexOptions(VectorFormat.INT8, 8, 50)))) {
            // Segments above Lucene's graph threshold (100 vectors), so the merge builds a graph.
            for (int batch = 0; batch < 3; batch++) {
                for (int i = 0; i < 150; i++) {
                    index.upsert(doc("b" + batch + "/" + i + ".jpg", batch == 0 && i == 0 ? probe : unit(random)));
                }
                index.commit("batch " + batch);
            }
        }
        assertThat(new LuceneBackend(dir).check(null).segments()).isEqualTo(3);
        new LuceneBackend(dir).forceMerge(1, mergeWorkers);
        IndexCheck check = new LuceneBackend(dir).check(null);
        assertThat(check.clean()).isTrue();
        assertThat(check.segments()).isOne();
        assertThat(check.documents()).isEqualTo(450);
        assertThat(check.metadata().checkpoint()).isEqualTo("batch 2");
        assertThat(check.metadata().vectors()).isEqualTo(VectorFormat.INT8);
        try (VectorIndex index = new LuceneBackend(dir).open(new IndexSpec(MODEL, IndexOptions.defaults()))) {
            assertThat(index.search(new VectorQuery(probe, 1, 100, SearchFilter.NONE))
                            .get(0)
                            .document()
                            .path())
                    .isEqualTo("b0/0.jpg");
        }
        assertThatThrownBy(() -> new LuceneBackend(dir).forceMerge(0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxSegments: 0");
        assertThatThrownBy(() -> new LuceneBackend(dir).forceMerge(1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mergeWorkers: 0");
    }

    @Test
    void checkReportsACleanIndexAndACorruptOne() throws IOException {
        Random random = new Random(12);
        try (VectorIndex index = new LuceneBackend(dir).open(new IndexSpec(MODEL, IndexOptions.defaults()))) {
            for (int i = 0; i < 50; i++) {
                index.upsert(doc("i" + i + ".jpg", unit(random)));
            }
        }
        IndexCheck clean = new LuceneBackend(dir).check(null);
        assertThat(clean.clean()).isTrue();
        assertThat(clean.documents()).isEqualTo(50);
        assertThat(clean.problems()).isEmpty();
        assertThat(clean.metadata().model().name()).isEqualTo("test-model");

        // Flip a byte in the middle of the biggest segment file: checksums catch it.
        IndexDamage.corruptBiggestFile(dir);
        IndexCheck broken = new LuceneBackend(dir).check(null);
        assertThat(broken.clean()).isFalse();
        assertThat(broken.problems()).isNotEmpty();
        assertThat(new LuceneBackend(dir.resolve("nothing-here")).check(null).clean())
                .isFalse();
    }

    @Test
    void documentIdsAreStableUrlSafeAndDistinct() {
        String id = DocumentIds.forPath("사진/빨간 원 001.jpg");
        assertThat(id).matches("[A-Za-z0-9_-]{22}");
        assertThat(DocumentIds.forPath("사진/빨간 원 001.jpg")).isEqualTo(id);
        assertThat(DocumentIds.forPath("사진/빨간 원 002.jpg")).isNotEqualTo(id);
        // Golden value: ids must never change between versions, or every index would be rebuilt.
        assertThat(DocumentIds.forPath("a/b.jpg")).isEqualTo("SlFjYkbnxBi7kl7phJKVCg");
        assertThatThrownBy(() -> DocumentIds.forPath("/a/b.jpg")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DocumentIds.forPath("")).isInstanceOf(IllegalArgumentException.class);
    }
}
