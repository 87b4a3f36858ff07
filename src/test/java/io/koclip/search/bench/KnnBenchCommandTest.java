package io.koclip.search.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.koclip.search.index.ModelIdentity;
import io.koclip.search.index.VectorIndex;
import io.koclip.search.index.lucene.LuceneBackend;
import io.koclip.search.model.BundleLoader;
import io.koclip.search.model.ModelBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * bench-knn at a tiny size, as CI's smoke test: well-formed JSON lines and sensible recall (a
 * correctness check of the index and of the benchmark's recall arithmetic). No timing assertions:
 * the figures are printed, never judged here.
 */
class KnnBenchCommandTest {
    static final long SEED = 20260611L;
    static final int DIMENSION = 64;
    static final List<String> FIELDS =
            List.of("numCandidates", "recall", "qps", "p50Ms", "p99Ms", "indexSeconds", "mergeSeconds", "indexBytes");

    @TempDir
    static Path data;

    static Path base;
    static Path queries;

    @BeforeAll
    static void writeVectors() throws Exception {
        System.out.println("KnnBenchCommandTest seed " + SEED);
        ClusteredVectors source = new ClusteredVectors(SEED, DIMENSION, 40, 8);
        base = data.resolve("base.fvecs");
        queries = data.resolve("queries.fvecs");
        VectorFiles.writeFvecs(base, source.sample(2000));
        VectorFiles.writeFvecs(queries, source.sample(50));
    }

