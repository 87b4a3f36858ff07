package io.koclip.search.index;

/**
 * A nearest-neighbour query.
 *
 * @param vector unit-length query embedding; the index checks dimension, finiteness and norm
 * @param k number of hits wanted
 * @param numCandidates HNSW candidate list size (≥ k); 0 lets the index choose
 * @param filter restrictions applied inside the kNN search
 */
public record VectorQuery(float[] vector, int k, int numCandidates, SearchFilter filter) {
    public VectorQuery {
        if (k < 1) {
            throw new IllegalArgumentException("k: " + k + " must be >= 1");
        }
        if (numCandidates < 0) {
            throw new IllegalArgumentException("numCandidates: " + numCandidates + " must be >= 0");
        }
        vector = vector.clone();
    }

    @Override
    public float[] vector() {
        return vector.clone();
    }
}
