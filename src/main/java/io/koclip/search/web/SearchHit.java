package io.koclip.search.web;

import io.koclip.search.search.RankedImage;

/**
 * One hit as the API returns it: the query service's {@link RankedImage} with the URLs that serve the
 * image ({@link ImageController}).
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
record SearchHit(
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
    static final String IMAGES = "/api/v1/images/";

    static SearchHit of(RankedImage hit) {
        return new SearchHit(
                hit.id(),
                hit.path(),
                hit.score(),
                hit.width(),
                hit.height(),
                hit.format(),
                IMAGES + hit.id(),
                IMAGES + hit.id() + "/thumbnail",
                hit.duplicates());
    }
}
