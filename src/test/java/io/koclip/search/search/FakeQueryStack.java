package io.koclip.search.search;

import static io.koclip.search.index.InMemoryVectorIndex.unit;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.github.benmanes.caffeine.cache.Ticker;
import io.koclip.search.image.ImageDecoder;
import io.koclip.search.model.ClipModel;
import io.koclip.search.model.ImageEncoder;
import io.koclip.search.model.ModelBundle;
import io.koclip.search.model.PromptTemplates;
import io.koclip.search.model.TextEncoder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The query side's collaborators over a fake model whose text embeddings are axis vectors: "red" (or
 * "빨간") → axis 0, "blue" → axis 1, "green" → axis 2, anything else → axis 3; one English template
 * "a photo of {}."; a mocked image encoder and decoder for the test to program. Time in the embedding
 * cache is {@link #nanos}.
 */
public final class FakeQueryStack {
    public static final int DIM = 8;

    public final ClipModel model = mock(ClipModel.class);
    public final TextEncoder textEncoder = mock(TextEncoder.class);
    public final ImageEncoder imageEncoder = mock(ImageEncoder.class);
    public final ImageDecoder decoder = mock(ImageDecoder.class);
    public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    public final AtomicLong nanos = new AtomicLong();
    public final InferenceLimiter limiter = new InferenceLimiter(2, Duration.ofSeconds(1), Duration.ofSeconds(1));
    public final TextEmbeddings texts;
    public final UploadEncoder uploads;
    public final RequestTimer timer = new RequestTimer(registry);

    public FakeQueryStack() {
        ModelBundle bundle = mock(ModelBundle.class);
        when(bundle.name()).thenReturn("fake");
        when(bundle.fingerprint()).thenReturn("fp1");
        when(bundle.logitScale()).thenReturn(100f);
        when(bundle.zeroShot()).thenReturn(ModelBundle.ZeroShot.SOFTMAX);
        when(model.bundle()).thenReturn(bundle);
        when(model.templates()).thenReturn(new PromptTemplates(Map.of("en", List.of("a photo of {}."))));
        when(model.texts()).thenReturn(textEncoder);
        when(textEncoder.encode(anyList())).thenAnswer(inv -> {
            List<String> texts = inv.getArgument(0);
            return texts.stream().map(FakeQueryStack::axisFor).toArray(float[][]::new);
        });
        when(textEncoder.encodePrompts(anyList())).thenCallRealMethod();
        when(model.images()).thenReturn(imageEncoder);
        Ticker ticker = nanos::get;
        texts = new TextEmbeddings(
                model, limiter, new SearchProperties.Cache(100, Duration.ofMinutes(1)), registry, ticker);
        uploads = new UploadEncoder(model, limiter, decoder, registry);
    }

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

    /** The query service as the server wires it, over {@code index}. */
    public SearchService service(SearchableIndex index) {
        return new SearchService(
                model,
                index,
                texts,
                uploads,
                new VectorRetriever(
                        new CandidatePolicy(SearchProperties.defaults().minCandidates())),
                SearchProperties.defaults(),
                timer);
    }
}