    @Test
    void printsOneWellFormedLinePerSettingWithHighRecallAtLargeNumCandidates() {
        BenchCommands.Result result = knn(base, queries, "--k", "10", "--num-candidates", "10,200");
        assertThat(result.exit()).as(result.stdout()).isZero();
        assertThat(result.lines()).hasSize(2);
        for (JsonNode line : result.lines()) {
            for (String field : FIELDS) {
                assertThat(line.has(field)).as("field %s in %s", field, line).isTrue();
            }
            assertThat(line.get("recall").asDouble()).isBetween(0.0, 1.0);
            assertThat(line.get("qps").asDouble()).isPositive();
            assertThat(line.get("p99Ms").asDouble())
                    .isGreaterThanOrEqualTo(line.get("p50Ms").asDouble());
            assertThat(line.get("indexBytes").asLong()).isPositive();
            assertThat(line.get("segments").asInt()).isEqualTo(1);
            // M 16: a level-0 node links to at most 32 neighbours, and to more than a handful on average
            assertThat(line.get("graphMaxDegree0").asInt()).isBetween(1, 32);
            assertThat(line.get("graphDegree0").asDouble()).isBetween(4.0, 32.0);
            assertThat(line.get("graphLevels").asInt()).isGreaterThan(1);
            assertThat(line.get("n").asInt()).isEqualTo(2000);
            assertThat(line.get("mergeWorkers").asInt())
                    .isEqualTo(Runtime.getRuntime().availableProcessors());
        }
        assertThat(result.lines().get(0).get("numCandidates").asInt()).isEqualTo(10);
        assertThat(result.lines().get(1).get("recall").asDouble())
                .as("recall@10 at numCandidates 200 on 2k clustered vectors")
                .isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void quantizedFormatAndTruthFileAndThreads() throws Exception {
        try (FvecsFile b = FvecsFile.open(base);
                FvecsFile q = FvecsFile.open(queries)) {
            int[][] truth = ExactNeighbours.compute(b, q.readAll(), 20, 2);
            VectorFiles.writeIvecs(data.resolve("truth.ivecs"), truth);
        }
        BenchCommands.Result result = knn(
                base,
                queries,
                "--truth",
                data.resolve("truth.ivecs").toString(),
                "--vectors",
                "int8",
                "--threads",
                "2",
                "--merge-workers",
                "1",
                "--num-candidates",
                "200");
        assertThat(result.exit()).as(result.stdout()).isZero();
        assertThat(result.lines()).singleElement().satisfies(line -> {
            assertThat(line.get("vectors").asString()).isEqualTo("int8");
            assertThat(line.get("threads").asInt()).isEqualTo(2);
            assertThat(line.get("mergeWorkers").asInt()).isEqualTo(1);
            assertThat(line.get("recall").asDouble()).isGreaterThanOrEqualTo(0.9);
        });
    }

    @Test
    void filteredSweepReportsRoundsAndRecallAgainstTheFilteredTruth() {
        BenchCommands.Result result = knn(
                base,
                queries,
                "--num-candidates",
                "100",
                "--repeat",
                "2",
                "--threads",
                "1,2",
                "--filters",
                "none,folder:0.1,format:0.1,date:0.1,date:0.01");
        assertThat(result.exit()).as(result.stdout()).isZero();
        assertThat(result.lines()).hasSize(10); // 5 filters x 2 thread counts x 1 setting
        long tenth = -1;
        for (JsonNode line : result.lines()) {
            assertThat(line.get("rounds").asInt()).isEqualTo(2);
            assertThat(line.get("qpsMin").asDouble())
                    .isLessThanOrEqualTo(line.get("qps").asDouble())
                    .isPositive();
            assertThat(line.get("qpsMax").asDouble())
                    .isGreaterThanOrEqualTo(line.get("qps").asDouble());
            assertThat(line.has("loadAtStart")).isTrue();
            String filter = line.get("filter").asString();
            long matching = line.get("matching").asLong();
            if (filter.equals("none")) {
                assertThat(matching).isEqualTo(2000);
            } else if (line.get("selectivity").asDouble() == 0.1) {
                // the three kinds select the same documents
                assertThat(tenth == -1 || tenth == matching).as(line.toString()).isTrue();
                tenth = matching;
                assertThat(matching).isBetween(150L, 250L);
            } else {
                assertThat(matching).isBetween(5L, 40L);
            }
            // 100 candidates over ~200 or ~20 matching documents: (nearly) exact within the subset
            assertThat(line.get("recall").asDouble()).as(line.toString()).isGreaterThanOrEqualTo(0.9);
        }
    }

    @Test
    void exactFilterRatiosAreComparedOnTheSameIndexForFilteredLinesOnly() {
        BenchCommands.Result result = knn(
                base,
                queries,
                "--num-candidates",
                "10",
                "--repeat",
                "1",
                "--filters",
                "none,date:0.5",
                "--exact-filter-ratio",
                "0,1000000000");
        assertThat(result.exit()).as(result.stdout()).isZero();
        // the unfiltered setting once (no ratio applies), the filtered one per ratio
        assertThat(result.lines()).hasSize(3);
        JsonNode unfiltered = result.lines().get(0);
        assertThat(unfiltered.get("filter").asString()).isEqualTo("none");
        assertThat(unfiltered.has("exactFilterRatio")).isFalse();
        JsonNode walk = result.lines().get(1);
        JsonNode exact = result.lines().get(2);
        assertThat(walk.get("exactFilterRatio").asDouble()).isZero();
        assertThat(exact.get("exactFilterRatio").asDouble()).isEqualTo(1e9);
        // forced exact search over the ~1000 matching documents finds the exact top 10 of the subset
        assertThat(exact.get("recall").asDouble()).isEqualTo(1.0);
        assertThat(walk.get("recall").asDouble()).isLessThanOrEqualTo(1.0).isGreaterThan(0.5);

        BenchCommands.Result refused = knn(base, queries, "--exact-filter-ratio", "-1");
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.lines()).isEmpty();
    }

