package io.koclip.search.bench;

import io.koclip.search.index.Hit;
import io.koclip.search.index.ImageDocument;
import io.koclip.search.index.IndexOptions;
import io.koclip.search.index.IndexSpec;
import io.koclip.search.index.ModelIdentity;
import io.koclip.search.index.SearchFilter;
import io.koclip.search.index.VectorFormat;
import io.koclip.search.index.VectorIndex;
import io.koclip.search.index.VectorQuery;
import io.koclip.search.index.lucene.LuceneBackend;
import io.koclip.search.model.BundleLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench-knn}: recall and speed of the product's vector index on fvecs files. Builds the index
 * with {@link LuceneBackend} (the same code that ingest uses), force-merges it to one segment so the
 * comparison with hnswlib's and faiss's single graph is fair, then for each {@code numCandidates}
 * runs every query through {@link VectorIndex#search} (the product's search path, stored fields of
 * the hits included) and prints one JSON line:
 *
 * <pre>{"numCandidates", "recall", "qps", "p50Ms", "p99Ms", "indexSeconds", "mergeSeconds", "indexBytes", ...}</pre>
 *
 * Recall is recall@k against {@code --truth} (ivecs) or, without it, exact neighbours computed here
 * by multithreaded brute force. Vectors must be unit length (the index scores with the dot product).
 */
@Command(
        name = "bench-knn",
        mixinStandardHelpOptions = true,
        description = "kNN benchmark of the product's Lucene HNSW index on fvecs files: one JSON line per"
                + " numCandidates (recall, qps, p50Ms, p99Ms, indexSeconds, mergeSeconds, indexBytes).")
public final class KnnBenchCommand implements Callable<Integer> {
    @Option(names = "--base", required = true, paramLabel = "FILE.fvecs", description = "Unit vectors to index.")
    Path base;

    @Option(
            names = "--queries",
            required = true,
            paramLabel = "FILE.fvecs",
            description = "Unit query vectors (not in the base).")
    Path queries;

    @Option(
            names = "--truth",
            paramLabel = "FILE.ivecs",
            description = "Exact neighbour ids per query, best first; computed by brute force when absent.")
    Path truth;

    @Option(
            names = "--k",
            defaultValue = "10",
            paramLabel = "N",
            description = "Neighbours per query; recall@k (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(
            names = "--m",
            defaultValue = "" + IndexOptions.DEFAULT_M,
            paramLabel = "N",
            description = "HNSW connections per node (default: ${DEFAULT-VALUE}).")
    int m;

    @Option(
            names = "--beam-width",
            defaultValue = "" + IndexOptions.DEFAULT_BEAM_WIDTH,
            paramLabel = "N",
            description = "HNSW build beam width, like efConstruction (default: ${DEFAULT-VALUE}).")
    int beamWidth;

    @Option(
            names = "--vectors",
            defaultValue = "float32",
            paramLabel = "float32|int8|int4|bbq",
            description = "Vector format (default: ${DEFAULT-VALUE}).")
    String vectors;

    @Option(
            names = "--num-candidates",
            split = ",",
            defaultValue = "10,20,40,80,160,320",
            paramLabel = "N,N,...",
            description = "HNSW candidate list sizes to sweep, like hnswlib's ef (default: ${DEFAULT-VALUE}).")
    List<Integer> numCandidates;

    @Option(
            names = "--threads",
            split = ",",
            defaultValue = "1",
            paramLabel = "N,N,...",
            description = "Threads running queries at once, one sweep each (default: ${DEFAULT-VALUE}: a"
                    + " single-threaded loop); e.g. 1,2,4,16 for the concurrency table.")
    List<Integer> threadCounts;

    @Option(
            names = "--repeat",
            defaultValue = "3",
            paramLabel = "N",
            description = "Timed rounds of every setting, interleaved (round 1 of every setting, then round 2...);"
                    + " each line reports the median QPS and the min and max (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(
            names = "--warmup-seconds",
            defaultValue = "5",
            paramLabel = "S",
            description = "Untimed warm-up before any timed run: every setting of the sweep in turn, again"
                    + " until this many seconds have passed, so that the first timed setting does not measure"
                    + " the JIT (default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(
            names = "--filters",
            split = ",",
            defaultValue = "none",
            paramLabel = "SPEC,SPEC,...",
            description = "Filters to sweep: none, folder:S, format:S (S one of 0.5, 0.1, 0.01, 0.001) or date:S"
                    + " (any S in (0, 1]); the documents' folders, formats and dates are laid out so that each"
                    + " selects that share of the base; recall is against the exact top k of that subset"
                    + " (default: ${DEFAULT-VALUE}).")
    List<String> filterSpecs;

