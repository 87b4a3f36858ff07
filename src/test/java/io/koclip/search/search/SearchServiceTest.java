package io.koclip.search.search;

import static io.koclip.search.index.InMemoryVectorIndex.document;
import static io.koclip.search.index.InMemoryVectorIndex.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.github.benmanes.caffeine.cache.Ticker;
import io.koclip.search.image.DecodedImage;
import io.koclip.search.image.ImageDecoder;
import io.koclip.search.image.ImagePreprocessor;
import io.koclip.search.image.ImageRejectedException;
import io.koclip.search.index.InMemoryBackend;
import io.koclip.search.index.InMemoryVectorIndex;
import io.koclip.search.index.IndexSpec;
import io.koclip.search.index.SearchFilter;
import io.koclip.search.model.ClipModel;
import io.koclip.search.model.ImageEncoder;
import io.koclip.search.model.ModelBundle;
import io.koclip.search.model.PromptTemplates;
import io.koclip.search.model.TextEncoder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query service over a brute-force index and a fake model whose text embeddings are axis
 * vectors: "red" → axis 0, "blue" → axis 1, "green" → axis 2, anything else → axis 3.
 */
class SearchServiceTest {
    static final int DIM = 8;

    @TempDir
    Path folder;

    ClipModel model;
    TextEncoder textEncoder;
    ImageEncoder imageEncoder;
    ImageDecoder decoder;
    InMemoryVectorIndex backing;
    LiveIndex index;
    SimpleMeterRegistry registry;
    AtomicLong nanos = new AtomicLong();
    SearchService service;

    static float[] axisFor(String prompt) {
        if (prompt.contains("red") || prompt.contains("빨간")) {
            return unit(DIM, 0, 7, 0f);
        }
        if (prompt.contains("blue")) {
            return unit(DIM, 1, 7, 0f);
        }
        if (prompt.contains("green")) {
            return unit(DIM, 2, 7, 0f);
        }
        return unit(DIM, 3, 7, 0f);
    }

    @BeforeEach
    void setUp() throws Exception {
        model = mock(ClipModel.class);
        ModelBundle bundle = mock(ModelBundle.class);
        when(bundle.name()).thenReturn("fake");
        when(bundle.fingerprint()).thenReturn("fp1");
        when(bundle.logitScale()).thenReturn(100f);
        when(model.bundle()).thenReturn(bundle);
        when(model.templates()).thenReturn(new PromptTemplates(Map.of("en", List.of("a photo of {}."))));
        textEncoder = mock(TextEncoder.class);
        when(model.texts()).thenReturn(textEncoder);
        when(textEncoder.encode(anyList())).thenAnswer(inv -> {
            List<String> texts = inv.getArgument(0);
            return texts.stream().map(SearchServiceTest::axisFor).toArray(float[][]::new);
        });
        imageEncoder = mock(ImageEncoder.class);
        when(model.images()).thenReturn(imageEncoder);
        decoder = mock(ImageDecoder.class);

        backing = new InMemoryVectorIndex("fake", "fp1");
        // red-1 and red-1-copy have identical bytes; red-2 is a little less red; blue and green are far.
        backing.upsert(document("red-1", "red/red-1.png", "h-red1", unit(DIM, 0, 7, 0.1f)));
        backing.upsert(document("red-1-copy", "copies/red-1.png", "h-red1", unit(DIM, 0, 7, 0.1f)));
        backing.upsert(document("red-2", "red/red-2.png", "h-red2", unit(DIM, 0, 1, 0.5f)));
        backing.upsert(document("blue-1", "blue/blue-1.jpg", "h-blue1", unit(DIM, 1, 7, 0.1f)));
        backing.upsert(document("green-1", "green/green-1.png", "h-green1", unit(DIM, 2, 7, 0.1f)));
        index = LiveIndex.open(
                new InMemoryBackend(backing), IndexSpec.of(backing.metadata().model()));
        registry = new SimpleMeterRegistry();
        InferenceLimiter limiter = new InferenceLimiter(2, Duration.ofSeconds(1), Duration.ofSeconds(1));
        Ticker ticker = nanos::get;
        TextEmbeddings texts = new TextEmbeddings(
                model, limiter, new SearchProperties.Cache(100, Duration.ofMinutes(1)), registry, ticker);
        service = new SearchService(model, index, texts, limiter, decoder, SearchProperties.defaults(), registry);
    }

