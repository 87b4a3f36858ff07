package io.koclip.search.search;

import io.koclip.search.index.Hit;
import io.koclip.search.index.LexicalQuery;
import io.koclip.search.index.VectorIndex;
import java.io.IOException;
import java.util.List;

/**
 * BM25 over the images' caption text ({@link LexicalQuery}; the Lucene backend analyzes Korean with
 * Nori, so "경복궁" finds "경복궁에서 찍은 사진"). The query's normalized text is the words, templates
 * play no part; a query without text (an image) finds nothing. Thread-safe: stateless.
 */
public record LexicalRetriever() implements Retriever {
    @Override
    public List<RetrievedHit> retrieve(VectorIndex index, RetrievalQuery query, int size) throws IOException {
        String text = query.text();
        if (text == null || text.isBlank()) {
            return List.of();
        }
        List<Hit> hits = index.search(new LexicalQuery(text, size, query.filter()));
        return hits.stream()
                .map(h -> new RetrievedHit(h.document(), h.score(), HitScores.lexical(h.score())))
                .toList();
    }
}
