package io.koclip.search.search;

import static io.koclip.search.index.InMemoryVectorIndex.document;
import static io.koclip.search.index.InMemoryVectorIndex.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.koclip.search.image.DecodedImage;
import io.koclip.search.image.ImageDecoder;
import io.koclip.search.image.ImageRejectedException;
import io.koclip.search.index.InMemoryBackend;
import io.koclip.search.index.InMemoryVectorIndex;
import io.koclip.search.index.IndexSpec;
import io.koclip.search.index.SearchFilter;
import io.koclip.search.model.ImageEncoder;
import io.koclip.search.model.TextEncoder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The query service over a brute-force index and {@link FakeQueryStack}'s fake model, whose text
 * embeddings are axis vectors: "red" → axis 0, "blue" → axis 1, "green" → axis 2, anything else → axis 3.
 */
class SearchServiceTest {
    static final int DIM = FakeQueryStack.DIM;

    FakeQueryStack fake;
    TextEncoder textEncoder;
    ImageEncoder imageEncoder;
    ImageDecoder decoder;
    InMemoryVectorIndex backing;
    LiveIndex index;
    SimpleMeterRegistry registry;
    AtomicLong nanos;
    SearchService service;

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeQueryStack();
        textEncoder = fake.textEncoder;
        imageEncoder = fake.imageEncoder;
        decoder = fake.decoder;
        registry = fake.registry;
        nanos = fake.nanos;
        backing = new InMemoryVectorIndex("fake", "fp1");
        // red-1 and red-1-copy have identical bytes; red-2 is a little less red; blue and green are far.
        backing.upsert(document("red-1", "red/red-1.png", "h-red1", unit(DIM, 0, 7, 0.1f)));
        backing.upsert(document("red-1-copy", "copies/red-1.png", "h-red1", unit(DIM, 0, 7, 0.1f)));
        backing.upsert(document("red-2", "red/red-2.png", "h-red2", unit(DIM, 0, 1, 0.5f)));
        backing.upsert(document("blue-1", "blue/blue-1.jpg", "h-blue1", unit(DIM, 1, 7, 0.1f)));
        backing.upsert(document("green-1", "green/green-1.png", "h-green1", unit(DIM, 2, 7, 0.1f)));
        index = LiveIndex.open(
                new InMemoryBackend(backing), IndexSpec.of(backing.metadata().model()));
        service = fake.service(index);
    }

    @Test
    void textSearchRanksAndCollapsesDuplicates() {
        SearchPage response = service.searchText("  red  ", null, Paging.firstPage(10));
        assertThat(response.query()).isEqualTo("red");
        assertThat(response.model()).isEqualTo("fake");
        assertThat(response.hits()).extracting(RankedImage::id).containsExactly("red-1", "red-2", "blue-1", "green-1");
        RankedImage first = response.hits().get(0);
        assertThat(first.duplicates()).isEqualTo(1);
        assertThat(first.path()).isEqualTo("red/red-1.png");
        assertThat(first.width()).isEqualTo(64);
        assertThat(first.score()).isGreaterThan(response.hits().get(1).score());
        verify(textEncoder).encode(List.of("a photo of red."));
    }

    @Test
    void dedupFalseShowsEveryFile() {
        SearchPage response = service.searchText("red", null, new Paging(10, 0, null, SearchFilter.NONE, false));
        assertThat(response.hits()).extracting(RankedImage::id).startsWith("red-1", "red-1-copy", "red-2");
        assertThat(response.hits().get(0).duplicates()).isZero();
    }

    @Test
    void pagingAndMinScore() {
        SearchPage page2 = service.searchText("red", null, new Paging(2, 2, null, SearchFilter.NONE, true));
        assertThat(page2.hits()).extracting(RankedImage::id).containsExactly("blue-1", "green-1");
        assertThat(page2.offset()).isEqualTo(2);
        SearchPage strong = service.searchText("red", null, new Paging(10, 0, 0.5f, SearchFilter.NONE, true));
        assertThat(strong.hits()).extracting(RankedImage::id).containsExactly("red-1", "red-2");
    }

    @Test
    void filtersReachTheIndex() {
        SearchFilter blueFolder = new SearchFilter("blue/", null, null, null, null, Set.of());
        assertThat(service.searchText("red", null, new Paging(10, 0, null, blueFolder, true))
                        .hits())
                .extracting(RankedImage::id)
                .containsExactly("blue-1");
        SearchFilter jpeg = new SearchFilter(null, null, null, null, null, Set.of("jpeg"));
        assertThat(service.searchText("red", null, new Paging(10, 0, null, jpeg, true))
                        .hits())
                .isEmpty();
    }

    @Test
    void cachedEmbeddingIsReusedPerTemplate() {
        assertThat(service.searchText("red", null, Paging.firstPage(1)).cached())
                .isFalse();
        assertThat(service.searchText(" red ", null, Paging.firstPage(1)).cached())
                .isTrue();
        assertThat(service.searchText("red", "none", Paging.firstPage(1)).cached())
                .isFalse();
        verify(textEncoder, times(2)).encode(anyList());
        assertThat(registry.get("cache.gets")
                        .tag("result", "hit")
                        .functionCounter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("cache.gets")
                        .tag("result", "miss")
                        .functionCounter()
                        .count())
                .isEqualTo(2);
        assertThat(registry.get("koclip.search").tag("kind", "text").timer().count())
                .isEqualTo(3);
        assertThat(registry.get("koclip.encoder").tag("tower", "text").timer().count())
                .isEqualTo(2);
    }

    @Test
    void cacheEntriesExpireAfterTheTtl() {
        service.searchText("red", null, Paging.firstPage(1));
        nanos.addAndGet(Duration.ofMinutes(2).toNanos());
        assertThat(service.searchText("red", null, Paging.firstPage(1)).cached())
                .isFalse();
    }

    @Test
    void validation() {
        assertThatThrownBy(() -> service.searchText(" \t", null, Paging.firstPage(1)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("q: must not be blank");
        assertThatThrownBy(() -> service.searchText("가".repeat(201), null, Paging.firstPage(1)))
                .hasMessage("q: 201 characters, over the limit of 200");
        assertThatThrownBy(() -> service.searchText("red", null, Paging.firstPage(0)))
                .hasMessage("k: 0 is not in [1, 1000]");
        assertThatThrownBy(() -> service.searchText("red", null, Paging.firstPage(1001)))
                .hasMessage("k: 1001 is not in [1, 1000]");
        assertThatThrownBy(() -> service.searchText("red", null, new Paging(10, -1, null, SearchFilter.NONE, true)))
                .hasMessage("offset: -1 must be >= 0");
        assertThatThrownBy(() -> service.searchText("red", null, new Paging(1000, 4500, null, SearchFilter.NONE, true)))
                .hasMessageContaining("offset + k = 5500 is over the paging window of 5000");
        assertThatThrownBy(() -> service.searchText("red", null, new Paging(10, 0, 1.5f, SearchFilter.NONE, true)))
                .hasMessage("minScore: 1.5 is not in [-1, 1]");
        assertThatThrownBy(() -> service.searchText("red", "photo", Paging.firstPage(1)))
                .hasMessageStartingWith("template:");
    }

    @Test
    void similarLeavesOutTheImageAndItsCopies() {
        SearchPage response = service.similar("red-1", Paging.firstPage(10));
        assertThat(response.query()).isEqualTo("similar:red-1");
        assertThat(response.hits())
                .extracting(RankedImage::id)
                .doesNotContain("red-1", "red-1-copy")
                .first()
                .isEqualTo("red-2");
        SearchPage all = service.similar("red-1", new Paging(10, 0, null, SearchFilter.NONE, false));
        assertThat(all.hits()).extracting(RankedImage::id).first().isEqualTo("red-1-copy");
        assertThatThrownBy(() -> service.similar("nope", Paging.firstPage(3)))
                .isInstanceOf(DocumentNotFoundException.class);
    }

    @Test
    void imageSearchDecodesAndEncodes() throws Exception {
        BufferedImage rgb = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        when(decoder.decode(any(byte[].class))).thenReturn(new DecodedImage(rgb, "png", 4, 4));
        when(imageEncoder.encode(rgb)).thenReturn(unit(DIM, 1, 7, 0f));
        SearchPage response = service.searchImage(new byte[] {1}, "b.png", Paging.firstPage(1));
        assertThat(response.query()).isEqualTo("image:b.png");
        assertThat(response.hits()).extracting(RankedImage::id).containsExactly("blue-1");
    }

    @Test
    void imageRejectionPropagates() throws Exception {
        when(decoder.decode(any(byte[].class)))
                .thenThrow(new ImageRejectedException(ImageRejectedException.Reason.NOT_AN_IMAGE, "text"));
        assertThatThrownBy(() -> service.searchImage(new byte[] {1}, null, Paging.firstPage(1)))
                .isInstanceOf(ImageRejectedException.class);
    }

    @Test
    void notReadyIndexRefusesSearches() {
        index.markNotReady("first ingest running");
        assertThatThrownBy(() -> service.searchText("red", null, Paging.firstPage(1)))
                .isInstanceOf(IndexNotReadyException.class)
                .hasMessage("first ingest running");
        index.markReady();
        assertThat(service.searchText("red", null, Paging.firstPage(1)).hits()).hasSize(1);
    }

    @Test
    void lexicalAndHybridModesFindCaptionsAndRecordHowEachHitWasFound() throws Exception {
        // green-1's caption names the palace; nothing about its vector is "palace" (axis 3)
        backing.upsert(new io.koclip.search.index.ImageDocument(
                "green-1",
                "green/green-1.png",
                "h-green1",
                64,
                48,
                1000,
                1_700_000_000_000L,
                "png",
                "palace gate",
                unit(DIM, 2, 7, 0.1f)));
        index.search(i -> {
            i.refresh();
            return null;
        });
        SearchPage lexical = service.searchText("palace", null, "lexical", Paging.firstPage(10));
        assertThat(lexical.hits()).extracting(RankedImage::id).containsExactly("green-1");
        assertThat(lexical.hits().get(0).scores().vector()).isNull();
        assertThat(lexical.hits().get(0).scores().lexical()).isEqualTo(1f);

        SearchPage vector = service.searchText("palace", null, "vector", Paging.firstPage(10));
        SearchPage hybrid = service.searchText("palace", null, "hybrid", Paging.firstPage(10));
        assertThat(hybrid.hits()).hasSameSizeAs(vector.hits());
        RankedImage top = hybrid.hits().get(0);
        assertThat(top.id()).isEqualTo("green-1"); // on both lists: first
        assertThat(top.scores().vector()).isNotNull();
        assertThat(top.scores().lexical()).isEqualTo(1f);
        assertThat(top.scores().fused()).isEqualTo(top.score());
        assertThat(vector.hits().get(0).scores().fused()).isNull();
        // minScore is a cosine: no effect in lexical mode, drops low cosines in hybrid
        assertThat(service.searchText("palace", null, "lexical", new Paging(10, 0, 0.99f, SearchFilter.NONE, true))
                        .hits())
                .hasSize(1);
        assertThat(service.searchText("red", null, "hybrid", new Paging(10, 0, 0.5f, SearchFilter.NONE, true))
                        .hits())
                .extracting(RankedImage::id)
                .containsExactly("red-1", "red-2");
    }

    @Test
    void anUnknownModeIsRefusedNamingTheParameter() {
        assertThatThrownBy(() -> service.searchText("red", null, "fuzzy", Paging.firstPage(1)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("fuzzy");
    }
}
