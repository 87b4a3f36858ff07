package io.koclip.search.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.koclip.search.model.Embeddings;
import io.koclip.search.search.LiveIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every {@link IndexBackend} passes, in the manner of Lucene's
 * {@code BaseKnnVectorsFormatTestCase}: each backend's test subclasses it and says how to make a
 * fresh backend. Writes, deletes, look-ups, scans, kNN recall against brute force on clustered
 * vectors, every filter, lexical queries, metadata round trips, the model check, read-only views and
 * the reindex protocol with searches running during the switch.
 *
 * <p>Random tests print their seed; replay one with {@code -Dtests.seed=<seed>}.
 */
public abstract class IndexBackendContract {
    protected static final int DIM = 16;
    protected static final ModelIdentity MODEL = new ModelIdentity("contract-model", "c0ffee", DIM);

    @TempDir
    protected Path folder;

    protected IndexBackend backend;

    /** A backend with no index yet, its live index (if it needs storage) under {@code folder}. */
    protected abstract IndexBackend newBackend(Path folder) throws IOException;

    /**
     * The vector formats the backend stores (every format unless overridden). The metadata test records a
     * non-default one when the backend has one; every other format must be refused on open.
     */
    protected Set<VectorFormat> supportedFormats() {
        return EnumSet.allOf(VectorFormat.class);
    }

    @BeforeEach
    void createBackend() throws IOException {
        backend = newBackend(folder);
    }

    protected static long seed(String test) {
        long seed = Long.getLong("tests.seed", new Random().nextLong());
        System.out.println(test + " seed=" + seed);
        return seed;
    }

