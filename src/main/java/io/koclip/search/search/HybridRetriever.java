package io.koclip.search.search;

import io.koclip.search.index.ImageDocument;
import io.koclip.search.index.Snippet;
import io.koclip.search.index.VectorIndex;
import io.koclip.search.index.VectorQuery;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Vector and lexical rankings fused with Reciprocal Rank Fusion (Cormack, Clarke and Büttcher, SIGIR
 * 2009): a document at 1-based rank r<sub>v</sub> of the vector list and r<sub>l</sub> of the lexical
 * list scores {@code 1 / (K + r_v) + lexicalWeight / (K + r_l)}, a missing side adding 0, with
 * {@code K = 60}. Fusion goes by rank because cosines and BM25 scores are on unrelated scales.
 *
 * <p>Each side fetches {@code max(size, minDepth)} hits (at most {@value VectorQuery#MAX_CANDIDATES}),
 * so a document deep on one list and present on the other can still rise into the page. Filters are
 * inside both side queries. Ties in fused score go to the document on more lists, then to the better
 * single rank, then to the smaller id: the order is deterministic.
 *
 * <p>Thread-safe: immutable, over thread-safe retrievers.
 *
 * @param vector the vector side
 * @param lexical the lexical side
 * @param lexicalWeight weight of the lexical side's term, in [0, 10]; 1 weighs both sides alike, 0
 *     ranks by the vector list alone (lexical-only hits go last)
 * @param minDepth hits each side fetches at least, in [1, {@value VectorQuery#MAX_CANDIDATES}]
 */
public record HybridRetriever(Retriever vector, Retriever lexical, double lexicalWeight, int minDepth)
        implements Retriever {
    /** The RRF constant of the paper, also Elasticsearch's and OpenSearch's default. */
    public static final int K = 60;

    /** Hits each side fetches at least. */
    public static final int DEFAULT_DEPTH = 100;

    /** The default weight of the lexical side. */
    public static final double DEFAULT_LEXICAL_WEIGHT = 1.0;

    public HybridRetriever {
        if (vector == null || lexical == null) {
            throw new IllegalArgumentException("a hybrid retriever needs a vector and a lexical retriever");
        }
        if (!(lexicalWeight >= 0 && lexicalWeight <= 10)) {
            throw new IllegalArgumentException("lexicalWeight: " + lexicalWeight + " is not in [0, 10]");
        }
        if (minDepth < 1 || minDepth > VectorQuery.MAX_CANDIDATES) {
            throw new IllegalArgumentException(
                    "minDepth: " + minDepth + " is not in [1, " + VectorQuery.MAX_CANDIDATES + "]");
        }
    }

    /** Both sides over {@code vector}'s index, default weight and depth. */
    public HybridRetriever(Retriever vector, Retriever lexical) {
        this(vector, lexical, DEFAULT_LEXICAL_WEIGHT, DEFAULT_DEPTH);
    }

    @Override
    public List<RetrievedHit> retrieve(VectorIndex index, RetrievalQuery query, int size) throws IOException {
        int depth = Math.min(Math.max(size, minDepth), VectorQuery.MAX_CANDIDATES);
        List<RetrievedHit> vectorHits = vector.retrieve(index, query, depth);
        List<RetrievedHit> lexicalHits = lexical.retrieve(index, query, depth);
        List<RetrievedHit> fused = fuse(vectorHits, lexicalHits, lexicalWeight);
        return fused.size() <= size ? fused : List.copyOf(fused.subList(0, size));
    }

    /** The RRF of two rankings (best first), best first. */
    static List<RetrievedHit> fuse(List<RetrievedHit> vectorHits, List<RetrievedHit> lexicalHits, double weight) {
        Map<String, Fused> byId = new LinkedHashMap<>();
        for (int i = 0; i < vectorHits.size(); i++) {
            RetrievedHit hit = vectorHits.get(i);
            Fused f = byId.computeIfAbsent(hit.document().id(), id -> new Fused(hit.document()));
            if (f.vectorRank == 0) { // a list holds each id once; keep the first if not
                f.vectorRank = i + 1;
                f.vectorScore = hit.scores().vector();
                f.score += 1.0 / (K + i + 1);
            }
        }
        for (int i = 0; i < lexicalHits.size(); i++) {
            RetrievedHit hit = lexicalHits.get(i);
            Fused f = byId.computeIfAbsent(hit.document().id(), id -> new Fused(hit.document()));
            if (f.lexicalRank == 0) {
                f.lexicalRank = i + 1;
                f.lexicalScore = hit.scores().lexical();
                f.snippet = hit.snippet();
                f.score += weight / (K + i + 1);
            }
        }
        List<Fused> all = new ArrayList<>(byId.values());
        all.sort(Comparator.comparingDouble((Fused f) -> -f.score)
                .thenComparingInt(f -> -f.lists())
                .thenComparingInt(Fused::bestRank)
                .thenComparing(f -> f.document.id()));
        List<RetrievedHit> out = new ArrayList<>(all.size());
        for (Fused f : all) {
            float score = (float) f.score;
            out.add(new RetrievedHit(
                    f.document, score, new HitScores(f.vectorScore, f.lexicalScore, score), f.snippet));
        }
        return out;
    }

    /** One document's fusion in progress; ranks are 1-based, 0 for absent. */
    private static final class Fused {
        final ImageDocument document;
        int vectorRank;
        int lexicalRank;

        @Nullable
        Float vectorScore;

        @Nullable
        Float lexicalScore;

        @Nullable
        Snippet snippet;

        double score;

        Fused(ImageDocument document) {
            this.document = document;
        }

        int lists() {
            return (vectorRank > 0 ? 1 : 0) + (lexicalRank > 0 ? 1 : 0);
        }

        int bestRank() {
            int v = vectorRank > 0 ? vectorRank : Integer.MAX_VALUE;
            int l = lexicalRank > 0 ? lexicalRank : Integer.MAX_VALUE;
            return Math.min(v, l);
        }
    }
}
