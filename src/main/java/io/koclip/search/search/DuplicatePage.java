package io.koclip.search.search;

import java.util.List;

/**
 * A page of near-duplicate groups ({@link NearDuplicates}).
 *
 * @param model the bundle's name
 * @param tookMs time for the whole request, in milliseconds
 * @param maxDistance the cosine distance ({@code 1 − cosine}) that links two images
 * @param page 0-based page of groups
 * @param size groups per page
 * @param totalGroups groups in the whole index
 * @param totalImages images in those groups
 * @param groups this page's groups; each holds at least two images, sorted by path, each scored by its
 *     cosine similarity to the group's first image
 */
public record DuplicatePage(
        String model,
        long tookMs,
        double maxDistance,
        int page,
        int size,
        int totalGroups,
        int totalImages,
        List<List<RankedImage>> groups) {
    public DuplicatePage {
        groups = groups.stream().map(List::copyOf).toList();
    }
}