    @Test
    void textSearchRanksAndCollapsesDuplicates() {
        SearchResponse response = service.searchText("  red  ", null, Paging.firstPage(10));
        assertThat(response.query()).isEqualTo("red");
        assertThat(response.model()).isEqualTo("fake");
        assertThat(response.hits()).extracting(SearchHit::id).containsExactly("red-1", "red-2", "blue-1", "green-1");
        SearchHit first = response.hits().get(0);
        assertThat(first.duplicates()).isEqualTo(1);
        assertThat(first.imageUrl()).isEqualTo("/api/v1/images/red-1");
        assertThat(first.thumbnailUrl()).isEqualTo("/api/v1/images/red-1/thumbnail");
        assertThat(first.width()).isEqualTo(64);
        assertThat(first.score()).isGreaterThan(response.hits().get(1).score());
        verify(textEncoder).encode(List.of("a photo of red."));
    }

    @Test
    void dedupFalseShowsEveryFile() {
        SearchResponse response = service.searchText("red", null, new Paging(10, 0, null, SearchFilter.NONE, false));
        assertThat(response.hits()).extracting(SearchHit::id).startsWith("red-1", "red-1-copy", "red-2");
        assertThat(response.hits().get(0).duplicates()).isZero();
    }

    @Test
    void pagingAndMinScore() {
        SearchResponse page2 = service.searchText("red", null, new Paging(2, 2, null, SearchFilter.NONE, true));
        assertThat(page2.hits()).extracting(SearchHit::id).containsExactly("blue-1", "green-1");
        assertThat(page2.offset()).isEqualTo(2);
        SearchResponse strong = service.searchText("red", null, new Paging(10, 0, 0.5f, SearchFilter.NONE, true));
        assertThat(strong.hits()).extracting(SearchHit::id).containsExactly("red-1", "red-2");
    }

    @Test
    void filtersReachTheIndex() {
        SearchFilter blueFolder = new SearchFilter("blue/", null, null, null, null, Set.of());
        assertThat(service.searchText("red", null, new Paging(10, 0, null, blueFolder, true))
                        .hits())
                .extracting(SearchHit::id)
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
        SearchResponse response = service.similar("red-1", Paging.firstPage(10));
        assertThat(response.query()).isEqualTo("similar:red-1");
        assertThat(response.hits())
                .extracting(SearchHit::id)
                .doesNotContain("red-1", "red-1-copy")
                .first()
                .isEqualTo("red-2");
        SearchResponse all = service.similar("red-1", new Paging(10, 0, null, SearchFilter.NONE, false));
        assertThat(all.hits()).extracting(SearchHit::id).first().isEqualTo("red-1-copy");
        assertThatThrownBy(() -> service.similar("nope", Paging.firstPage(3)))
                .isInstanceOf(DocumentNotFoundException.class);
    }

    @Test
    void imageSearchDecodesAndEncodes() throws Exception {
        BufferedImage rgb = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        when(decoder.decode(any(byte[].class))).thenReturn(new DecodedImage(rgb, "png", 4, 4));
        when(imageEncoder.encode(rgb)).thenReturn(unit(DIM, 1, 7, 0f));
        SearchResponse response = service.searchImage(new byte[] {1}, "b.png", Paging.firstPage(1));
        assertThat(response.query()).isEqualTo("image:b.png");
        assertThat(response.hits()).extracting(SearchHit::id).containsExactly("blue-1");
    }

