package io.koclip.search.web;

import com.github.benmanes.caffeine.cache.Ticker;
import io.koclip.search.analysis.PatchScorer;
import io.koclip.search.analysis.ZeroShotClassifier;
import io.koclip.search.image.ImageDecoder;
import io.koclip.search.index.IndexBackend;
import io.koclip.search.index.IndexSpec;
import io.koclip.search.index.ModelIdentity;
import io.koclip.search.model.ClipModel;
import io.koclip.search.search.CandidatePolicy;
import io.koclip.search.search.ImageStore;
import io.koclip.search.search.InferenceLimiter;
import io.koclip.search.search.LiveIndex;
import io.koclip.search.search.NearDuplicates;
import io.koclip.search.search.RequestTimer;
import io.koclip.search.search.Retriever;
import io.koclip.search.search.SearchProperties;
import io.koclip.search.search.SearchService;
import io.koclip.search.search.TextEmbeddings;
import io.koclip.search.search.UploadEncoder;
import io.koclip.search.search.VectorRetriever;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the capabilities into the server: the model, the live index, the query service, the image
 * store and the admin jobs. Beans are closed in reverse order of creation: jobs stop (committing)
 * before the index commits and closes, and the index before the model.
 */
@Configuration(proxyBeanMethods = false)
class SearchConfiguration {

    @Bean(destroyMethod = "close")
    ClipModel clipModel(ModelProperties properties) {
        return ClipModel.open(properties.bundle(), properties.options());
    }

    @Bean
    InferenceLimiter inferenceLimiter(SearchProperties properties, MeterRegistry registry) {
        SearchProperties.Inference config = properties.inference();
        InferenceLimiter limiter = new InferenceLimiter(config.permits(), config.acquireTimeout(), config.retryAfter());
        Gauge.builder("koclip.inference.permits.available", limiter, InferenceLimiter::available)
                .description("Inference permits free right now")
                .register(registry);
        FunctionCounter.builder("koclip.inference.rejected", limiter, InferenceLimiter::rejected)
                .description("Requests refused with 503 because inference was saturated")
                .register(registry);
        return limiter;
    }

    /** Uploads' and thumbnails' decoder; its options ({@code koclip.image.*}) are also the ingest jobs'. */
    @Bean
    ImageDecoder imageDecoder(SearchProperties properties, ImageProperties image, ClipModel model) {
        return new ImageDecoder(
                properties.maxImagePixels(),
                properties.decodeTimeout(),
                image.options(model.bundle().image().preprocess().size()));
    }

    @Bean
    TextEmbeddings textEmbeddings(
            ClipModel model, InferenceLimiter limiter, SearchProperties properties, MeterRegistry registry) {
        return new TextEmbeddings(model, limiter, properties.cache(), registry, Ticker.systemTicker());
    }

    @Bean
    IndexBackend indexBackend(IndexProperties properties, TextProperties text) {
        return IndexAdapters.backend(properties, text);
    }

    @Bean(destroyMethod = "close")
    LiveIndex liveIndex(IndexProperties properties, IndexBackend backend, ClipModel model, MeterRegistry registry)
            throws IOException {
        LiveIndex index =
                LiveIndex.open(backend, new IndexSpec(ModelIdentity.of(model.bundle()), properties.options()));
        Gauge.builder("koclip.index.documents", index, IndexHealth::documents)
                .description("Live documents in the index")
                .register(registry);
        return index;
    }

    @Bean
    UploadEncoder uploadEncoder(
            ClipModel model, InferenceLimiter limiter, ImageDecoder decoder, MeterRegistry registry) {
        return new UploadEncoder(model, limiter, decoder, registry);
    }

    @Bean
    RequestTimer requestTimer(MeterRegistry registry) {
        return new RequestTimer(registry);
    }

    /** Nearest neighbours with the candidate policy; the seam where a lexical or hybrid retriever goes. */
    @Bean
    Retriever retriever(SearchProperties properties) {
        return new VectorRetriever(new CandidatePolicy(properties.minCandidates()));
    }

    @Bean
    SearchService searchService(
            ClipModel model,
            LiveIndex index,
            TextEmbeddings texts,
            UploadEncoder uploads,
            Retriever retriever,
            SearchProperties properties,
            RequestTimer timer) {
        return new SearchService(model, index, texts, uploads, retriever, properties, timer);
    }

    @Bean
    NearDuplicates nearDuplicates(ClipModel model, LiveIndex index, Retriever retriever, RequestTimer timer) {
        return new NearDuplicates(model.bundle().name(), index, retriever, timer);
    }

    @Bean
    ZeroShotClassifier zeroShotClassifier(
            ClipModel model,
            TextEmbeddings texts,
            UploadEncoder uploads,
            SearchProperties properties,
            RequestTimer timer) {
        return new ZeroShotClassifier(model, texts, uploads, properties, timer);
    }

    @Bean
    PatchScorer patchScorer(
            ClipModel model,
            TextEmbeddings texts,
            UploadEncoder uploads,
            SearchProperties properties,
            RequestTimer timer) {
        return new PatchScorer(model, texts, uploads, properties, timer);
    }

    @Bean
    ImageStore imageStore(
            IngestProperties ingest,
            LiveIndex index,
            ImageDecoder decoder,
            InferenceLimiter limiter,
            SearchProperties properties,
            MeterRegistry registry) {
        // The uploads' decoder (and fast path), but a shrink-on-load never below the thumbnail size:
        // keeping the shortest side >= size keeps the longest side >= size too.
        ImageDecoder thumbnails = decoder.withOptions(
                decoder.options().keepingShortSide(properties.thumbnails().size()));
        return new ImageStore(ingest.source(), index, thumbnails, limiter, properties.thumbnails(), registry);
    }

    @Bean
    IngestRunner ingestRunner(ClipModel model, IngestProperties properties, ImageDecoder decoder) {
        return IndexAdapters.ingestRunner(model, properties, decoder.options());
    }

    @Bean(destroyMethod = "close")
    JobService jobService(LiveIndex index, IngestRunner runner, IngestProperties ingest, AdminProperties admin) {
        return new JobService(index, runner, ingest.source(), admin.retainedJobs(), Clock.systemUTC());
    }
}
