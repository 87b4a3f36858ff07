package io.koclip.search.search;

import java.util.List;

/**
 * A page of hits from the query service.
 *
 * @param query the normalized query text; {@code image:<name>} for an upload, {@code similar:<id>} by id
 * @param model the bundle's name
 * @param tookMs time for the whole request, from validation to the last hit, in milliseconds
 * @param k hits asked for
 * @param offset hits skipped (paging)
 * @param cached whether the query embedding came from the cache (always false for images)
 * @param hits best first, at most {@code k}
 */
public record SearchPage(
        String query, String model, long tookMs, int k, int offset, boolean cached, List<RankedImage> hits) {
    public SearchPage {
        hits = List.copyOf(hits);
    }
}