    @Test
    void imageRejectionPropagates() throws Exception {
        when(decoder.decode(any(byte[].class)))
                .thenThrow(new ImageRejectedException(ImageRejectedException.Reason.NOT_AN_IMAGE, "text"));
        assertThatThrownBy(() -> service.searchImage(new byte[] {1}, null, Paging.firstPage(1)))
                .isInstanceOf(ImageRejectedException.class);
    }

    @Test
    void classifySoftmaxSumsToOneAndSorts() throws Exception {
        BufferedImage rgb = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        when(decoder.decode(any(byte[].class))).thenReturn(new DecodedImage(rgb, "png", 4, 4));
        when(imageEncoder.encode(rgb)).thenReturn(unit(DIM, 1, 0, 0.2f));
        ClassifyResponse response = service.classify(new byte[] {1}, List.of("red", " blue ", "green"), null);
        assertThat(response.labels()).extracting(LabelProbability::label).containsExactly("blue", "red", "green");
        double sum = response.labels().stream()
                .mapToDouble(LabelProbability::probability)
                .sum();
        assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(response.labels().get(0).probability()).isGreaterThan(0.9);
        // the three labels' prompts went to the encoder in one batch
        verify(textEncoder).encode(List.of("a photo of red.", "a photo of blue.", "a photo of green."));
    }

    @Test
    void classifyValidatesLabels() {
        assertThatThrownBy(() -> service.classify(new byte[] {1}, List.of("red"), null))
                .hasMessage("labels: 1 labels given; between 2 and 100 are needed");
        assertThatThrownBy(() -> service.classify(new byte[] {1}, List.of("red", "red "), null))
                .hasMessage("labels: 'red' is given twice");
        assertThatThrownBy(() -> service.classify(new byte[] {1}, List.of("red", " "), null))
                .hasMessage("labels: must not be blank");
        List<String> many =
                java.util.stream.IntStream.range(0, 101).mapToObj(i -> "l" + i).toList();
        assertThatThrownBy(() -> service.classify(new byte[] {1}, many, null))
                .hasMessage("labels: 101 labels given; between 2 and 100 are needed");
    }

    @Test
    void patchesEncodeEveryCellInOneBatch() throws Exception {
        BufferedImage rgb = new BufferedImage(90, 60, BufferedImage.TYPE_INT_RGB);
        when(decoder.decode(any(byte[].class))).thenReturn(new DecodedImage(rgb, "png", 90, 60));
        ImagePreprocessor preprocessor = mock(ImagePreprocessor.class);
        when(imageEncoder.preprocessor()).thenReturn(preprocessor);
        when(preprocessor.toTensor(any())).thenReturn(new float[] {0});
        when(imageEncoder.encodeTensors(anyList())).thenAnswer(inv -> {
            List<float[]> tensors = inv.getArgument(0);
            float[][] out = new float[tensors.size()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = i == 4 ? unit(DIM, 0, 7, 0f) : unit(DIM, 3, 7, 0f); // centre cell is red
            }
            return out;
        });
        PatchAnalysis analysis = service.patches(new byte[] {1}, "red", null, 3, 3, 0);
        PatchResponse response = analysis.response();
        assertThat(response.patches()).hasSize(9);
        Patch best = response.patches().stream()
                .max(java.util.Comparator.comparingDouble(Patch::score))
                .orElseThrow();
        assertThat(best).isEqualTo(new Patch(1, 1, 30, 20, 30, 20, best.score()));
        verify(imageEncoder, times(1)).encodeTensors(anyList());
        assertThatThrownBy(() -> service.patches(new byte[] {1}, "red", null, 9, 3, 0))
                .hasMessage("rows: 9 is not in [1, 8]");
        assertThatThrownBy(() -> service.patches(new byte[] {1}, "red", null, 3, 0, 0))
                .hasMessage("cols: 0 is not in [1, 8]");
        assertThatThrownBy(() -> service.patches(new byte[] {1}, "red", null, 3, 3, 0.8))
                .hasMessageStartingWith("overlap: 0.8 is not in [0, 0.75]");
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
}
