package io.koclip.search.search;

import io.koclip.search.index.Hit;
import io.koclip.search.index.VectorIndex;
import io.koclip.search.index.VectorQuery;
import java.io.IOException;
import java.util.List;

/**
 * k-nearest neighbours of the query's embedding (cosine, HNSW), with the candidate count from the
 * {@link CandidatePolicy}. Scores are cosines in [-1, 1]. Thread-safe: immutable.
 *
 * @param policy how many HNSW candidates each query explores
 * @param requestedCandidates candidates asked for explicitly (the {@code search} command's
 *     {@code --num-candidates}), or 0 for the policy's choice
 */
public record VectorRetriever(CandidatePolicy policy, int requestedCandidates) implements Retriever {
    public VectorRetriever {
        if (policy == null) {
            throw new IllegalArgumentException("candidate policy is missing");
        }
        if (requestedCandidates < 0) {
            throw new IllegalArgumentException("requestedCandidates: " + requestedCandidates + " must be >= 0");
        }
    }

    /** The policy's choice of candidates. */
    public VectorRetriever(CandidatePolicy policy) {
        this(policy, 0);
    }

    @Override
    public List<RetrievedHit> retrieve(VectorIndex index, RetrievalQuery query, int size) throws IOException {
        int candidates =
                policy.candidates(size, requestedCandidates, index.metadata().vectors());
        List<Hit> hits = index.search(new VectorQuery(query.vector(), size, candidates, query.filter()));
        return hits.stream()
                .map(h -> new RetrievedHit(h.document(), h.score(), HitScores.vector(h.score())))
                .toList();
    }
}
