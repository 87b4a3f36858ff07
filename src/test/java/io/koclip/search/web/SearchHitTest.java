package io.koclip.search.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.koclip.search.index.Snippet;
import io.koclip.search.search.HitScores;
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
                        new SearchHit.Scores(0.5f, null, null),
                        null));
        assertThat(response.query()).isEqualTo("red");
        assertThat(response.cached()).isTrue();
    }

    @Test
    void aSnippetKeepsItsFieldAndMarkedHtml() {
        RankedImage ranked = new RankedImage(
                "gb-1",
                "gb.jpg",
                0.03f,
                64,
                48,
                "jpeg",
                1234,
                99,
                0,
                new HitScores(null, 2.5f, 0.03f),
                new Snippet("title", "<mark>경복궁</mark>에서 &amp; 찍은 사진"));
        SearchHit hit = SearchResponse.of(new SearchPage("경복궁", "fake", 3, 10, 0, false, List.of(ranked)))
                .hits()
                .get(0);
        assertThat(hit.snippet()).isEqualTo(new SearchHit.SnippetView("title", "<mark>경복궁</mark>에서 &amp; 찍은 사진"));
    }
}
