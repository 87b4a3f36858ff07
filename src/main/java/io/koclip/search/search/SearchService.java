package io.koclip.search.search;

import io.koclip.search.image.DecodedImage;
import io.koclip.search.image.ImageDecoder;
import io.koclip.search.image.ImageRejectedException;
import io.koclip.search.index.Hit;
import io.koclip.search.index.ImageDocument;
import io.koclip.search.index.VectorQuery;
import io.koclip.search.model.ClipModel;
import io.koclip.search.model.Embeddings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The query side: text → images, image → images, zero-shot labels and text → patch. Validates every
 * parameter with a message that names it ({@link InvalidRequestException}), runs decoding and
 * encoding under the {@link InferenceLimiter}, and searches the {@link LiveIndex}.
 *
 * <p>Metrics: timer {@code koclip.search{kind=text|image|similar|classify|patches}} around each
 * request, timer {@code koclip.encoder{tower=image}} around image-encoder calls.
 *
 * <p>Thread-safe: holds only thread-safe collaborators.
 */
public final class SearchService {
    private final ClipModel model;
    private final LiveIndex index;
    private final TextEmbeddings texts;
    private final InferenceLimiter limiter;
    private final ImageDecoder decoder;
    private final SearchProperties limits;
    private final MeterRegistry registry;
    private final Timer imageEncodeTimer;
    private final CandidatePolicy candidates;

    public SearchService(
            ClipModel model,
            LiveIndex index,
            TextEmbeddings texts,
            InferenceLimiter limiter,
            ImageDecoder decoder,
            SearchProperties limits,
            MeterRegistry registry) {
        this.model = model;
        this.index = index;
        this.texts = texts;
        this.limiter = limiter;
        this.decoder = decoder;
        this.limits = limits;
        this.registry = registry;
        this.candidates = new CandidatePolicy(limits.minCandidates());
        this.imageEncodeTimer = Timer.builder("koclip.encoder")
                .tag("tower", "image")
                .description("Image encoder calls (one batch)")
                .register(registry);
    }

    /** Text → images. */
    public SearchResponse searchText(String q, @Nullable String template, Paging paging) {
        long start = System.nanoTime();
        String query = normalizeText("q", q);
        TemplateChoice choice = TemplateChoice.parse(template);
        int k = checkPaging(paging);
        TextEmbeddings.Embedding embedding = texts.embed(query, choice);
        List<SearchHit> hits = knn(embedding.vector(), k, paging, d -> false);
        return new SearchResponse(
                query, model.bundle().name(), took("text", start), k, paging.offset(), embedding.cached(), hits);
    }

    /** Image (an upload) → similar images. */
    public SearchResponse searchImage(byte[] upload, @Nullable String name, Paging paging)
            throws ImageRejectedException {
        long start = System.nanoTime();
        int k = checkPaging(paging);
        float[] vector = limiter.call(() -> {
            DecodedImage image = decoder.decode(upload);
            return imageEncodeTimer.record(() -> model.images().encode(image.rgb()));
        });
        List<SearchHit> hits = knn(vector, k, paging, d -> false);
        String query = "image:" + (name == null || name.isBlank() ? "upload" : name);
        return new SearchResponse(query, model.bundle().name(), took("image", start), k, paging.offset(), false, hits);
    }

    /** Indexed image → similar images; the image itself (and, with dedup, its copies) is left out. */
    public SearchResponse similar(String id, Paging paging) {
        long start = System.nanoTime();
        int k = checkPaging(paging);
        ImageDocument document = index.search(i -> i.get(id)).orElseThrow(() -> new DocumentNotFoundException(id));
        float[] vector = document.vector();
        if (vector == null) {
            throw new IllegalStateException("index returned document " + id + " without its vector");
        }
        Predicate<ImageDocument> self = paging.dedup()
                ? d -> d.id().equals(id) || d.contentHash().equals(document.contentHash())
                : d -> d.id().equals(id);
        List<SearchHit> hits = knn(vector, k, paging, self);
        return new SearchResponse(
                "similar:" + id, model.bundle().name(), took("similar", start), k, paging.offset(), false, hits);
    }

