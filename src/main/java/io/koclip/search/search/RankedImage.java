package io.koclip.search.search;

import io.koclip.search.index.Hit;
import io.koclip.search.index.ImageDocument;

/**
 * One hit of a ranking, as the query service returns it to the REST API and the {@code search}
 * command (each adds its own presentation: the API its image URLs).
 *
 * @param id the image's stable id
 * @param path path relative to the source folder, '/'-separated
 * @param score cosine similarity to the query, in [-1, 1]
 * @param width upright width in pixels
 * @param height upright height in pixels
 * @param format detected format ({@code jpeg}, {@code png}, ...)
 * @param bytes file size
 * @param modified last-modified time, epoch milliseconds
 * @param duplicates other files with identical bytes collapsed into this hit (0 without dedup)
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
        int duplicates) {

    static RankedImage of(Hit hit, int duplicates) {
        ImageDocument d = hit.document();
        return new RankedImage(
                d.id(), d.path(), hit.score(), d.width(), d.height(), d.format(), d.bytes(), d.modified(), duplicates);
    }
}
