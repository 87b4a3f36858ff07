package io.koclip.search.web;

import io.koclip.search.search.SearchPage;
import java.util.List;

/**
 * A page of hits as the API returns it (docs/api.md).
 *
 * @param query the normalized query text; {@code image:<name>} for an upload, {@code similar:<id>} by id
 * @param model the bundle's name
 * @param tookMs server time for the whole request, in milliseconds
 * @param k hits asked for
 * @param offset hits skipped (paging)
 * @param cached whether the query embedding came from the cache (always false for images)
 * @param hits best first, at most {@code k}
 */
record SearchResponse(
        String query, String model, long tookMs, int k, int offset, boolean cached, List<SearchHit> hits) {
    SearchResponse {
        hits = List.copyOf(hits);
    }

    static SearchResponse of(SearchPage page) {
        return new SearchResponse(
                page.query(),
                page.model(),
                page.tookMs(),
                page.k(),
                page.offset(),
                page.cached(),
                page.hits().stream().map(SearchHit::of).toList());
    }
}
