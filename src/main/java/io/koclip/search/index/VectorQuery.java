package io.koclip.search.index;

/**
 * A nearest-neighbour query. Scores of its hits are cosines in [-1, 1].
 *
 * <p>The candidate count is the caller's decision (the query service's candidate policy): a backend
 * explores {@code numCandidates} graph candidates (per shard, on a sharded backend) and returns the
 * best {@code k}; with a quantized vector format it rescores the candidates with the exact vectors.
 *
 * @param vector unit-length query embedding; the index checks dimension, finiteness and norm
 * @param k number of hits wanted, in [1, {@value #MAX_CANDIDATES}]
 * @param numCandidates HNSW candidate list size, in [k, {@value #MAX_CANDIDATES}]
 * @param filter restrictions applied inside the kNN search
 */
public record VectorQuery(float[] vector, int k, int numCandidates, SearchFilter filter) implements IndexQuery {
    /** The most candidates one query may explore. */
    public static final int MAX_CANDIDATES = 10_000;

    public VectorQuery {
        if (vector == null) {
            throw new IllegalArgumentException("query vector is missing");
        }
        if (k < 1 || k > MAX_CANDIDATES) {
            throw new IllegalArgumentException("k: " + k + " is not in [1, " + MAX_CANDIDATES + "]");
        }
        if (numCandidates < k || numCandidates > MAX_CANDIDATES) {
            throw new IllegalArgumentException(
                    "numCandidates: " + numCandidates + " is not in [k=" + k + ", " + MAX_CANDIDATES + "]");
        }
        if (filter == null) {
            throw new IllegalArgumentException("filter must not be null (SearchFilter.NONE for none)");
        }
        vector = vector.clone();
    }

    @Override
    public float[] vector() {
        return vector.clone();
    }
}