    protected static float[] randomUnit(Random random) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return Embeddings.normalizeInPlace(v);
    }

    protected static ImageDocument doc(String id, String path, String hash, float[] vector) {
        return new ImageDocument(id, path, hash, 64, 48, 1000, 1_700_000_000_000L, "png", null, vector);
    }

    private static ImageDocument doc(int i, float[] vector) {
        String[] formats = {"jpeg", "png", "webp"};
        return new ImageDocument(
                "d" + i,
                (i % 2 == 0 ? "even/" : "odd/") + i + ".img",
                "h" + i,
                100 + (i % 10) * 100,
                50 + (i % 7) * 100,
                1000 + i,
                1_700_000_000_000L + i * 1000L,
                formats[i % 3],
                null,
                vector);
    }

    @Test
    void writesDeletesAndLookUps() throws IOException {
        Random random = new Random(1);
        float[] a = randomUnit(random);
        try (VectorIndex index = backend.open(IndexSpec.of(MODEL))) {
            index.upsertAll(List.of(doc("a", "x/a.png", "ha", a), doc("b", "x/b.png", "hb", randomUnit(random))));
            index.upsert(doc("c", "y/c.png", "hc", randomUnit(random)));
            index.refresh();
            assertThat(index.stats().documents()).isEqualTo(3);
            ImageDocument got = index.get("a").orElseThrow();
            assertThat(got.path()).isEqualTo("x/a.png");
            assertThat(got.vector()).containsExactly(a);
            assertThat(index.indexedFile("b").orElseThrow().contentHash()).isEqualTo("hb");
            assertThat(index.findByContentHash("hc").orElseThrow().id()).isEqualTo("c");
            assertThat(index.findByContentHash("nope")).isEmpty();

            // an upsert replaces, a delete removes, absent ids are ignored
            index.upsert(doc("a", "x/a2.png", "ha2", a));
            index.deleteAll(List.of("b", "never-there"));
            index.refresh();
            assertThat(index.stats().documents()).isEqualTo(2);
            assertThat(index.get("a").orElseThrow().path()).isEqualTo("x/a2.png");
            assertThat(index.get("b")).isEmpty();
            assertThat(index.indexedFile("b")).isEmpty();
        }
    }

    @Test
    void batchedIndexedFileLookUp() throws IOException {
        Random random = new Random(11);
        try (VectorIndex index = backend.open(IndexSpec.of(MODEL))) {
            List<ImageDocument> docs = new ArrayList<>();
            // more than one chunk of a remote engine's look-up (Solr: 100 ids per request)
            for (int i = 0; i < 250; i++) {
                docs.add(doc("id" + i, "d/" + i + ".png", "h" + i, randomUnit(random)));
            }
            index.upsertAll(docs);
            index.refresh();
            List<String> asked = new ArrayList<>();
            for (int i = 0; i < 300; i += 2) {
                asked.add("id" + i); // ids 250..298 are absent
            }
            asked.add("id0"); // a repeated id is answered once
            Map<String, IndexedFile> found = index.indexedFiles(asked);
            assertThat(found).hasSize(125);
            for (int i = 0; i < 250; i += 2) {
                IndexedFile file = found.get("id" + i);
                assertThat(file)
                        .as("id" + i)
                        .isEqualTo(index.indexedFile("id" + i).orElseThrow());
                assertThat(file.path()).isEqualTo("d/" + i + ".png");
                assertThat(file.contentHash()).isEqualTo("h" + i);
            }
            assertThat(found).doesNotContainKeys("id1", "id250", "id298");
            assertThat(index.indexedFiles(List.of("id1"))).containsOnlyKeys("id1");
            assertThat(index.indexedFiles(List.of("nope"))).isEmpty();
            assertThat(index.indexedFiles(List.of())).isEmpty();

            index.deleteAll(List.of("id0", "id2"));
            index.refresh();
            assertThat(index.indexedFiles(List.of("id0", "id2", "id4"))).containsOnlyKeys("id4");
        }
    }

    @Test
    void aBatchWithABadVectorWritesNothing() throws IOException {
        Random random = new Random(2);
        try (VectorIndex index = backend.open(IndexSpec.of(MODEL))) {
            float[] notUnit = randomUnit(random);
            notUnit[0] += 1;
            assertThatThrownBy(() -> index.upsertAll(List.of(
                            doc("good", "good.png", "g", randomUnit(random)), doc("bad", "bad.png", "b", notUnit))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("bad.png");
            assertThatThrownBy(() -> index.upsert(doc("short", "short.png", "s", new float[DIM - 1])))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("dimension");
            index.refresh();
            assertThat(index.get("good")).isEmpty();
            assertThat(index.stats().documents()).isZero();
        }
    }

    @Test
    void scanVisitsEveryLiveDocumentOnceAndToleratesDeletes() throws IOException {
        Random random = new Random(3);
        try (VectorIndex index = backend.open(IndexSpec.of(MODEL))) {
            List<ImageDocument> docs = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                docs.add(doc(i, randomUnit(random)));
            }
            index.upsertAll(docs);
            index.delete("d7");
            index.refresh();
            List<String> seen = new ArrayList<>();
            index.forEachIndexedFile(file -> {
                seen.add(file.id());
                if (file.id().endsWith("3")) {
                    try {
                        index.delete(file.id());
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
            assertThat(seen).hasSize(39).doesNotHaveDuplicates().doesNotContain("d7");
            index.refresh();
            assertThat(index.stats().documents()).isEqualTo(39 - 4); // d3, d13, d23, d33
        }
    }

    @Test
    void nearestNeighboursAgreeWithBruteForceOnClusteredVectors() throws IOException {
        Random random = new Random(seed("nearestNeighboursAgreeWithBruteForceOnClusteredVectors"));
        int n = 3000;
        float[][] centres = new float[12][];
        for (int c = 0; c < centres.length; c++) {
            centres[c] = randomUnit(random);
        }
        List<ImageDocument> docs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            docs.add(doc(i, clustered(centres[random.nextInt(centres.length)], random)));
        }
        try (VectorIndex index = backend.open(IndexSpec.of(MODEL))) {
            for (int from = 0; from < n; from += 500) {
                index.upsertAll(docs.subList(from, Math.min(n, from + 500)));
            }
            index.commit(null);
            int queries = 50;
            int k = 10;
            double found = 0;
            for (int q = 0; q < queries; q++) {
                float[] query = clustered(centres[random.nextInt(centres.length)], random);
                List<Hit> hits = index.search(new VectorQuery(query, k, 100, SearchFilter.NONE));
                assertThat(hits).hasSize(k);
                assertThat(hits).isSortedAccordingTo(Comparator.comparingDouble((Hit h) -> -h.score()));
                Set<String> truth = new HashSet<>(exactTop(docs, query, k, d -> true));
                found += hits.stream()
                        .filter(h -> truth.contains(h.document().id()))
                        .count();
                // the score is the cosine, within float rounding
                ImageDocument best =
                        docs.get(Integer.parseInt(hits.get(0).document().id().substring(1)));
                assertThat((double) hits.get(0).score())
                        .isCloseTo(Embeddings.dot(query, best.vector()), org.assertj.core.data.Offset.offset(1e-4));
            }
            assertThat(found / (queries * k)).as("recall@10").isGreaterThanOrEqualTo(0.95);
        }
    }

    private static float[] clustered(float[] centre, Random random) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = centre[i] + 0.35f * (float) random.nextGaussian();
        }
        return Embeddings.normalizeInPlace(v);
    }

    private static List<String> exactTop(
            List<ImageDocument> docs, float[] query, int k, Predicate<ImageDocument> keep) {
        return docs.stream()
                .filter(keep)
                .sorted(Comparator.comparingDouble((ImageDocument d) -> -Embeddings.dot(query, d.vector())))
                .limit(k)
                .map(ImageDocument::id)
                .toList();
    }

    @Test
    void everyFilterRestrictsTheNeighbours() throws IOException {
        Random random = new Random(seed("everyFilterRestrictsTheNeighbours"));
        List<ImageDocument> docs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            docs.add(doc(i, randomUnit(random)));
        }
        try (VectorIndex index = backend.open(IndexSpec.of(MODEL))) {
            index.upsertAll(docs);
            index.commit(null);
            long t0 = 1_700_000_000_000L;
            record Case(SearchFilter filter, Predicate<ImageDocument> keep) {}
            List<Case> cases = List.of(
                    new Case(
                            new SearchFilter("even/", null, null, null, null, Set.of()),
                            d -> d.path().startsWith("even/")),
                    new Case(new SearchFilter(null, 700, null, null, null, Set.of()), d -> d.width() >= 700),
                    new Case(new SearchFilter(null, null, 450, null, null, Set.of()), d -> d.height() >= 450),
                    new Case(
                            new SearchFilter(null, null, null, t0 + 50_000, t0 + 80_000, Set.of()),
                            d -> d.modified() >= t0 + 50_000 && d.modified() <= t0 + 80_000),
                    new Case(
                            new SearchFilter(null, null, null, null, null, Set.of("webp", "PNG")),
                            d -> d.format().equals("webp") || d.format().equals("png")),
                    new Case(
                            new SearchFilter("odd/", 500, null, null, null, Set.of("jpeg")),
                            d -> d.path().startsWith("odd/")
                                    && d.width() >= 500
                                    && d.format().equals("jpeg")));
            for (Case c : cases) {
                float[] query = randomUnit(random);
                List<Hit> hits = index.search(new VectorQuery(query, 10, 300, c.filter()));
                List<String> expected = exactTop(docs, query, 10, c.keep());
                // 300 candidates over 300 documents: the search is exhaustive, so it is exact
                assertThat(hits.stream().map(h -> h.document().id()).toList())
                        .as("filter %s", c.filter())
                        .containsExactlyElementsOf(expected);
            }
        }
    }

    @Test
    void lexicalQueriesFindCaptionWords() throws IOException {
        Random random = new Random(4);
        try (VectorIndex index = backend.open(IndexSpec.of(MODEL))) {
            index.upsertAll(List.of(
                    captioned("car", "cars/1.jpg", "a red car parked outside", randomUnit(random)),
                    captioned("sky", "sky/1.jpg", "blue sky over the sea", randomUnit(random)),
                    captioned("bus", "cars/2.jpg", "a red bus", randomUnit(random)),
                    doc("plain", "plain.png", "hp", randomUnit(random))));
            index.commit(null);
            List<Hit> hits = index.search(new LexicalQuery("red car", 10, SearchFilter.NONE));
            assertThat(hits.stream().map(h -> h.document().id()).toList()).containsExactly("car", "bus");
            assertThat(hits.get(0).score()).isGreaterThan(hits.get(1).score());
            List<Hit> filtered = index.search(
                    new LexicalQuery("red", 10, new SearchFilter("cars/2", null, null, null, null, Set.of())));
            assertThat(filtered.stream().map(h -> h.document().id()).toList()).containsExactly("bus");
            assertThat(index.search(new LexicalQuery("mountain", 10, SearchFilter.NONE)))
                    .isEmpty();
        }
    }

    private static ImageDocument captioned(String id, String path, String caption, float[] vector) {
        return new ImageDocument(id, path, "h-" + id, 64, 48, 1000, 1_700_000_000_000L, "jpeg", caption, vector);
    }

    @Test
    void metadataRoundTripsThroughCommits() throws IOException {
        // INT8 where the backend has it, so that the format recorded is not the default one
        VectorFormat format = supportedFormats().contains(VectorFormat.INT8) ? VectorFormat.INT8 : VectorFormat.FLOAT32;
        IndexSpec spec = new IndexSpec(MODEL, new IndexOptions(format, 12, 80));
        assertThat(backend.metadata()).isEmpty();
        try (VectorIndex index = backend.open(spec)) {
            assertThat(index.metadata().model()).isEqualTo(MODEL);
            assertThat(index.metadata().checkpoint()).isNull();
            index.upsert(doc("a", "a.png", "h", randomUnit(new Random(5))));
            index.commit("{\"run\":\"r1\"}");
            assertThat(index.metadata().checkpoint()).isEqualTo("{\"run\":\"r1\"}");
        }
        IndexMetadata recorded = backend.metadata().orElseThrow();
        assertThat(recorded).isEqualTo(new IndexMetadata(MODEL, format, 12, 80, "{\"run\":\"r1\"}"));
        // Reopened without options: everything recorded is kept; a commit without a checkpoint keeps it.
        try (VectorIndex index = backend.open(IndexSpec.of(MODEL))) {
            assertThat(index.metadata()).isEqualTo(recorded);
            index.commit(null);
            assertThat(index.stats().metadata().checkpoint()).isEqualTo("{\"run\":\"r1\"}");
            assertThat(index.stats().documents()).isOne();
        }
        for (VectorFormat other : VectorFormat.values()) {
            if (other != format) {
                assertThatThrownBy(() -> backend.open(
                                new IndexSpec(MODEL, IndexOptions.defaults().withVectors(other))))
                        .as("reopening a %s index as %s", format, other)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(supportedFormats().contains(other) ? "reindex" : other.label());
            }
        }
    }

    @Test
    void unsupportedVectorFormatsAreRefusedBeforeAnythingIsCreated() throws IOException {
        for (VectorFormat format : VectorFormat.values()) {
            if (!supportedFormats().contains(format)) {
                assertThatThrownBy(() -> backend.open(
                                new IndexSpec(MODEL, IndexOptions.defaults().withVectors(format))))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(format.label());
                assertThatThrownBy(() -> backend.prepareReindex(
                                new IndexSpec(MODEL, IndexOptions.defaults().withVectors(format))))
                        .isInstanceOf(IllegalArgumentException.class);
            }
        }
        assertThat(backend.metadata()).isEmpty();
    }

    @Test
    void anotherModelIsRefusedWithOneMessage() throws IOException {
        try (VectorIndex index = backend.open(IndexSpec.of(MODEL))) {
            index.commit(null);
        }
        ModelIdentity other = new ModelIdentity("other-model", "beef", DIM);
        ModelIdentity otherExport = new ModelIdentity(MODEL.name(), "another-fingerprint", DIM);
        for (ModelIdentity wrong : List.of(other, otherExport)) {
            assertThatThrownBy(() -> backend.open(IndexSpec.of(wrong)))
                    .isInstanceOf(IndexModelMismatchException.class)
                    .hasMessageContaining("was built with model " + MODEL)
                    .hasMessageContaining("Reindex");
            assertThatThrownBy(() -> backend.openReadOnly(wrong)).isInstanceOf(IndexModelMismatchException.class);
        }
    }

    @Test
    void aReadOnlyViewSeesCommitsAfterRefreshAndRefusesWrites() throws IOException {
        assertThatThrownBy(() -> backend.openReadOnly(MODEL)).isInstanceOf(IndexNotFoundException.class);
        Random random = new Random(6);
        try (VectorIndex writer = backend.open(IndexSpec.of(MODEL))) {
            writer.commit(null);
            try (VectorIndex reader = backend.openReadOnly(MODEL)) {
                writer.upsert(doc("a", "a.png", "h", randomUnit(random)));
                writer.commit("x");
                reader.refresh();
                assertThat(reader.stats().documents()).isOne();
                assertThat(reader.metadata().checkpoint()).isEqualTo("x");
                assertThatThrownBy(() -> reader.upsert(doc("b", "b.png", "h", randomUnit(random))))
                        .isInstanceOf(IllegalStateException.class);
            }
        }
    }

    @Test
    void aDiscardedReindexLeavesTheLiveIndexAlone() throws IOException {
        Random random = new Random(7);
        try (VectorIndex live = backend.open(IndexSpec.of(MODEL))) {
            live.upsert(doc("live", "live.png", "h", randomUnit(random)));
            live.commit("live-checkpoint");
        }
        try (IndexBackend.Reindex reindex = backend.prepareReindex(IndexSpec.of(MODEL))) {
            reindex.index().upsert(doc("fresh", "fresh.png", "h2", randomUnit(random)));
            reindex.index().commit("fresh-checkpoint");
        }
        assertThat(backend.metadata().orElseThrow().checkpoint()).isEqualTo("live-checkpoint");
        try (VectorIndex live = backend.openReadOnly(MODEL)) {
            assertThat(live.get("live")).isPresent();
            assertThat(live.get("fresh")).isEmpty();
        }
    }

    @Test
    void reindexSwitchesWhileSearchesRun() throws Exception {
        Random random = new Random(8);
        float[] query = randomUnit(random);
        LiveIndex live = LiveIndex.open(backend, IndexSpec.of(MODEL));
        live.read(i -> {
            i.upsert(doc("gen-0", "a.png", "h", query));
            i.commit(null);
            return null;
        });
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger answered = new AtomicInteger();
        ExecutorService searchers = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                futures.add(searchers.submit(() -> {
                    while (!stop.get()) {
                        List<Hit> hits = live.search(i -> i.search(new VectorQuery(query, 1, 10, SearchFilter.NONE)));
                        assertThat(hits).hasSize(1);
                        assertThat(hits.get(0).document().id()).startsWith("gen-");
                        answered.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (int round = 1; round <= 3; round++) {
                try (IndexBackend.Reindex reindex = live.prepareReindex()) {
                    reindex.index().upsert(doc("gen-" + round, "a.png", "h", query));
                    reindex.index().commit("round " + round);
                    live.switchTo(reindex);
                }
            }
            Thread.sleep(50);
            stop.set(true);
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS); // rethrows a failed search
            }
        } finally {
            searchers.shutdownNow();
        }
        assertThat(answered.get()).isPositive();
        assertThat(live.search(i -> i.search(new VectorQuery(query, 1, 10, SearchFilter.NONE)))
                        .get(0)
                        .document()
                        .id())
                .isEqualTo("gen-3");
        assertThat(backend.metadata().orElseThrow().checkpoint()).isEqualTo("round 3");
        live.close();
    }
}