    @Option(
            names = "--exact-filter-ratio",
            split = ",",
            paramLabel = "R,R,...",
            description = "Filtered searches only: the exact-search ratios to compare on the same index (a segment"
                    + " is scored exactly, without a graph walk, when matching^2 <= R * candidates * segment size;"
                    + " 0 = Lucene's own strategy alone). Default: the product's ratio.")
    List<Double> exactFilterRatios;

    @Option(
            names = "--truth-threads",
            paramLabel = "N",
            description = "Threads for the brute-force truth (default: one per core).")
    Integer truthThreads;

    @Option(
            names = "--index",
            paramLabel = "DIR",
            description = "Build the index in this new or empty folder and keep it (default: a temporary"
                    + " folder, deleted afterwards).")
    Path index;

    @Option(
            names = "--model",
            paramLabel = "DIR|demo",
            description = "Record this bundle as the index's model (its dimension must be the vectors'), so that"
                    + " the index kept with --index can be served: `serve --model DIR --index DIR` over"
                    + " synthetic vectors, for HTTP benchmarks at sizes the image corpus does not reach."
                    + " Default: a synthetic identity that no bundle matches.")
    String model;

    @Option(
            names = "--merge-workers",
            paramLabel = "N",
            description = "Threads building the merged HNSW graph in the force-merge (default: one per core;"
                    + " 1 = the merging thread alone, like the product's background merges).")
    Integer mergeWorkersOption;

    private int mergeWorkers;

    @Option(
            names = "--ram-buffer-mb",
            paramLabel = "MB",
            description = "Indexing RAM buffer (default: the product's, " + LuceneBackend.DEFAULT_RAM_BUFFER_MB
                    + "). A larger one flushes fewer segments, so fewer HNSW graphs are merged; up to "
                    + LuceneBackend.MAX_RAM_BUFFER_MB + " MB (the heap must hold it: set -Xmx through"
                    + " KOCLIP_JAVA_OPTS). Reported as ramBufferMb, with the segment count before the merge.")
    double ramBufferMb = LuceneBackend.DEFAULT_RAM_BUFFER_MB;

    @Option(names = "--no-merge", description = "Query the segments as indexed, without force-merging to one.")
    boolean noMerge;

    @Option(
            names = "--reuse",
            description = "With --index: query the index an earlier bench-knn --index run built there from the same"
                    + " --base (its document count and model are checked) instead of building one: A/B runs of two"
                    + " builds and repeated sweeps then share one graph. indexSeconds and mergeSeconds are 0.")
    boolean reuse;

    @Override
    public Integer call() throws Exception {
        try (BenchOutput out = BenchOutput.reserve()) {
            try {
                run(out);
                return 0;
            } catch (IllegalArgumentException e) {
                System.err.println("bench-knn: " + e.getMessage());
                return 2;
            }
        }
    }

