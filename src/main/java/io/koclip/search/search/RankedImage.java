package io.koclip.search.search;

import io.koclip.search.index.ImageDocument;
import io.koclip.search.index.Snippet;
import org.jspecify.annotations.Nullable;

/**
 * One hit of a ranking, as the query service returns it to the REST API and the {@code search}
 * command (each adds its own presentation: the API its image URLs).
 *
 * @param id the image's stable id
 * @param path path relative to the source folder, '/'-separated
 * @param score what the ranking is sorted by: the cosine similarity to the query in [-1, 1] (vector
 *     mode, image and similar-image queries), the BM25 score (lexical), the fused RRF score (hybrid)
 * @param width upright width in pixels
 * @param height upright height in pixels
 * @param format detected format ({@code jpeg}, {@code png}, ...)
 * @param bytes file size
 * @param modified last-modified time, epoch milliseconds
 * @param duplicates other files with identical bytes collapsed into this hit (0 without dedup)
 * @param scores how the hit was found: each side's score, null where absent
 * @param snippet the passage of the hit's text that matched the query's words, when the lexical side
 *     found it (lexical and hybrid modes); else null
 */
public record RankedImage(
        String id,
        String path,
        float score,
        int width,
        int height,
        String format,
        long bytes,
        long modified,
        int duplicates,
        HitScores scores,
        @Nullable Snippet snippet) {

    /** A hit of a vector ranking: {@code score} is the cosine. */
    public RankedImage(
            String id,
            String path,
            float score,
            int width,
            int height,
            String format,
            long bytes,
            long modified,
            int duplicates) {
        this(id, path, score, width, height, format, bytes, modified, duplicates, HitScores.vector(score), null);
    }

    static RankedImage of(RetrievedHit hit, int duplicates) {
        ImageDocument d = hit.document();
        return new RankedImage(
                d.id(),
                d.path(),
                hit.score(),
                d.width(),
                d.height(),
                d.format(),
                d.bytes(),
                d.modified(),
                duplicates,
                hit.scores(),
                hit.snippet());
    }
}
