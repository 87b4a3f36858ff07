package io.koclip.search.index.solr;

import io.koclip.search.index.Hit;
import io.koclip.search.index.ImageDocument;
import io.koclip.search.index.IndexBackend;
import io.koclip.search.index.IndexSpec;
import io.koclip.search.index.ModelIdentity;
import io.koclip.search.index.SearchFilter;
import io.koclip.search.index.VectorIndex;
import io.koclip.search.index.VectorQuery;
import io.koclip.search.index.lucene.LuceneBackend;
import io.koclip.search.model.Embeddings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The SolrCloud backend's figures for docs/solr.md, on the test cluster (2 nodes on this machine), side
 * by side with the embedded Lucene index on the same clustered vectors in the same run: indexing docs/s
 * through {@link VectorIndex#upsertAll} batches (and the commit), kNN recall@10 against brute force,
 * p50/p99 latency and single-client QPS per {@code numCandidates} (= Solr's per-shard topK; Lucene's
 * candidate count), each after a warm-up, and the alias switch of a reindex.
 *
 * <p>Off by default; run with
 * {@code ./mvnw -o test -Dtest=SolrKnnBenchmark -Dkoclip.bench.solr=true [-Dkoclip.bench.docs=100000]
 * [-Dkoclip.bench.layouts=lucene,2x1,2x2] -Dsurefire.failIfNoSpecifiedTests=false}; the figures are
 * the {@code BENCH} lines in target/surefire-reports/...SolrKnnBenchmark-output.txt. {@code lucene} in
 * the layouts is the embedded index (a temporary folder, the product's defaults: float32, m 16, beam
 * width 100, like the Solr collections).
 */
@Tag("solr")
@EnabledIfSystemProperty(named = "koclip.bench.solr", matches = "true")
class SolrKnnBenchmark {
    private static final int DIM = 512;
    private static final int K = 10;
    private static final int BATCH = 1000;
    private static final int[] CANDIDATES = {10, 20, 50, 100};
    private static final int WARM_UP = 50;

    @Test
    void measure() throws Exception {
        int docs = Integer.getInteger("koclip.bench.docs", 20_000);
        int queries = Integer.getInteger("koclip.bench.queries", 200);
        long seed = Long.getLong("tests.seed", 42);
        List<String> layouts = Arrays.asList(
                System.getProperty("koclip.bench.layouts", "lucene,2x1,2x2").split(","));
        SolrCloudProcess cluster = SolrCloudProcess.shared();
        System.out.printf(
                Locale.ROOT,
                "BENCH setup docs=%d dim=%d queries=%d seed=%d nodes=2 nodeJava=%d testJava=%d cores=%d load=%s%n",
                docs,
                DIM,
                queries,
                seed,
                cluster.javaVersion(),
                Runtime.version().feature(),
                Runtime.getRuntime().availableProcessors(),
                loadAverage());

        Random random = new Random(seed);
        float[][] centres = new float[200][];
        for (int c = 0; c < centres.length; c++) {
            centres[c] = gaussianUnit(random, 1);
        }
        List<ImageDocument> corpus = new ArrayList<>(docs);
        for (int i = 0; i < docs; i++) {
            corpus.add(new ImageDocument(
                    "b" + i,
                    "bench/" + i + ".jpg",
                    "h" + i,
                    640,
                    480,
                    50_000,
                    1_700_000_000_000L,
                    "jpeg",
                    null,
                    clustered(centres[random.nextInt(centres.length)], random)));
        }
        List<float[]> queryVectors = new ArrayList<>(queries);
        List<Set<String>> truth = new ArrayList<>(queries);
        for (int q = 0; q < queries; q++) {
            float[] query = clustered(centres[random.nextInt(centres.length)], random);
            queryVectors.add(query);
            truth.add(exactTop(corpus, query));
        }
        ModelIdentity model = new ModelIdentity("bench-model", "bench", DIM);

        for (String layout : layouts) {
            if (layout.strip().equals("lucene")) {
                Path folder = Files.createTempDirectory("koclip-bench-lucene-");
                try (VectorIndex index = new LuceneBackend(folder.resolve("index")).open(IndexSpec.of(model))) {
                    measure("lucene", index, corpus, queryVectors, truth);
                } finally {
                    deleteRecursively(folder);
                }
                continue;
            }
            String[] sr = layout.strip().split("x");
            SolrSettings settings = new SolrSettings(
                    cluster.solrUrls(),
                    "bench_" + layout.strip(),
                    SolrBackendTest.CONFIGSET,
                    Integer.parseInt(sr[0]),
                    Integer.parseInt(sr[1]),
                    null,
                    null);
            try (CloudSolrClient client = SolrCalls.cloud(settings)) {
                SolrBackendTest.dropAlias(client, settings.alias());
            }
            SolrBackend backend = new SolrBackend(settings);
            try (VectorIndex index = backend.open(IndexSpec.of(model))) {
                measure(layout.strip(), index, corpus, queryVectors, truth);
            }
            // The switch of a reindex: the fresh (small) generation is built, then activate() re-points the
            // alias and drops the old generation; the alias re-point alone is logged by SolrBackend.
            try (IndexBackend.Reindex reindex = backend.prepareReindex(IndexSpec.of(model))) {
                reindex.index().upsertAll(corpus.subList(0, BATCH));
                long s = System.nanoTime();
                reindex.activate();
                System.out.printf(
                        Locale.ROOT,
                        "BENCH %s reindex activate_ms=%d (commit, alias switch, drop old)%n",
                        layout,
                        (System.nanoTime() - s) / 1_000_000);
            }
            try (CloudSolrClient client = SolrCalls.cloud(settings)) {
                SolrBackendTest.dropAlias(client, settings.alias());
            }
        }
    }

    /** Indexes {@code corpus} into {@code index}, commits, then times the queries per candidate count. */
    private static void measure(
            String layout,
            VectorIndex index,
            List<ImageDocument> corpus,
            List<float[]> queryVectors,
            List<Set<String>> truth)
            throws Exception {
        int docs = corpus.size();
        int queries = queryVectors.size();
        System.out.printf(Locale.ROOT, "BENCH %s start load=%s%n", layout, loadAverage());
        long t0 = System.nanoTime();
        for (int from = 0; from < docs; from += BATCH) {
            index.upsertAll(corpus.subList(from, Math.min(docs, from + BATCH)));
        }
        long written = System.nanoTime();
        index.commit("bench");
        long committed = System.nanoTime();
        System.out.printf(
                Locale.ROOT,
                "BENCH %s index docs=%d batch=%d write_s=%.1f commit_s=%.1f docs_per_s=%.0f load=%s%n",
                layout,
                docs,
                BATCH,
                (written - t0) / 1e9,
                (committed - written) / 1e9,
                docs / ((committed - t0) / 1e9),
                loadAverage());
        for (int candidates : CANDIDATES) {
            // warm-up: the first queries load the graph pages and compile the search path
            for (int q = 0; q < WARM_UP; q++) {
                index.search(new VectorQuery(queryVectors.get(q % queries), K, candidates, SearchFilter.NONE));
            }
            long[] nanos = new long[queries];
            double found = 0;
            long all = System.nanoTime();
            for (int q = 0; q < queries; q++) {
                long s = System.nanoTime();
                List<Hit> hits = index.search(new VectorQuery(queryVectors.get(q), K, candidates, SearchFilter.NONE));
                nanos[q] = System.nanoTime() - s;
                Set<String> expected = truth.get(q);
                found += hits.stream()
                        .filter(h -> expected.contains(h.document().id()))
                        .count();
            }
            double seconds = (System.nanoTime() - all) / 1e9;
            Arrays.sort(nanos);
            System.out.printf(
                    Locale.ROOT,
                    "BENCH %s knn topK=%d recall@10=%.3f qps=%.0f p50_ms=%.1f p99_ms=%.1f load=%s%n",
                    layout,
                    candidates,
                    found / (queries * (double) K),
                    queries / seconds,
                    nanos[queries / 2] / 1e6,
                    nanos[Math.min(queries - 1, (int) Math.ceil(queries * 0.99) - 1)] / 1e6,
                    loadAverage());
        }
    }

    /** The 1-minute load average (other builds share this machine), or "?" off Linux. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static void deleteRecursively(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static Set<String> exactTop(List<ImageDocument> corpus, float[] query) {
        // the K best dot products, by a partial selection over the corpus
        String[] ids = new String[K];
        float[] scores = new float[K];
        Arrays.fill(scores, Float.NEGATIVE_INFINITY);
        for (ImageDocument d : corpus) {
            float s = Embeddings.dot(query, d.vector());
            if (s > scores[K - 1]) {
                int i = K - 1;
                while (i > 0 && scores[i - 1] < s) {
                    scores[i] = scores[i - 1];
                    ids[i] = ids[i - 1];
                    i--;
                }
                scores[i] = s;
                ids[i] = d.id();
            }
        }
        return new HashSet<>(Arrays.asList(ids));
    }

    private static float[] gaussianUnit(Random random, double sigma) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) (sigma * random.nextGaussian());
        }
        return Embeddings.normalizeInPlace(v);
    }

    /** A centre plus noise of about its own length (0.05 per dimension x sqrt(512) = 1.1). */
    private static float[] clustered(float[] centre, Random random) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = centre[i] + 0.05f * (float) random.nextGaussian();
        }
        return Embeddings.normalizeInPlace(v);
    }
}