    private void run(BenchOutput out) throws IOException, InterruptedException {
        VectorFormat format = VectorFormat.parse(vectors);
        new IndexOptions(format, m, beamWidth); // validates m and beam width
        if (k < 1) {
            throw new IllegalArgumentException("--k: " + k + " must be >= 1");
        }
        for (int t : threadCounts) {
            if (t < 1) {
                throw new IllegalArgumentException("--threads: " + t + " must be >= 1");
            }
        }
        if (repeat < 1) {
            throw new IllegalArgumentException("--repeat: " + repeat + " must be >= 1");
        }
        if (!(warmupSeconds >= 0)) {
            throw new IllegalArgumentException("--warmup-seconds: " + warmupSeconds + " must be >= 0");
        }
        List<BenchFilters.Spec> filters =
                filterSpecs.stream().map(BenchFilters::parse).toList();
        List<Double> ratios = exactFilterRatios == null || exactFilterRatios.isEmpty()
                ? List.of(LuceneBackend.DEFAULT_EXACT_FILTER_RATIO)
                : exactFilterRatios.stream().distinct().toList();
        for (double ratio : ratios) {
            if (!(ratio >= 0) || Double.isInfinite(ratio)) {
                throw new IllegalArgumentException("--exact-filter-ratio: " + ratio + " must be finite and >= 0");
            }
        }
        mergeWorkers = mergeWorkersOption != null
                ? mergeWorkersOption
                : Runtime.getRuntime().availableProcessors();
        if (mergeWorkers < 1) {
            throw new IllegalArgumentException("--merge-workers: " + mergeWorkers + " must be >= 1");
        }
        for (int nc : numCandidates) {
            if (nc < k) {
                throw new IllegalArgumentException("--num-candidates: " + nc + " is less than --k " + k);
            }
        }
        BenchOutput.progress("bench-knn: %s", Machine.describe());
        try (FvecsFile baseFile = FvecsFile.open(base);
                FvecsFile queryFile = FvecsFile.open(queries)) {
            int dimension = baseFile.dimension();
            if (baseFile.count() == 0) {
                throw new IllegalArgumentException("--base " + base + " holds no vectors");
            }
            if (queryFile.dimension() != dimension) {
                throw new IllegalArgumentException("--queries " + queries + " has dimension " + queryFile.dimension()
                        + ", --base has " + dimension);
            }
            ModelIdentity identity = identity(dimension);
            float[][] queryVectors = queryFile.readAll();
            int[][] truthIds = truth(baseFile, queryVectors);

            if (reuse && index == null) {
                throw new IllegalArgumentException("--reuse needs --index DIR (the index to reuse)");
            }
            Path folder = index != null ? index : Files.createTempDirectory("koclip-bench-knn");
            if (!reuse) {
                requireEmpty(folder);
            }
            LuceneBackend backend = new LuceneBackend(folder).withRamBufferMb(ramBufferMb);
            try {
                double indexSeconds = reuse ? 0 : build(baseFile, folder, identity, format);
                double mergeSeconds = 0;
                int segmentsBeforeMerge = backend.segments();
                if (reuse) {
                    format = requireReusable(backend, identity, baseFile.count());
                } else if (!noMerge) {
                    BenchOutput.progress(
                            "bench-knn: force-merging %d segment(s) to one with %d merge worker(s)",
                            segmentsBeforeMerge, mergeWorkers);
                    long start = System.nanoTime();
                    backend.forceMerge(1, mergeWorkers);
                    mergeSeconds = (System.nanoTime() - start) / 1e9;
                }
                int segments = backend.segments();
                long indexBytes = folderBytes(folder);
                LuceneBackend.GraphShape graph = backend.graphShape();
                BenchOutput.progress(
                        "bench-knn: HNSW graph of %d nodes, %d levels, level-0 out-degree mean %.2f, max %d",
                        graph.nodes(), graph.levels(), graph.meanDegree0(), graph.maxDegree0());
                BenchOutput.progress(
                        "bench-knn: indexed %d vectors in %.1f s, merged in %.1f s to %d segment(s), %d bytes",
                        baseFile.count(), indexSeconds, mergeSeconds, segments, indexBytes);
                Map<Double, int[][]> truths = filteredTruths(baseFile, queryVectors, truthIds, filters);
                BuiltIndex index = new BuiltIndex(
                        format,
                        baseFile.count(),
                        dimension,
                        segmentsBeforeMerge,
                        segments,
                        indexSeconds,
                        mergeSeconds,
                        indexBytes,
                        graph,
                        Machine.loadAverage());
                Map<Double, VectorIndex> byRatio = new LinkedHashMap<>();
                try {
                    for (double ratio : ratios) {
                        byRatio.put(ratio, backend.withExactFilterRatio(ratio).openReadOnly(identity));
                    }
                    for (Map.Entry<Double, VectorIndex> entry : byRatio.entrySet()) {
                        // each index warms up on the settings it is timed on: the unfiltered ones run on one index
                        List<BenchFilters.Spec> timed = filters.stream()
                                .filter(f -> ratiosOf(f, ratios).contains(entry.getKey()))
                                .toList();
                        warmUp(entry.getValue(), queryVectors, timed);
                    }
                    // rounds interleaved: a drift in the machine's load hits every setting alike
                    Map<String, List<QueryRun>> runs = new LinkedHashMap<>();
                    for (int round = 1; round <= repeat; round++) {
                        BenchOutput.progress("bench-knn: round %d/%d, load %.2f", round, repeat, Machine.loadAverage());
                        for (BenchFilters.Spec filter : filters) {
                            for (double ratio : ratiosOf(filter, ratios)) {
                                for (int t : threadCounts) {
                                    for (int nc : numCandidates) {
                                        runs.computeIfAbsent(
                                                        filter.label() + "|" + ratio + "|" + t + "|" + nc,
                                                        x -> new ArrayList<>())
                                                .add(runQueries(
                                                        byRatio.get(ratio), queryVectors, nc, t, filter.filter()));
                                    }
                                }
                            }
                        }
                    }
                    for (BenchFilters.Spec filter : filters) {
                        int[][] expected = truths.get(filter.selectivity());
                        long matching = matching(baseFile.count(), filter);
                        for (double ratio : ratiosOf(filter, ratios)) {
                            for (int t : threadCounts) {
                                for (int nc : numCandidates) {
                                    List<QueryRun> rounds = runs.get(filter.label() + "|" + ratio + "|" + t + "|" + nc);
                                    out.line(resultLine(
                                            index,
                                            rounds,
                                            expected,
                                            filter,
                                            matching,
                                            ratio,
                                            t,
                                            nc,
                                            queryVectors.length));
                                }
                            }
                        }
                    }
                } finally {
                    for (VectorIndex vectorIndex : byRatio.values()) {
                        vectorIndex.close();
                    }
                }
            } finally {
                if (index == null) {
                    deleteTree(folder);
                }
            }
        }
    }