    /** Zero-shot labels: softmax(logitScale × cosine) over the labels, most probable first. */
    public ClassifyResponse classify(byte[] upload, List<String> labels, @Nullable String template)
            throws ImageRejectedException {
        long start = System.nanoTime();
        List<String> normalized = checkLabels(labels);
        TemplateChoice choice = TemplateChoice.parse(template);
        float[] image = limiter.call(() -> {
            DecodedImage decoded = decoder.decode(upload);
            return imageEncodeTimer.record(() -> model.images().encode(decoded.rgb()));
        });
        List<TextEmbeddings.Embedding> embeddings = texts.embedAll(normalized, choice);
        float[] scores = new float[normalized.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = Embeddings.dot(image, embeddings.get(i).vector());
        }
        double[] probabilities = Embeddings.softmax(scores, model.bundle().logitScale());
        List<LabelProbability> result = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            result.add(new LabelProbability(normalized.get(i), probabilities[i], scores[i]));
        }
        result.sort(Comparator.comparingDouble(LabelProbability::probability).reversed());
        return new ClassifyResponse(model.bundle().name(), took("classify", start), result);
    }

    /** Text → patch: scores every cell of a grid over the image, all cells encoded in one batch. */
    public PatchAnalysis patches(byte[] upload, String q, @Nullable String template, int rows, int cols, double overlap)
            throws ImageRejectedException {
        long start = System.nanoTime();
        String query = normalizeText("q", q);
        TemplateChoice choice = TemplateChoice.parse(template);
        checkRange("rows", rows, 1, limits.maxGridSide());
        checkRange("cols", cols, 1, limits.maxGridSide());
        if (!(overlap >= 0 && overlap <= limits.maxOverlap())) {
            throw new InvalidRequestException(
                    "overlap", overlap + " is not in [0, " + limits.maxOverlap() + "] (a fraction of a patch's side)");
        }
        float[] text = texts.embed(query, choice).vector();
        record Scored(BufferedImage image, List<PatchGrid.Box> boxes, float[][] vectors) {}
        Scored scored = limiter.call(() -> {
            DecodedImage decoded = decoder.decode(upload);
            List<PatchGrid.Box> boxes = PatchGrid.boxes(decoded.width(), decoded.height(), rows, cols, overlap);
            // [rows × cols, 3, size, size]: every crop preprocessed, then one encoder call
            List<float[]> tensors = new ArrayList<>(boxes.size());
            for (PatchGrid.Box box : boxes) {
                tensors.add(model.images().preprocessor().toTensor(crop(decoded.rgb(), box)));
            }
            float[][] vectors = imageEncodeTimer.record(() -> model.images().encodeTensors(tensors));
            return new Scored(decoded.rgb(), boxes, vectors);
        });
        List<Patch> patches = new ArrayList<>(scored.boxes().size());
        for (int i = 0; i < scored.boxes().size(); i++) {
            PatchGrid.Box b = scored.boxes().get(i);
            float score = Embeddings.dot(text, scored.vectors()[i]);
            patches.add(new Patch(b.row(), b.col(), b.x(), b.y(), b.width(), b.height(), score));
        }
        BufferedImage image = scored.image();
        PatchResponse response = new PatchResponse(
                query,
                model.bundle().name(),
                took("patches", start),
                image.getWidth(),
                image.getHeight(),
                rows,
                cols,
                overlap,
                patches);
        return new PatchAnalysis(response, image);
    }

    /** A standalone copy of one box (a sub-image would share the parent's raster and offsets). */
    private static BufferedImage crop(BufferedImage rgb, PatchGrid.Box box) {
        BufferedImage copy = new BufferedImage(box.width(), box.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = copy.createGraphics();
        try {
            g.drawImage(rgb, -box.x(), -box.y(), null);
        } finally {
            g.dispose();
        }
        return copy;
    }

    /**
     * The kNN core: asks the index for {@code offset + k} hits (more when duplicates are collapsed
     * or hits are excluded), applies minScore and dedup, and cuts the page.
     */
    private List<SearchHit> knn(float[] vector, int k, Paging paging, Predicate<ImageDocument> exclude) {
        int want = paging.offset() + k;
        int maxFetch = Math.min(limits.maxWindow() * 4, VectorQuery.MAX_CANDIDATES);
        int fetch = Math.min(want + 1, maxFetch);
        Map<String, Integer> duplicates = new LinkedHashMap<>();
        List<Hit> kept = new ArrayList<>();
        while (true) {
            int size = fetch;
            List<Hit> hits = index.search(i -> i.search(new VectorQuery(
                    vector, size, candidates.candidates(size, 0, i.metadata().vectors()), paging.filter())));
            kept.clear();
            duplicates.clear();
            Set<String> seenHashes = new HashSet<>();
            boolean belowMin = false;
            for (Hit hit : hits) {
                if (paging.minScore() != null && hit.score() < paging.minScore()) {
                    belowMin = true;
                    break;
                }
                ImageDocument d = hit.document();
                if (exclude.test(d)) {
                    continue;
                }
                if (paging.dedup() && !seenHashes.add(d.contentHash())) {
                    duplicates.merge(d.contentHash(), 1, Integer::sum);
                    continue;
                }
                kept.add(hit);
            }
            boolean exhausted = hits.size() < size || belowMin;
            if (kept.size() >= want || exhausted || fetch >= maxFetch) {
                break;
            }
            fetch = Math.min(fetch * 2, maxFetch);
        }
        List<SearchHit> page = new ArrayList<>();
        for (int i = paging.offset(); i < Math.min(kept.size(), want); i++) {
            Hit hit = kept.get(i);
            int copies = paging.dedup() ? duplicates.getOrDefault(hit.document().contentHash(), 0) : 0;
            page.add(SearchHit.of(hit, copies));
        }
        return page;
    }

    private int checkPaging(Paging paging) {
        int k = paging.k() == null ? limits.defaultK() : paging.k();
        checkRange("k", k, 1, limits.maxK());
        if (paging.offset() < 0) {
            throw new InvalidRequestException("offset", paging.offset() + " must be >= 0");
        }
        if ((long) paging.offset() + k > limits.maxWindow()) {
            throw new InvalidRequestException(
                    "offset",
                    "offset + k = " + ((long) paging.offset() + k) + " is over the paging window of "
                            + limits.maxWindow());
        }
        Float minScore = paging.minScore();
        if (minScore != null && !(minScore >= -1f && minScore <= 1f)) {
            throw new InvalidRequestException("minScore", minScore + " is not in [-1, 1]");
        }
        return k;
    }

    private String normalizeText(String parameter, @Nullable String raw) {
        String text = QueryText.normalize(raw == null ? "" : raw);
        if (text.isEmpty()) {
            throw new InvalidRequestException(parameter, "must not be blank");
        }
        int length = QueryText.length(text);
        if (length > limits.maxQueryLength()) {
            throw new InvalidRequestException(
                    parameter, length + " characters, over the limit of " + limits.maxQueryLength());
        }
        return text;
    }

    private List<String> checkLabels(@Nullable List<String> labels) {
        int count = labels == null ? 0 : labels.size();
        if (count < 2 || count > limits.maxLabels()) {
            throw new InvalidRequestException(
                    "labels", count + " labels given; between 2 and " + limits.maxLabels() + " are needed");
        }
        List<String> normalized = new ArrayList<>(count);
        Set<String> seen = new HashSet<>();
        for (String label : labels) {
            String text = normalizeText("labels", label);
            if (!seen.add(text)) {
                throw new InvalidRequestException("labels", "'" + text + "' is given twice");
            }
            normalized.add(text);
        }
        return normalized;
    }

    private static void checkRange(String parameter, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidRequestException(parameter, value + " is not in [" + min + ", " + max + "]");
        }
    }

    private long took(String kind, long startNanos) {
        long nanos = System.nanoTime() - startNanos;
        Timer.builder("koclip.search")
                .tag("kind", kind)
                .description("Search requests, from validation to the last hit")
                .register(registry)
                .record(java.time.Duration.ofNanos(nanos));
        return nanos / 1_000_000;
    }
}
