package io.koclip.search.search;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.koclip.search.model.ClipModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * Text embeddings for queries and labels, through a Caffeine cache keyed by the bundle fingerprint,
 * the normalized text and the template choice. Misses of one call are encoded in one batch under the
 * {@link InferenceLimiter}; cache hits never wait for a permit.
 *
 * <p>Metrics: {@code cache.gets{cache="text-embeddings", result=hit|miss}} and the other Caffeine
 * statistics, and the timer {@code koclip.encoder{tower="text"}}.
 *
 * <p>Thread-safe. Two concurrent misses of the same key may both encode it; the result is the same.
 */
public final class TextEmbeddings {
    /** The cache name in metrics. */
    public static final String CACHE_NAME = "text-embeddings";

    private record Key(String fingerprint, String text, String template) {}

    private final ClipModel model;
    private final InferenceLimiter limiter;
    private final Cache<Key, float[]> cache;
    private final Timer encodeTimer;

    public TextEmbeddings(
            ClipModel model,
            InferenceLimiter limiter,
            SearchProperties.Cache config,
            MeterRegistry registry,
            Ticker ticker) {
        this.model = model;
        this.limiter = limiter;
        this.cache = Caffeine.newBuilder()
                .maximumSize(config.maxSize())
                .expireAfterWrite(config.ttl())
                .ticker(ticker)
                .recordStats()
                .build();
        CaffeineCacheMetrics.monitor(registry, cache, CACHE_NAME);
        this.encodeTimer = Timer.builder("koclip.encoder")
                .tag("tower", "text")
                .description("Text encoder calls (one batch of prompts)")
                .register(registry);
    }

    /** One embedding with whether it came from the cache. */
    public record Embedding(float[] vector, boolean cached) {}

    /**
     * The embedding of one normalized text.
     *
     * @return a unit vector owned by the caller
     */
    public Embedding embed(String text, TemplateChoice template) {
        return embedAll(List.of(text), template).get(0);
    }

    /**
     * Embeddings of several normalized texts (labels), in order; misses are encoded in one batch.
     * Each text's embedding is the normalized mean over its prompts.
     */
    public List<Embedding> embedAll(List<String> texts, TemplateChoice template) {
        String fingerprint = model.bundle().fingerprint();
        List<Embedding> result = new ArrayList<>(texts.size());
        List<Integer> missing = new ArrayList<>();
        List<List<String>> prompts = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            float[] hit = cache.getIfPresent(new Key(fingerprint, texts.get(i), template.key()));
            result.add(hit == null ? null : new Embedding(hit.clone(), true));
            if (hit == null) {
                missing.add(i);
                prompts.add(template.prompts(model.templates(), texts.get(i)));
            }
        }
        if (missing.isEmpty()) {
            return result;
        }
        // one encoder call for every prompt of every missing text; the mean over prompts is the model's
        float[][] encoded =
                limiter.call(() -> encodeTimer.record(() -> model.texts().encodePrompts(prompts)));
        for (int m = 0; m < missing.size(); m++) {
            int index = missing.get(m);
            cache.put(new Key(fingerprint, texts.get(index), template.key()), encoded[m].clone());
            result.set(index, new Embedding(encoded[m], false));
        }
        return result;
    }
}