    @Test
    void filterSpecsSelectTheirShareAndBadSpecsAreRefused() {
        for (double s : BenchFilters.SELECTIVITIES) {
            long byBucket = 0;
            for (int i = 0; i < 100_000; i++) {
                if (BenchFilters.bucket(i) < s * BenchFilters.BUCKETS) {
                    byBucket++;
                }
            }
            assertThat((double) byBucket / 100_000).isCloseTo(s, org.assertj.core.data.Offset.offset(s * 0.2));
            for (String kind : List.of("folder", "format", "date")) {
                BenchFilters.Spec spec = BenchFilters.parse(kind + ":" + s);
                for (int i = 0; i < 3000; i++) {
                    boolean in = BenchFilters.bucket(i) < s * BenchFilters.BUCKETS;
                    assertThat(spec.accepts().test(i)).isEqualTo(in);
                    // the document's own attributes agree with the filter that selects it
                    boolean matches = switch (kind) {
                        case "folder" ->
                            BenchFilters.path(i).startsWith(spec.filter().pathPrefix());
                        case "format" -> spec.filter().formats().contains(BenchFilters.format(i));
                        default ->
                            BenchFilters.modified(i) >= spec.filter().modifiedFrom()
                                    && BenchFilters.modified(i) <= spec.filter().modifiedTo();
                    };
                    assertThat(matches).as("%s document %d", spec.label(), i).isEqualTo(in);
                }
            }
        }
        // the values the Python peers' bucket function is checked against (test_bench_tools.py)
        assertThat(List.of(BenchFilters.bucket(1), BenchFilters.bucket(12345), BenchFilters.bucket(1_000_000)))
                .containsExactly(56558, 65686, 12399);
        for (String bad : List.of("folder:0.2", "colour:0.1", "date:0", "date:x", "folder")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> BenchFilters.parse(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(bad);
        }
    }

    @Test
    void refusesMismatchedDimensionsWithAMessage() throws Exception {
        Path other = data.resolve("other.fvecs");
        VectorFiles.writeFvecs(other, new ClusteredVectors(1, 32, 4, 4).sample(10));
        BenchCommands.Result result = knn(base, other, "--num-candidates", "10");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.lines()).isEmpty();
        assertThat(knn(base, queries, "--merge-workers", "0").exit()).isEqualTo(2);
        assertThat(knn(base, queries, "--ram-buffer-mb", "4096").exit()).isEqualTo(2);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LuceneBackend(data).withRamBufferMb(4096))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4096")
                .hasMessageContaining("1945");
    }

    @Test
    void smallerRamBufferFlushesMoreSegmentsThatTheForceMergeJoins() {
        Path kept = data.resolve("small-buffer-index");
        BenchCommands.Result small =
                knn(base, queries, "--num-candidates", "200", "--ram-buffer-mb", "1", "--index", kept.toString());
        assertThat(small.exit()).as(small.stdout()).isZero();
        JsonNode line = small.lines().get(0);
        assertThat(line.get("ramBufferMb").asDouble()).isEqualTo(1.0);
        assertThat(line.get("segmentsBeforeMerge").asInt()).isGreaterThan(1);
        assertThat(line.get("segments").asInt()).isEqualTo(1);
        assertThat(line.get("recall").asDouble()).isGreaterThanOrEqualTo(0.9);

        // reused, the same graph answers; the build's buffer and flushes are not this run's to report
        BenchCommands.Result reused =
                knn(base, queries, "--num-candidates", "200", "--index", kept.toString(), "--reuse");
        assertThat(reused.exit()).as(reused.stdout()).isZero();
        JsonNode again = reused.lines().get(0);
        assertThat(again.get("recall").asDouble()).isEqualTo(line.get("recall").asDouble());
        assertThat(again.get("graphDegree0").asDouble())
                .isEqualTo(line.get("graphDegree0").asDouble());
        assertThat(again.has("ramBufferMb")).isFalse();
        assertThat(again.has("segmentsBeforeMerge")).isFalse();

        BenchCommands.Result large = knn(base, queries, "--num-candidates", "200", "--no-merge");
        assertThat(large.exit()).as(large.stdout()).isZero();
        assertThat(large.lines().get(0).get("ramBufferMb").asDouble()).isEqualTo(LuceneBackend.DEFAULT_RAM_BUFFER_MB);
        assertThat(large.lines().get(0).get("segmentsBeforeMerge").asInt()).isEqualTo(1);
    }

    @Test
    void keptIndexRecordsTheModelSoThatItCanBeServed() throws Exception {
        ModelBundle demo = BundleLoader.load(BundleLoader.DEMO);
        ClusteredVectors source = new ClusteredVectors(SEED, demo.embeddingDim(), 20, 8);
        Path demoBase = data.resolve("demo-base.fvecs");
        Path demoQueries = data.resolve("demo-queries.fvecs");
        VectorFiles.writeFvecs(demoBase, source.sample(300));
        VectorFiles.writeFvecs(demoQueries, source.sample(5));
        Path kept = data.resolve("served-index");

        BenchCommands.Result result =
                knn(demoBase, demoQueries, "--num-candidates", "20", "--index", kept.toString(), "--model", "demo");

        assertThat(result.exit()).as(result.stdout()).isZero();
        try (VectorIndex served = new LuceneBackend(kept).openReadOnly(ModelIdentity.of(demo))) {
            assertThat(served.stats().documents()).isEqualTo(300);
        }
        // Without --index there is nothing to serve, and a bundle of another dimension cannot match.
        assertThat(knn(demoBase, demoQueries, "--num-candidates", "20", "--model", "demo")
                        .exit())
                .isEqualTo(2);
        String never = data.resolve("never").toString();
        assertThat(knn(base, queries, "--num-candidates", "20", "--index", never, "--model", "demo")
                        .exit())
                .isEqualTo(2);
    }

    /** {@code bench-knn --base BASE --queries QUERIES} plus {@code options}. */
    private static BenchCommands.Result knn(Path baseFile, Path queryFile, String... options) {
        // a short warm-up: the method is the same, the test's tiny sweep needs no 5 s of JIT
        List<String> args = new ArrayList<>(List.of(
                "bench-knn",
                "--base",
                baseFile.toString(),
                "--queries",
                queryFile.toString(),
                "--warmup-seconds",
                "0.2"));
        args.addAll(List.of(options));
        return BenchCommands.run(args.toArray(String[]::new));
    }

    @Test
    void exactNeighboursMatchANaiveScan() throws Exception {
        try (FvecsFile b = FvecsFile.open(base);
                FvecsFile q = FvecsFile.open(queries)) {
            float[][] all = b.readAll();
            float[][] qs = q.readAll();
            int[][] fast = ExactNeighbours.compute(b, qs, 5, 3);
            for (int i = 0; i < qs.length; i++) {
                Integer[] order = new Integer[all.length];
                for (int j = 0; j < order.length; j++) {
                    order[j] = j;
                }
                float[] query = qs[i];
                java.util.Arrays.sort(order, (x, y) -> {
                    int c = Float.compare(
                            org.apache.lucene.util.VectorUtil.dotProduct(query, all[y]),
                            org.apache.lucene.util.VectorUtil.dotProduct(query, all[x]));
                    return c != 0 ? c : Integer.compare(x, y);
                });
                assertThat(fast[i]).containsExactly(order[0], order[1], order[2], order[3], order[4]);
            }
        }
    }

    @Test
    void fvecsRoundTripAndBadFiles() throws Exception {
        Path file = data.resolve("round.fvecs");
        float[][] vectors = {{1, 2, 3}, {4, 5, 6}};
        VectorFiles.writeFvecs(file, vectors);
        try (FvecsFile f = FvecsFile.open(file)) {
            assertThat(f.count()).isEqualTo(2);
            assertThat(f.dimension()).isEqualTo(3);
            assertThat(f.read(1)).containsExactly(4, 5, 6);
        }
        // Files over 2 GB are mapped in several windows of whole records: same values with tiny windows.
        try (FvecsFile whole = FvecsFile.open(base);
                FvecsFile windowed = FvecsFile.open(base, 3 * (4 + 4 * DIMENSION) + 7)) {
            for (int i = 0; i < whole.count(); i += 97) {
                assertThat(windowed.read(i)).containsExactly(whole.read(i));
            }
            assertThat(windowed.read(whole.count() - 1)).containsExactly(whole.read(whole.count() - 1));
        }
        Path bad = data.resolve("bad.fvecs");
        Files.write(bad, new byte[] {3, 0, 0, 0, 1, 2});
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FvecsFile.open(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a whole number");
    }
}
