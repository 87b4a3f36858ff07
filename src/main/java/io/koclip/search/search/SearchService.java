package io.koclip.search.search;

import io.koclip.search.image.ImageRejectedException;
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
    /** The query vector of a lexical search, which embeds nothing (no retriever reads it). */
    private static final float[] NO_VECTOR = new float[0];

    private final ClipModel model;
    private final SearchableIndex index;
    private final TextEmbeddings texts;
    private final UploadEncoder uploads;
    private final Retriever vector;
    private final Retriever lexical;
    private final Retriever hybrid;
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
        this.vector = retriever;
        this.lexical = new LexicalRetriever();
        this.hybrid = new HybridRetriever(retriever, lexical);
        this.limits = limits;
        this.timer = timer;
    }

    /** Text → images, in the {@link SearchMode#DEFAULT default mode}. */
    public SearchPage searchText(String q, @Nullable String template, Paging paging) {
        return searchText(q, template, null, paging);
    }

    /**
     * Text → images.
     *
     * @param mode {@code vector}, {@code lexical} or {@code hybrid}; null for {@link SearchMode#DEFAULT}.
     *     A lexical search embeds no text (templates play no part).
     */
    public SearchPage searchText(String q, @Nullable String template, @Nullable String mode, Paging paging) {
        long start = System.nanoTime();
        String query = QueryText.require("q", q, limits.maxQueryLength());
        TemplateChoice choice = TemplateChoice.parse(template);
        SearchMode searchMode = SearchMode.parse(mode);
        int k = checkPaging(paging);
        boolean cached = false;
        float[] embedding = NO_VECTOR;
        if (searchMode != SearchMode.LEXICAL) {
            TextEmbeddings.Embedding embedded = texts.embed(query, choice);
            embedding = embedded.vector();
            cached = embedded.cached();
        }
        Retriever retriever = switch (searchMode) {
            case VECTOR -> vector;
            case LEXICAL -> lexical;
            case HYBRID -> hybrid;
        };
        List<RankedImage> hits = rank(
                retriever, searchMode, new RetrievalQuery(embedding, query, paging.filter()), k, paging, d -> false);
        return new SearchPage(
                query, model.bundle().name(), timer.stop("text", start), k, paging.offset(), cached, hits);
    }

    /** Image (an upload) → similar images. */
    public SearchPage searchImage(byte[] upload, @Nullable String name, Paging paging) throws ImageRejectedException {
        long start = System.nanoTime();
        int k = checkPaging(paging);
        float[] vector = uploads.embed(upload);
        List<RankedImage> hits = rank(
                this.vector,
                SearchMode.VECTOR,
                new RetrievalQuery(vector, null, paging.filter()),
                k,
                paging,
                d -> false);
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
        List<RankedImage> hits = rank(
                this.vector, SearchMode.VECTOR, new RetrievalQuery(vector, null, paging.filter()), k, paging, self);
        return new SearchPage(
                "similar:" + id, model.bundle().name(), timer.stop("similar", start), k, paging.offset(), false, hits);
    }

    /**
     * The ranking core: asks the retriever for {@code offset + k} hits (more when duplicates are
     * collapsed or hits are excluded, doubling up to 4 × the paging window), applies minScore and
     * dedup, and cuts the page.
     *
     * <p>minScore is a cosine: in vector mode the ranking is by cosine and stops at the first hit below
     * it; in hybrid mode hits whose vector cosine is below it are dropped and hits found only by their
     * words (no cosine known) are kept; in lexical mode no hit has a cosine and minScore has no effect.
     */
    private List<RankedImage> rank(
            Retriever retriever,
            SearchMode mode,
            RetrievalQuery query,
            int k,
            Paging paging,
            Predicate<ImageDocument> exclude) {
        int want = paging.offset() + k;
        int maxFetch = Math.min(limits.maxWindow() * 4, VectorQuery.MAX_CANDIDATES);
        int fetch = Math.min(want + 1, maxFetch);
        Map<String, Integer> duplicates = new LinkedHashMap<>();
        List<RetrievedHit> kept = new ArrayList<>();
        while (true) {
            int size = fetch;
            List<RetrievedHit> hits = index.search(i -> retriever.retrieve(i, query, size));
            kept.clear();
            duplicates.clear();
            Set<String> seenHashes = new HashSet<>();
            boolean belowMin = false;
            for (RetrievedHit hit : hits) {
                Float cosine = hit.scores().vector();
                if (paging.minScore() != null && cosine != null && cosine < paging.minScore()) {
                    if (mode == SearchMode.VECTOR) {
                        belowMin = true; // sorted by cosine: the rest is below too
                        break;
                    }
                    continue;
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
            RetrievedHit hit = kept.get(i);
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
