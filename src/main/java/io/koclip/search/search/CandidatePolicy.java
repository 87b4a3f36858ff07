package io.koclip.search.search;

import io.koclip.search.index.VectorFormat;
import io.koclip.search.index.VectorQuery;

/**
 * How many HNSW candidates a kNN query explores: the one place that decides it, for the server, the
 * {@code search} command and evaluation alike. More candidates raise recall and cost time.
 *
 * <p>Rule: an explicit request wins (raised to {@code k}); otherwise {@code max(minCandidates, f × k)},
 * where {@code f} is 2 for float32 vectors and 4 for quantized ones (their graph walk is approximate, so
 * a wider list is rescored exactly). Always within [k, {@value VectorQuery#MAX_CANDIDATES}].
 *
 * @param minCandidates the floor of the candidate list ({@code koclip.search.min-candidates}; its default is
 *     {@link SearchProperties#defaults()})
 */
public record CandidatePolicy(int minCandidates) {
    public CandidatePolicy {
        if (minCandidates < 1 || minCandidates > VectorQuery.MAX_CANDIDATES) {
            throw new IllegalArgumentException(
                    "minCandidates: " + minCandidates + " is not in [1, " + VectorQuery.MAX_CANDIDATES + "]");
        }
    }

    /**
     * @param k hits wanted
     * @param requested candidates asked for explicitly, or 0 for the policy's choice
     * @param vectors how the index stores its vectors
     */
    public int candidates(int k, int requested, VectorFormat vectors) {
        if (requested < 0) {
            throw new IllegalArgumentException("numCandidates: " + requested + " must be >= 0");
        }
        long chosen = requested > 0 ? requested : Math.max(minCandidates, (vectors.quantized() ? 4L : 2L) * k);
        return (int) Math.min(VectorQuery.MAX_CANDIDATES, Math.max(k, chosen));
    }
}
