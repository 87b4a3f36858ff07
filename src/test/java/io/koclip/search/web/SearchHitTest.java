package io.koclip.search.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.koclip.search.search.RankedImage;
import io.koclip.search.search.SearchPage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The API's hits: the service's ranked images with the URLs that serve them. */
class SearchHitTest {
    @Test
    void hitsLinkToTheImageAndItsThumbnailById() {
        RankedImage ranked = new RankedImage("red-1", "red/red-1.png", 0.5f, 64, 48, "png", 1234, 99, 1);
        SearchResponse response = SearchResponse.of(new SearchPage("red", "fake", 3, 10, 0, true, List.of(ranked)));
        SearchHit first = response.hits().get(0);
        assertThat(first.imageUrl()).isEqualTo("/api/v1/images/red-1");
        assertThat(first.thumbnailUrl()).isEqualTo("/api/v1/images/red-1/thumbnail");
        assertThat(first)
                .isEqualTo(new SearchHit(
                        "red-1",
                        "red/red-1.png",
                        0.5f,
                        64,
                        48,
                        "png",
                        "/api/v1/images/red-1",
                        "/api/v1/images/red-1/thumbnail",
                        1,
                        new SearchHit.Scores(0.5f, null, null)));
        assertThat(response.query()).isEqualTo("red");
        assertThat(response.cached()).isTrue();
    }
}
