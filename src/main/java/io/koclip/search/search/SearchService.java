package io.koclip.search.search;

import io.koclip.search.image.ImageRejectedException;
import io.koclip.search.index.Hit;
import io.koclip.search.index.ImageDocument;
import io.koclip.search.index.VectorQuery;
import io.koclip.search.model.ClipModel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The one query path: text → images, image → images and indexed image → similar images, for the REST
 * API, the web page and the {@code search} command alike. Every request goes through the same steps:
 * validation with a message that names the parameter ({@link InvalidRequestException}), text
 * normalization ({@link QueryText}), templates ({@link TemplateChoice}), the embedding cache
 * ({@link TextEmbeddings}), retrieval ({@link Retriever}, with the {@link CandidatePolicy}), then
 * minimum score, duplicate collapsing and paging on the ranking.
 *
 * <p>Metrics: timer {@code koclip.search{kind=text|image|similar}} around each request.
 *
 * <p>Thread-safe: holds only thread-safe collaborators.
 */
public final class SearchService {
    private final ClipModel model;
    private final SearchableIndex index;
    private final TextEmbeddings texts;
    private final UploadEncoder uploads;
    private final Retriever retriever;
    private final SearchProperties limits;
    private final RequestTimer timer;

    public SearchService(
            ClipModel model,
            SearchableIndex index,
            TextEmbeddings texts,
            UploadEncoder uploads,
            Retriever retriever,
            SearchProperties limits,
            RequestTimer timer) {
        this.model = model;
        this.index = index;
        this.texts = texts;
        this.uploads = uploads;
        this.retriever = retriever;
        this.limits = limits;
        this.timer = timer;
    }

    /** Text → images. */
    public SearchPage searchText(String q, @Nullable String template, Paging paging) {
        long start = System.nanoTime();
        String query = QueryText.require("q", q, limits.maxQueryLength());
        TemplateChoice choice = TemplateChoice.parse(template);
        int k = checkPaging(paging);
        TextEmbeddings.Embedding embedding = texts.embed(query, choice);
        List<RankedImage> hits =
                rank(new RetrievalQuery(embedding.vector(), query, paging.filter()), k, paging, d -> false);
        return new SearchPage(
                query, model.bundle().name(), timer.stop("text", start), k, paging.offset(), embedding.cached(), hits);
    }

    /** Image (an upload) → similar images. */
    public SearchPage searchImage(byte[] upload, @Nullable String name, Paging paging) throws ImageRejectedException {
        long start = System.nanoTime();
        int k = checkPaging(paging);
        float[] vector = uploads.embed(upload);
        List<RankedImage> hits = rank(new RetrievalQuery(vector, null, paging.filter()), k, paging, d -> false);
        String query = "image:" + (name == null || name.isBlank() ? "upload" : name);
        return new SearchPage(
                query, model.bundle().name(), timer.stop("image", start), k, paging.offset(), false, hits);
    }

    /** Indexed image → similar images; the image itself (and, with dedup, its copies) is left out. */
    public SearchPage similar(String id, Paging paging) {
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
        List<RankedImage> hits = rank(new RetrievalQuery(vector, null, paging.filter()), k, paging, self);
        return new SearchPage(
                "similar:" + id, model.bundle().name(), timer.stop("similar", start), k, paging.offset(), false, hits);
    }

    /**
     * The ranking core: asks the retriever for {@code offset + k} hits (more when duplicates are
     * collapsed or hits are excluded, doubling up to 4 × the paging window), applies minScore and
     * dedup, and cuts the page.
     */
    private List<RankedImage> rank(RetrievalQuery query, int k, Paging paging, Predicate<ImageDocument> exclude) {
        int want = paging.offset() + k;
        int maxFetch = Math.min(limits.maxWindow() * 4, VectorQuery.MAX_CANDIDATES);
        int fetch = Math.min(want + 1, maxFetch);
        Map<String, Integer> duplicates = new LinkedHashMap<>();
        List<Hit> kept = new ArrayList<>();
        while (true) {
            int size = fetch;
            List<Hit> hits = index.search(i -> retriever.retrieve(i, query, size));
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
        List<RankedImage> page = new ArrayList<>();
        for (int i = paging.offset(); i < Math.min(kept.size(), want); i++) {
            Hit hit = kept.get(i);
            int copies = paging.dedup() ? duplicates.getOrDefault(hit.document().contentHash(), 0) : 0;
            page.add(RankedImage.of(hit, copies));
        }
        return page;
    }

    private int checkPaging(Paging paging) {
        int k = paging.k() == null ? limits.defaultK() : paging.k();
        InvalidRequestException.checkRange("k", k, 1, limits.maxK());
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
}
