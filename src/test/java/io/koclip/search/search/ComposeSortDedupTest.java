package io.koclip.search.search;

import static io.koclip.search.index.InMemoryVectorIndex.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.when;

import io.koclip.search.image.DecodedImage;
import io.koclip.search.index.ImageDocument;
import io.koclip.search.index.InMemoryBackend;
import io.koclip.search.index.InMemoryVectorIndex;
import io.koclip.search.index.IndexSpec;
import io.koclip.search.index.SearchFilter;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Composed queries, sort=date and dedup=near in the query service, over {@link FakeQueryStack}'s axis
 * embeddings ("red" → axis 0, "blue" → 1, "green" → 2, other text → 3) and a brute-force index.
 */
class ComposeSortDedupTest {
    static final int DIM = FakeQueryStack.DIM;

    FakeQueryStack fake;
    InMemoryVectorIndex backing;
    SearchService service;

    static ImageDocument doc(String id, String hash, long modified, float[] vector) {
        return new ImageDocument(id, id + ".png", hash, 64, 48, 1000, modified, "png", null, vector);
    }

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeQueryStack();
        backing = new InMemoryVectorIndex("fake", "fp1");
        backing.upsert(doc("red-1", "h-red1", 1_000, unit(DIM, 0, 7, 0.1f)));
        backing.upsert(doc("red-1-copy", "h-red1", 1_500, unit(DIM, 0, 7, 0.1f)));
        // a re-encoded red-1: other bytes, an embedding 0.0002 away (cosine distance)
        backing.upsert(doc("red-1-jpeg", "h-red1j", 5_000, unit(DIM, 0, 7, 0.12f)));
        backing.upsert(doc("red-2", "h-red2", 3_000, unit(DIM, 0, 1, 0.5f)));
        backing.upsert(doc("purple", "h-purple", 500, unit(DIM, 0, 1, 1f))); // red and blue alike
        backing.upsert(doc("blue-1", "h-blue1", 2_000, unit(DIM, 1, 7, 0.1f)));
        backing.upsert(doc("green-1", "h-green1", 4_000, unit(DIM, 2, 7, 0.1f)));
        service = fake.service(LiveIndex.open(
                new InMemoryBackend(backing), IndexSpec.of(backing.metadata().model())));
    }

    static List<String> ids(SearchPage page) {
        return page.hits().stream().map(RankedImage::id).toList();
    }

    @Test
    void aSumOfTwoTextsFindsTheImageBetweenThem() throws Exception {
        SearchPage page = service.compose(
                List.of(new ComposeTerm.Text("red", 1), new ComposeTerm.Text("blue", 1)), null, Paging.firstPage(3));
        assertThat(ids(page)).first().isEqualTo("purple");
        assertThat(page.hits().get(0).score()).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-3f));
        assertThat(page.query()).isEqualTo("red + blue");
        assertThat(fake.registry
                        .get("koclip.search")
                        .tag("kind", "compose")
                        .timer()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void aNegativeWeightSubtracts() throws Exception {
        List<String> plus = ids(service.compose(
                List.of(new ComposeTerm.Text("red", 1), new ComposeTerm.Text("blue", 1)), null, Paging.firstPage(10)));
        List<String> minus = ids(service.compose(
                List.of(new ComposeTerm.Text("red", 2), new ComposeTerm.Text("blue", -1)), null, Paging.firstPage(10)));
        assertThat(minus.indexOf("purple")).isGreaterThan(plus.indexOf("purple"));
        assertThat(minus.get(0)).isEqualTo("red-1");
        // blue is subtracted: the blue image is last among the hits with a cosine
        assertThat(minus.get(minus.size() - 1)).isEqualTo("blue-1");
        assertThat(service.compose(
                                List.of(new ComposeTerm.Text("red", 2), new ComposeTerm.Text("blue", -1)),
                                null,
                                Paging.firstPage(1))
                        .query())
                .isEqualTo("2:red - blue");
    }

    @Test
    void anIndexedImagePlusTextLeavesTheImageAndItsCopiesOut() throws Exception {
        SearchPage page = service.compose(
                List.of(new ComposeTerm.Image("red-1", 1), new ComposeTerm.Text("blue", 0.5)),
                null,
                Paging.firstPage(10));
        // red-2 (red with some blue) is nearest to red-1 + blue/2, then purple (red and blue alike)
        assertThat(ids(page))
                .doesNotContain("red-1", "red-1-copy")
                .containsExactly("red-2", "purple", "red-1-jpeg", "blue-1", "green-1");
        assertThat(page.query()).isEqualTo("image:red-1 + 0.5:blue");
        // a negative image term is not left out
        SearchPage minus = service.compose(
                List.of(new ComposeTerm.Text("red", 1), new ComposeTerm.Image("purple", -0.5)),
                null,
                new Paging(10, 0, null, SearchFilter.NONE, false));
        assertThat(ids(minus)).contains("purple");
    }

    @Test
    void anUploadIsEncodedLikeAnImageSearch() throws Exception {
        BufferedImage rgb = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        when(fake.decoder.decode(any(byte[].class))).thenReturn(new DecodedImage(rgb, "png", 4, 4));
        when(fake.imageEncoder.encode(rgb)).thenReturn(unit(DIM, 2, 7, 0f));
        SearchPage page = service.compose(
                List.of(new ComposeTerm.Upload(new byte[] {1}, "g.png", 1), new ComposeTerm.Text("red", -0.2)),
                null,
                Paging.firstPage(1));
        assertThat(ids(page)).containsExactly("green-1");
        assertThat(page.query()).isEqualTo("upload:g.png - 0.2:red");
    }

    @Test
    void badTermsAreRefusedNamingTheTerm() {
        assertThatThrownBy(() -> service.compose(List.of(), null, Paging.firstPage(1)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("terms: must hold at least one term");
        List<ComposeTerm> nine = new ArrayList<>(Collections.nCopies(9, new ComposeTerm.Text("red", 1)));
        assertThatThrownBy(() -> service.compose(nine, null, Paging.firstPage(1)))
                .hasMessage("terms: 9 terms, over the limit of 8");
        assertThatThrownBy(() -> service.compose(
                        List.of(new ComposeTerm.Text("red", 1), new ComposeTerm.Text("blue", 10.5)),
                        null,
                        Paging.firstPage(1)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("terms[1].weight: 10.5 is not in [-10.0, 10.0] or is 0");
        assertThatThrownBy(() -> service.compose(List.of(new ComposeTerm.Text("red", 0)), null, Paging.firstPage(1)))
                .hasMessageStartingWith("terms[0].weight: 0.0");
        assertThatThrownBy(() ->
                        service.compose(List.of(new ComposeTerm.Text("red", Double.NaN)), null, Paging.firstPage(1)))
                .hasMessageStartingWith("terms[0].weight: NaN");
        assertThatThrownBy(() -> service.compose(
                        List.of(new ComposeTerm.Text("red", -1), new ComposeTerm.Text("blue", -2)),
                        null,
                        Paging.firstPage(1)))
                .hasMessage("terms: at least one weight must be positive");
        assertThatThrownBy(() -> service.compose(
                        List.of(new ComposeTerm.Text("red", 1), new ComposeTerm.Text(" red ", -1)),
                        null,
                        Paging.firstPage(1)))
                .hasMessageContaining("zero (the terms cancel out)");
        assertThatThrownBy(() -> service.compose(
                        List.of(new ComposeTerm.Text("red", 1), new ComposeTerm.Text("가".repeat(201), 1)),
                        null,
                        Paging.firstPage(1)))
                .hasMessage("terms[1].text: 201 characters, over the limit of 200");
        assertThatThrownBy(() -> service.compose(List.of(new ComposeTerm.Text("  ", 1)), null, Paging.firstPage(1)))
                .hasMessage("terms[0].text: must not be blank");
        assertThatThrownBy(() -> service.compose(
                        List.of(new ComposeTerm.Text("red", 1), new ComposeTerm.Image("nope", 1)),
                        null,
                        Paging.firstPage(1)))
                .isInstanceOf(DocumentNotFoundException.class)
                .hasMessageContaining("'nope'");
    }

    @Test
    void sortByDateIsNewestFirstAmongHitsAboveMinScore() {
        Paging byDate = new Paging(10, 0, 0.5f, SearchFilter.NONE, Dedup.EXACT, SortOrder.DATE);
        // above 0.5 for "red": red-1 (+ its copy, collapsed), red-1-jpeg, red-2, purple
        assertThat(ids(service.searchText("red", null, byDate)))
                .containsExactly("red-1-jpeg", "red-2", "red-1", "purple");
        Paging relevance = new Paging(10, 0, 0.5f, SearchFilter.NONE, Dedup.EXACT, SortOrder.RELEVANCE);
        assertThat(ids(service.searchText("red", null, relevance))).first().isEqualTo("red-1");
        // without minScore every hit is dated; paging walks the date order
        Paging second = new Paging(2, 2, null, SearchFilter.NONE, Dedup.NONE, SortOrder.DATE);
        // by date: red-1-jpeg 5000, green-1 4000, red-2 3000, blue-1 2000, red-1-copy 1500, red-1 1000, purple 500
        assertThat(ids(service.searchText("red", null, second))).containsExactly("red-2", "blue-1");
        assertThatThrownBy(() -> service.searchText(
                        "red", null, new Paging(100, 950, null, SearchFilter.NONE, Dedup.EXACT, SortOrder.DATE)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("offset + k = 1050 is over the 1000 hits that sort=date orders");
        assertThatThrownBy(() -> SortOrder.parse("newest")).hasMessage("sort: 'newest' is not one of relevance, date");
    }

    @Test
    void dedupNearCollapsesReEncodedCopiesIntoTheBestHit() {
        SearchPage exact = service.searchText("red", null, new Paging(10, 0, 0.5f, SearchFilter.NONE, true));
        assertThat(ids(exact)).containsExactly("red-1", "red-1-jpeg", "red-2", "purple");
        SearchPage near = service.searchText(
                "red", null, new Paging(10, 0, 0.5f, SearchFilter.NONE, Dedup.NEAR, SortOrder.RELEVANCE));
        assertThat(ids(near)).containsExactly("red-1", "red-2", "purple");
        assertThat(near.hits().get(0).duplicates()).isEqualTo(2); // the byte copy and the re-encoded one
        assertThat(Dedup.parse("near")).isEqualTo(Dedup.NEAR);
        assertThat(Dedup.parse("false")).isEqualTo(Dedup.NONE);
        assertThat(Dedup.parse(null)).isEqualTo(Dedup.EXACT);
        assertThatThrownBy(() -> Dedup.parse("fuzzy")).hasMessage("dedup: 'fuzzy' is not one of true, false, near");
    }
}
