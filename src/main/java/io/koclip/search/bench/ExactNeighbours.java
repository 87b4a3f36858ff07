package io.koclip.search.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import org.apache.lucene.util.VectorUtil;

/**
 * Exact top-k neighbours by dot product (the cosine, on unit vectors): the truth that recall is
 * measured against when no truth file is given. Brute force, multithreaded over the base: each
 * thread takes blocks of base vectors, reads each vector once from the mapped file and scores it
 * against every query (Lucene's {@link VectorUtil#dotProduct}, SIMD when the vector module is on), so
 * the base is streamed once whatever the number of queries.
 *
 * <p>Ties are broken by the smaller id, like the Python generator's truth.
 */
final class ExactNeighbours {
    private static final int BLOCK = 4096;

    private ExactNeighbours() {}

    /**
     * @return {@code [queries][min(k, base count)]} base ids, best first
     */
    static int[][] compute(FvecsFile base, float[][] queries, int k, int threads) throws InterruptedException {
        return compute(base, queries, k, threads, id -> true);
    }

    /**
     * The exact top k among the base ids that {@code accept} passes (the truth of a filtered search).
     *
     * @return {@code [queries][min(k, accepted count)]} base ids, best first
     */
    static int[][] compute(FvecsFile base, float[][] queries, int k, int threads, IntPredicate accept)
            throws InterruptedException {
        if (k < 1) {
            throw new IllegalArgumentException("k: " + k + " must be >= 1");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads: " + threads + " must be >= 1");
        }
        for (int q = 0; q < queries.length; q++) {
            if (queries[q].length != base.dimension()) {
                throw new IllegalArgumentException(
                        "query " + q + " has dimension " + queries[q].length + ", the base has " + base.dimension());
            }
        }
        int kk = Math.min(k, base.count());
        AtomicInteger nextBlock = new AtomicInteger();
        List<Future<TopK[]>> parts = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "koclip-exact-knn");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int t = 0; t < threads; t++) {
                parts.add(pool.submit(() -> {
                    TopK[] tops = new TopK[queries.length];
                    for (int q = 0; q < tops.length; q++) {
                        tops[q] = new TopK(kk);
                    }
                    float[] vector = new float[base.dimension()];
                    int block;
                    while ((block = nextBlock.getAndIncrement()) * (long) BLOCK < base.count()) {
                        int end = Math.min(base.count(), (block + 1) * BLOCK);
                        for (int id = block * BLOCK; id < end; id++) {
                            if (!accept.test(id)) {
                                continue;
                            }
                            base.read(id, vector);
                            for (int q = 0; q < queries.length; q++) {
                                tops[q].offer(VectorUtil.dotProduct(queries[q], vector), id);
                            }
                        }
                    }
                    return tops;
                }));
            }
            TopK[] merged = new TopK[queries.length];
            for (int q = 0; q < merged.length; q++) {
                merged[q] = new TopK(kk);
            }
            for (Future<TopK[]> part : parts) {
                TopK[] tops = part.get();
                for (int q = 0; q < merged.length; q++) {
                    merged[q].addAll(tops[q]);
                }
            }
            int[][] ids = new int[queries.length][];
            for (int q = 0; q < ids.length; q++) {
                ids[q] = merged[q].ids();
            }
            return ids;
        } catch (ExecutionException e) {
            throw new IllegalStateException("exact kNN failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** The best {@code k} (score, id) pairs seen, kept sorted best first. Not thread-safe. */
    static final class TopK {
        private final float[] scores;
        private final int[] ids;
        private int size;

        TopK(int k) {
            scores = new float[k];
            ids = new int[k];
        }

        private static boolean better(float s1, int id1, float s2, int id2) {
            return s1 > s2 || (s1 == s2 && id1 < id2);
        }

        void offer(float score, int id) {
            int k = scores.length;
            if (size == k && !better(score, id, scores[k - 1], ids[k - 1])) {
                return;
            }
            int at = size < k ? size++ : k - 1;
            while (at > 0 && better(score, id, scores[at - 1], ids[at - 1])) {
                scores[at] = scores[at - 1];
                ids[at] = ids[at - 1];
                at--;
            }
            scores[at] = score;
            ids[at] = id;
        }

        void addAll(TopK other) {
            for (int i = 0; i < other.size; i++) {
                offer(other.scores[i], other.ids[i]);
            }
        }

        int[] ids() {
            return java.util.Arrays.copyOf(ids, size);
        }
    }
}
