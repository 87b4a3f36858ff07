package io.koclip.search.search;

import io.koclip.search.index.Hit;
import io.koclip.search.index.ImageDocument;

/**
 * One hit as the API returns it.
 *
 * @param id the image's stable id
 * @param path path relative to the source folder, '/'-separated
 * @param score cosine similarity to the query, in [-1, 1]
 * @param width upright width in pixels
 * @param height upright height in pixels
 * @param format detected format ({@code jpeg}, {@code png}, ...)
 * @param imageUrl the original image, served by id
 * @param thumbnailUrl a small JPEG of the image
 * @param duplicates other files with identical bytes collapsed into this hit (0 with {@code dedup=false})
 */
public record SearchHit(
        String id,
        String path,
        float score,
        int width,
        int height,
        String format,
        String imageUrl,
        String thumbnailUrl,
        int duplicates) {

    /** Base path of the image endpoints. */
    public static final String IMAGES = "/api/v1/images/";

    static SearchHit of(Hit hit, int duplicates) {
        ImageDocument d = hit.document();
        return new SearchHit(
                d.id(),
                d.path(),
                hit.score(),
                d.width(),
                d.height(),
                d.format(),
                IMAGES + d.id(),
                IMAGES + d.id() + "/thumbnail",
                duplicates);
    }
}