    /**
     * Runs every setting of the sweep in turn, untimed, until --warmup-seconds have passed (at least
     * once when that is above 0): the JIT compiles the search path before the first timed setting.
     */
    private void warmUp(VectorIndex vectorIndex, float[][] queryVectors, List<BenchFilters.Spec> filters)
            throws IOException {
        if (warmupSeconds <= 0 || filters.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        long until = start + (long) (warmupSeconds * 1e9);
        int passes = 0;
        do {
            for (BenchFilters.Spec filter : filters) {
                for (int nc : numCandidates) {
                    runQueries(vectorIndex, queryVectors, nc, 1, filter.filter());
                }
            }
            passes++;
        } while (System.nanoTime() < until);
        BenchOutput.progress(
                "bench-knn: warm-up %d pass(es) over the sweep in %.1f s", passes, (System.nanoTime() - start) / 1e9);
    }

    /** What one build measured, the same on every line of the run. */
    private record BuiltIndex(
            VectorFormat format,
            int n,
            int dimension,
            int segmentsBeforeMerge,
            int segments,
            double indexSeconds,
            double mergeSeconds,
            long indexBytes,
            LuceneBackend.GraphShape graph,
            double loadAtStart) {}

    /** One JSON line: a setting's rounds (median, min and max QPS; recall of its first round). */
    private Map<String, Object> resultLine(
            BuiltIndex index,
            List<QueryRun> rounds,
            int[][] expected,
            BenchFilters.Spec filter,
            long matching,
            double ratio,
            int t,
            int nc,
            int queries) {
        double[] qps =
                rounds.stream().mapToDouble(r -> queries / r.seconds).sorted().toArray();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("numCandidates", nc);
        line.put("recall", BenchOutput.round(recall(rounds.get(0).ids, expected, k), 4));
        line.put("qps", BenchOutput.round(median(qps), 1));
        line.put("qpsMin", BenchOutput.round(qps[0], 1));
        line.put("qpsMax", BenchOutput.round(qps[qps.length - 1], 1));
        line.put("rounds", rounds.size());
        line.put("p50Ms", BenchOutput.round(medianOf(rounds, 50), 3));
        line.put("p99Ms", BenchOutput.round(medianOf(rounds, 99), 3));
        line.put("indexSeconds", BenchOutput.round(index.indexSeconds(), 2));
        line.put("mergeSeconds", BenchOutput.round(index.mergeSeconds(), 2));
        line.put("indexBytes", index.indexBytes());
        line.put("engine", "lucene");
        line.put("vectors", index.format().label());
        line.put("filter", filter.label());
        line.put("selectivity", filter.selectivity());
        line.put("matching", matching);
        if (!filter.filter().isEmpty()) {
            line.put("exactFilterRatio", ratio);
        }
        line.put("k", k);
        line.put("m", m);
        line.put("beamWidth", beamWidth);
        line.put("threads", t);
        line.put("n", index.n());
        line.put("queries", queries);
        line.put("dimension", index.dimension());
        if (!reuse) { // a reused index's flushes and RAM buffer are those of the run that built it: unknown here
            line.put("segmentsBeforeMerge", index.segmentsBeforeMerge());
        }
        line.put("segments", index.segments());
        line.put("graphLevels", index.graph().levels());
        line.put("graphDegree0", BenchOutput.round(index.graph().meanDegree0(), 2));
        line.put("graphMaxDegree0", index.graph().maxDegree0());
        line.put("mergeWorkers", mergeWorkers);
        if (!reuse) {
            line.put("ramBufferMb", ramBufferMb);
        }
        line.put("loadAtStart", BenchOutput.round(index.loadAtStart(), 2));
        line.put("load", BenchOutput.round(Machine.loadAverage(), 2));
        return line;
    }

    /** The ratios a filter is run with: all of them when it filters, the first (any would do) when not. */
    private static List<Double> ratiosOf(BenchFilters.Spec filter, List<Double> ratios) {
        return filter.filter().isEmpty() ? ratios.subList(0, 1) : ratios;
    }

    /** The truth of each filter's selectivity (1.0: no filter) among the base ids it selects. */
    private Map<Double, int[][]> filteredTruths(
            FvecsFile baseFile, float[][] queryVectors, int[][] unfiltered, List<BenchFilters.Spec> filters)
            throws InterruptedException {
        Map<Double, int[][]> truths = new LinkedHashMap<>();
        truths.put(1.0, unfiltered);
        int workers = truthThreads != null ? truthThreads : Runtime.getRuntime().availableProcessors();
        for (BenchFilters.Spec filter : filters) {
            if (!truths.containsKey(filter.selectivity())) {
                long start = System.nanoTime();
                truths.put(
                        filter.selectivity(),
                        ExactNeighbours.compute(baseFile, queryVectors, k, workers, filter.accepts()));
                BenchOutput.progress(
                        "bench-knn: exact top-%d within selectivity %s in %.1f s",
                        k, filter.selectivity(), (System.nanoTime() - start) / 1e9);
            }
        }
        return truths;
    }

    private static long matching(int count, BenchFilters.Spec filter) {
        java.util.function.IntPredicate accepts = filter.accepts();
        long n = 0;
        for (int i = 0; i < count; i++) {
            if (accepts.test(i)) {
                n++;
            }
        }
        return n;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double medianOf(List<QueryRun> rounds, double percentile) {
        return median(rounds.stream()
                .mapToDouble(r -> r.latencies.percentileMillis(percentile))
                .sorted()
                .toArray());
    }

    /** The vector format of the index to reuse, after checking that it holds the base's vectors. */
    private static VectorFormat requireReusable(LuceneBackend backend, ModelIdentity identity, int count)
            throws IOException {
        try (VectorIndex existing = backend.openReadOnly(identity)) {
            long documents = existing.stats().documents();
            if (documents != count) {
                throw new IllegalArgumentException("--reuse: the index in " + backend.folder() + " holds " + documents
                        + " documents, --base has " + count + " vectors");
            }
            return existing.metadata().vectors();
        }
    }

    private ModelIdentity identity(int dimension) {
        if (model == null) {
            return new ModelIdentity("bench-knn", "fvecs-" + dimension, dimension);
        }
        ModelIdentity bundle = ModelIdentity.of(BundleLoader.load(model));
        if (bundle.dimension() != dimension) {
            throw new IllegalArgumentException("--model " + model + " embeds in " + bundle.dimension()
                    + " dimensions, the vectors of --base have " + dimension);
        }
        if (index == null) {
            throw new IllegalArgumentException("--model only makes sense with --index (the index is kept to serve)");
        }
        return bundle;
    }

    private int[][] truth(FvecsFile baseFile, float[][] queryVectors) throws IOException, InterruptedException {
        if (truth != null) {
            int[][] rows = VectorFiles.readIvecs(truth);
            if (rows.length != queryVectors.length) {
                throw new IllegalArgumentException(
                        "--truth " + truth + " has " + rows.length + " rows for " + queryVectors.length + " queries");
            }
            int expected = Math.min(k, baseFile.count());
            for (int q = 0; q < rows.length; q++) {
                if (rows[q].length < expected) {
                    throw new IllegalArgumentException("--truth " + truth + " row " + q + " has " + rows[q].length
                            + " ids, fewer than --k " + expected);
                }
            }
            return rows;
        }
        int workers = truthThreads != null ? truthThreads : Runtime.getRuntime().availableProcessors();
        long start = System.nanoTime();
        int[][] ids = ExactNeighbours.compute(baseFile, queryVectors, k, workers);
        BenchOutput.progress(
                "bench-knn: exact top-%d of %d queries over %d vectors in %.1f s (%d threads)",
                k, queryVectors.length, baseFile.count(), (System.nanoTime() - start) / 1e9, workers);
        return ids;
    }

    /** Adds every base vector through the product's index, commits and closes; returns seconds. */
    private double build(FvecsFile baseFile, Path folder, ModelIdentity identity, VectorFormat format)
            throws IOException {
        long start = System.nanoTime();
        long lastReport = start;
        try (VectorIndex vectorIndex = new LuceneBackend(folder)
                .withRamBufferMb(ramBufferMb)
                .open(new IndexSpec(identity, new IndexOptions(format, m, beamWidth)))) {
            for (int i = 0; i < baseFile.count(); i++) {
                vectorIndex.upsert(document(i, baseFile.read(i)));
                long now = System.nanoTime();
                if (now - lastReport > 10_000_000_000L) {
                    lastReport = now;
                    BenchOutput.progress(
                            "bench-knn: indexed %d/%d (%.0f s)", i + 1, baseFile.count(), (now - start) / 1e9);
                }
            }
            vectorIndex.commit(null);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * A document whose id is the vector's ordinal in the base file, with the folder, format and date
     * that {@link BenchFilters} filters on.
     */
    static ImageDocument document(int ordinal, float[] vector) {
        String id = Integer.toString(ordinal);
        return new ImageDocument(
                id,
                BenchFilters.path(ordinal),
                "fvecs-" + id,
                1,
                1,
                0,
                BenchFilters.modified(ordinal),
                BenchFilters.format(ordinal),
                null,
                vector);
    }

    private record QueryRun(int[][] ids, Latencies latencies, double seconds) {}

    private QueryRun runQueries(
            VectorIndex vectorIndex, float[][] queryVectors, int nc, int threads, SearchFilter filter)
            throws IOException {
        int[][] ids = new int[queryVectors.length][];
        long start = System.nanoTime();
        Latencies latencies;
        if (threads == 1) {
            latencies = new Latencies(queryVectors.length);
            for (int q = 0; q < queryVectors.length; q++) {
                ids[q] = timedQuery(vectorIndex, queryVectors[q], nc, filter, latencies);
            }
        } else {
            latencies = new Latencies(queryVectors.length);
            AtomicInteger next = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<Latencies>> parts = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    parts.add(pool.submit(() -> {
                        Latencies mine = new Latencies(queryVectors.length / threads + 1);
                        int q;
                        while ((q = next.getAndIncrement()) < queryVectors.length) {
                            ids[q] = timedQuery(vectorIndex, queryVectors[q], nc, filter, mine);
                        }
                        return mine;
                    }));
                }
                for (Future<Latencies> part : parts) {
                    latencies.merge(part.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw new IllegalStateException("query failed: " + e.getCause(), e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
        return new QueryRun(ids, latencies, (System.nanoTime() - start) / 1e9);
    }

    private int[] timedQuery(VectorIndex vectorIndex, float[] vector, int nc, SearchFilter filter, Latencies latencies)
            throws IOException {
        long t0 = System.nanoTime();
        List<Hit> hits = vectorIndex.search(new VectorQuery(vector, k, nc, filter));
        latencies.add(System.nanoTime() - t0);
        int[] ids = new int[hits.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = Integer.parseInt(hits.get(i).document().id());
        }
        return ids;
    }

    /** Mean over queries of |found ∩ true top k| / k. */
    static double recall(int[][] found, int[][] truthIds, int k) {
        double sum = 0;
        for (int q = 0; q < found.length; q++) {
            int wanted = Math.min(k, truthIds[q].length);
            java.util.Set<Integer> expected = new java.util.HashSet<>();
            for (int i = 0; i < wanted; i++) {
                expected.add(truthIds[q][i]);
            }
            int hit = 0;
            for (int id : found[q]) {
                if (expected.contains(id)) {
                    hit++;
                }
            }
            sum += wanted == 0 ? 1 : (double) hit / wanted;
        }
        return found.length == 0 ? 0 : sum / found.length;
    }

    private static void requireEmpty(Path folder) throws IOException {
        if (Files.exists(folder)) {
            try (Stream<Path> entries = Files.list(folder)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException("--index " + folder + " is not empty; bench-knn builds a new"
                            + " index and wants an empty or new folder");
                }
            }
        }
    }

    static long folderBytes(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(p -> {
                        try {
                            return Files.size(p);
                        } catch (IOException e) {
                            return 0;
                        }
                    })
                    .sum();
        }
    }

    static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
