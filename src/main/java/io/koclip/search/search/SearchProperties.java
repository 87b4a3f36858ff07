package io.koclip.search.search;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code koclip.search.*}: limits of the query API, the text-embedding cache, the inference limiter
 * and thumbnails. Defaults suit a laptop.
 *
 * @param defaultK hits per page when the request gives no {@code k}
 * @param maxK largest {@code k} a request may ask for (the API contract says 1000)
 * @param maxWindow largest {@code offset + k}: how deep paging may go
 * @param minCandidates smallest HNSW candidate list per query ({@link CandidatePolicy}); larger lists raise
 *     recall and cost
 * @param maxQueryLength longest query, label or patch text, in Unicode code points after normalization
 * @param maxLabels most labels per zero-shot request (at least 2 are always required)
 * @param maxGridSide most rows and most columns of a patch grid
 * @param maxOverlap largest patch overlap, as a fraction of a patch's side
 * @param maxImagePixels pixel cap of uploads, checked from the image header before decoding
 * @param decodeTimeout time budget for decoding one upload (or one thumbnail's original)
 * @param hybridLexicalWeight weight of the lexical ranking in {@code mode=hybrid}'s Reciprocal Rank Fusion
 *     ({@link HybridRetriever}: {@code 1/(60+r_vector) + w/(60+r_lexical)}), in [0, 10]; 1 weighs both
 *     sides alike (measured in docs/evaluation.md)
 * @param cache the text-embedding cache
 * @param inference the bounded limiter in front of decoding and the encoders
 * @param thumbnails thumbnail size and cache
 */
@Validated
@ConfigurationProperties(SearchProperties.PREFIX)
public record SearchProperties(
        @DefaultValue(DEFAULT_K) @Min(1) @Max(10_000) int defaultK,
        @DefaultValue("1000") @Min(1) @Max(10_000) int maxK,
        @DefaultValue("5000") @Min(1) @Max(100_000) int maxWindow,
        @DefaultValue("100") @Min(1) @Max(100_000) int minCandidates,
        @DefaultValue("200") @Min(1) @Max(10_000) int maxQueryLength,
        @DefaultValue("100") @Min(2) @Max(1000) int maxLabels,
        @DefaultValue("8") @Min(1) @Max(32) int maxGridSide,

        @DefaultValue("0.75") @DecimalMin("0") @DecimalMax("0.9")
        double maxOverlap,

        @DefaultValue("100000000") @Min(1) long maxImagePixels,
        @DefaultValue("10s") @NotNull Duration decodeTimeout,

        @DefaultValue("1.0") @DecimalMin("0") @DecimalMax("10")
        double hybridLexicalWeight,

        @DefaultValue @Valid @NotNull Cache cache,
        @DefaultValue @Valid @NotNull Inference inference,
        @DefaultValue @Valid @NotNull Thumbnails thumbnails) {

    public SearchProperties {
        if (decodeTimeout.isNegative() || decodeTimeout.isZero()) {
            throw new IllegalArgumentException("koclip.search.decode-timeout: " + decodeTimeout + " must be positive");
        }
        if (defaultK > maxK) {
            throw new IllegalArgumentException(
                    "koclip.search.default-k: " + defaultK + " is over koclip.search.max-k " + maxK);
        }
        if (maxK > maxWindow) {
            throw new IllegalArgumentException(
                    "koclip.search.max-k: " + maxK + " is over koclip.search.max-window " + maxWindow);
        }
    }

    /** The property prefix. */
    public static final String PREFIX = "koclip.search";

    /** {@code koclip.search.default-k}, also the {@code search} command's {@code --k} default. */
    public static final String DEFAULT_K = "24";

    /**
     * The defaults, for tools that run without Spring (the {@code search} command) and for tests: the
     * {@code @DefaultValue}s above, bound by Spring's own {@link Binder} from no properties at all, so
     * the defaults are written once, on the record, and the server and the command line share them.
     */
    public static SearchProperties defaults() {
        return Defaults.VALUE;
    }

    private static final class Defaults {
        static final SearchProperties VALUE = new Binder(List.of()).bindOrCreate(PREFIX, SearchProperties.class);
    }

    /**
     * The text-embedding cache (Caffeine), keyed by bundle fingerprint, normalized text and template.
     *
     * @param maxSize most cached embeddings (a 512-d embedding takes about 2 KiB); 0 disables the cache
     * @param ttl how long an embedding stays after it was computed
     */
    public record Cache(
            @DefaultValue("10000") @Min(0) long maxSize,
            @DefaultValue("1h") @NotNull Duration ttl) {}

    /**
     * The bounded limiter in front of CPU-bound inference.
     *
     * @param concurrency inference calls at once; 0 means one per core
     * @param acquireTimeout how long a request waits for a permit before it is refused with 503
     * @param retryAfter the Retry-After a refused request is told
     */
    public record Inference(
            @DefaultValue("0") @Min(0) @Max(1024) int concurrency,
            @DefaultValue("2s") @NotNull Duration acquireTimeout,
            @DefaultValue("1s") @NotNull Duration retryAfter) {

        /** Permits: {@code concurrency}, or the number of cores when it is 0. */
        public int permits() {
            return concurrency > 0 ? concurrency : Runtime.getRuntime().availableProcessors();
        }
    }

    /**
     * Thumbnails served by {@code /images/{id}/thumbnail}.
     *
     * @param size longest side in pixels
     * @param cacheSize memory for cached thumbnails (JPEG bytes)
     * @param maxAge the Cache-Control max-age sent with images and thumbnails
     */
    public record Thumbnails(
            @DefaultValue("320") @Min(16) @Max(2048) int size,
            @DefaultValue("64MB") @NotNull DataSize cacheSize,
            @DefaultValue("1h") @NotNull Duration maxAge) {}
}
