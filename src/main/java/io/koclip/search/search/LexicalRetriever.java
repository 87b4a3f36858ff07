package io.koclip.search.search;

import io.koclip.search.index.Hit;
import io.koclip.search.index.LexicalQuery;
import io.koclip.search.index.VectorIndex;
import io.koclip.search.index.VectorQuery;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;

/**
 * BM25F over the images' text fields, one per text source ({@link LexicalQuery}; the Lucene backend
 * analyzes Korean with Nori, so "경복궁" finds "경복궁에서 찍은 사진"). Hits keep the backend's snippet. The query's normalized text is the words, templates
 * play no part; a query without text (an image) finds nothing.
 *
 * <p>Equal BM25 scores are common (images with the same caption) and a backend breaks them by its
 * internal document order, which depends on ingest timing; this retriever fetches past the cut until
 * the tie group at the cut is complete and orders ties by id, so a ranking, and the hybrid fusion over
 * it, is the same for the same documents. Thread-safe: stateless.
 */
public record LexicalRetriever() implements Retriever {
    @Override
    public List<RetrievedHit> retrieve(VectorIndex index, RetrievalQuery query, int size) throws IOException {
        String text = query.text();
        if (text == null || text.isBlank()) {
            return List.of();
        }
        // Fetch past the cut while the score at the cut continues beyond what was fetched, so that the
        // whole tie group at the boundary is here to be ordered by id (at most MAX_CANDIDATES).
        int fetch = Math.min(size + 1, VectorQuery.MAX_CANDIDATES);
        List<Hit> hits;
        while (true) {
            hits = index.search(new LexicalQuery(text, fetch, query.filter()));
            boolean complete = hits.size() < fetch || fetch >= VectorQuery.MAX_CANDIDATES;
            if (complete
                    || hits.size() <= size
                    || hits.get(size - 1).score() > hits.get(hits.size() - 1).score()) {
                break;
            }
            fetch = Math.min(fetch * 2, VectorQuery.MAX_CANDIDATES);
        }
        return hits.stream()
                .sorted(Comparator.comparingDouble((Hit h) -> -h.score())
                        .thenComparing(h -> h.document().id()))
                .limit(size)
                .map(h -> new RetrievedHit(h.document(), h.score(), HitScores.lexical(h.score()), h.snippet()))
                .toList();
    }
}
