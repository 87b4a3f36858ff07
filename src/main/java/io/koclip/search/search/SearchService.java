package io.koclip.search.search;

import io.koclip.search.image.ImageRejectedException;
import io.koclip.search.index.ImageDocument;
import io.koclip.search.index.VectorQuery;
import io.koclip.search.model.ClipModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
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
 * <p>Metrics: timer {@code koclip.search{kind=text|image|similar|compose}} around each request.
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
        this.hybrid =
                new HybridRetriever(retriever, lexical, limits.hybridLexicalWeight(), HybridRetriever.DEFAULT_DEPTH);
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
     * Composed query → images: the normalized weighted sum of the terms' unit embeddings (texts with
     * {@code template}, indexed images by id, uploads), ranked like an image query (vector mode). The
     * images named by positive terms (and, with dedup, their byte-equal copies) are left out of the
     * hits, as in {@link #similar}.
     *
     * @throws InvalidRequestException naming {@code terms} (or {@code terms[i].text}, {@code
     *     terms[i].weight}) for no terms, too many, a weight out of range, all weights ≤ 0, a text blank
     *     or too long, or terms that cancel out (zero sum)
     * @throws DocumentNotFoundException for an image id the index does not hold
     */
    public SearchPage compose(List<ComposeTerm> terms, @Nullable String template, Paging paging)
            throws ImageRejectedException {
        long start = System.nanoTime();
        int k = checkPaging(paging);
        TemplateChoice choice = TemplateChoice.parse(template);
        checkTerms(terms);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < terms.size(); i++) {
            if (terms.get(i) instanceof ComposeTerm.Text text) {
                texts.add(QueryText.require("terms[" + i + "].text", text.text(), limits.maxQueryLength()));
            }
        }
        // ids first: an unknown id is refused before any inference runs
        Map<String, ImageDocument> images = new LinkedHashMap<>();
        for (ComposeTerm term : terms) {
            if (term instanceof ComposeTerm.Image image && !images.containsKey(image.id())) {
                ImageDocument document = index.search(i -> i.get(image.id()))
                        .orElseThrow(() -> new DocumentNotFoundException(image.id()));
                if (document.vector() == null) {
                    throw new IllegalStateException("index returned document " + image.id() + " without its vector");
                }
                images.put(image.id(), document);
            }
        }
        List<TextEmbeddings.Embedding> embedded = texts.isEmpty() ? List.of() : this.texts.embedAll(texts, choice);
        int dim = -1;
        double[] sum = null;
        int nextText = 0;
        StringBuilder label = new StringBuilder();
        Set<String> excludedIds = new HashSet<>();
        Set<String> excludedHashes = new HashSet<>();
        for (ComposeTerm term : terms) {
            float[] unit;
            String name;
            switch (term) {
                case ComposeTerm.Text text -> {
                    name = texts.get(nextText);
                    unit = embedded.get(nextText++).vector();
                }
                case ComposeTerm.Image image -> {
                    ImageDocument document = images.get(image.id());
                    unit = document.vector();
                    name = "image:" + image.id();
                    if (image.weight() > 0) {
                        excludedIds.add(image.id());
                        excludedHashes.add(document.contentHash());
                    }
                }
                case ComposeTerm.Upload upload -> {
                    unit = uploads.embed(upload.bytes());
                    name = "upload:" + (upload.name() == null || upload.name().isBlank() ? "upload" : upload.name());
                }
            }
            if (sum == null) {
                dim = unit.length;
                sum = new double[dim];
            } else if (unit.length != dim) {
                throw new IllegalStateException("term embeddings differ in dimension: " + unit.length + " vs " + dim);
            }
            for (int d = 0; d < dim; d++) {
                sum[d] += term.weight() * unit[d];
            }
            appendTerm(label, term.weight(), name);
        }
        float[] vector = normalized(sum);
        Predicate<ImageDocument> exclude = paging.dedup()
                ? d -> excludedIds.contains(d.id()) || excludedHashes.contains(d.contentHash())
                : d -> excludedIds.contains(d.id());
        List<RankedImage> hits = rank(
                this.vector, SearchMode.VECTOR, new RetrievalQuery(vector, null, paging.filter()), k, paging, exclude);
        return new SearchPage(
                label.toString(),
                model.bundle().name(),
                timer.stop("compose", start),
                k,
                paging.offset(),
                !embedded.isEmpty() && embedded.stream().allMatch(TextEmbeddings.Embedding::cached),
                hits);
    }

    private static void checkTerms(List<ComposeTerm> terms) {
        if (terms == null || terms.isEmpty()) {
            throw new InvalidRequestException("terms", "must hold at least one term");
        }
        if (terms.size() > ComposeTerm.MAX_TERMS) {
            throw new InvalidRequestException(
                    "terms", terms.size() + " terms, over the limit of " + ComposeTerm.MAX_TERMS);
        }
        boolean positive = false;
        for (int i = 0; i < terms.size(); i++) {
            double w = terms.get(i).weight();
            if (!(Math.abs(w) <= ComposeTerm.MAX_WEIGHT) || w == 0) {
                throw new InvalidRequestException(
                        "terms[" + i + "].weight",
                        w + " is not in [-" + ComposeTerm.MAX_WEIGHT + ", " + ComposeTerm.MAX_WEIGHT + "] or is 0");
            }
            positive |= w > 0;
        }
        if (!positive) {
            throw new InvalidRequestException("terms", "at least one weight must be positive");
        }
    }

    /** The unit vector along {@code sum}; refused when the terms cancel out. */
    private static float[] normalized(double[] sum) {
        double norm = 0;
        for (double v : sum) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        // unit embeddings times weights ≥ 1e-? : a sum this short is the terms cancelling (cat − cat)
        if (!(norm > 1e-4)) {
            throw new InvalidRequestException(
                    "terms", "the weighted sum of the terms' embeddings is zero (the terms cancel out)");
        }
        float[] vector = new float[sum.length];
        for (int d = 0; d < sum.length; d++) {
            vector[d] = (float) (sum[d] / norm);
        }
        return vector;
    }

    /** rclip's notation: {@code 2:빨간 원 + image:id - 0.5:사람}. */
    private static void appendTerm(StringBuilder label, double weight, String name) {
        if (!label.isEmpty()) {
            label.append(weight < 0 ? " - " : " + ");
        } else if (weight < 0) {
            label.append("-");
        }
        double magnitude = Math.abs(weight);
        if (magnitude != 1) {
            label.append(
                            magnitude == Math.rint(magnitude)
                                    ? Long.toString((long) magnitude)
                                    : Double.toString(magnitude))
                    .append(':');
        }
        label.append(name);
    }

    /**
     * The ranking core: asks the retriever for {@code offset + k} hits (with {@link SortOrder#DATE},
     * {@link SortOrder#DATE_DEPTH}; more when duplicates are collapsed or hits are excluded, doubling
     * up to 4 × the paging window), applies minScore and dedup, sorts by date when asked, and cuts the
     * page.
     *
     * <p>minScore is a cosine: in vector mode the ranking is by cosine and stops at the first hit below
     * it; in hybrid mode hits whose vector cosine is below it are dropped and hits found only by their
     * words (no cosine known) are kept; in lexical mode no hit has a cosine and minScore has no effect.
     *
     * <p>Dedup: byte-equal files (same content hash) collapse into the best-ranked one; with {@link
     * Dedup#NEAR}, so does a hit whose embedding is within {@link NearDuplicates#DEFAULT_MAX_DISTANCE}
     * of a better-ranked kept hit (compared with the stored vectors of the fetched hits).
     */
    private List<RankedImage> rank(
            Retriever retriever,
            SearchMode mode,
            RetrievalQuery query,
            int k,
            Paging paging,
            Predicate<ImageDocument> exclude) {
        boolean byDate = paging.sort() == SortOrder.DATE;
        int want = byDate ? SortOrder.DATE_DEPTH : paging.offset() + k;
        int maxFetch = Math.min(limits.maxWindow() * 4, VectorQuery.MAX_CANDIDATES);
        int fetch = Math.min(want + 1, maxFetch);
        Map<String, Integer> duplicates = new LinkedHashMap<>(); // kept hit's id -> files collapsed into it
        List<RetrievedHit> kept = new ArrayList<>();
        while (true) {
            int size = fetch;
            List<RetrievedHit> hits = index.search(i -> retriever.retrieve(i, query, size));
            kept.clear();
            duplicates.clear();
            Map<String, String> byHash = new HashMap<>(); // content hash -> id of the kept hit
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
                if (paging.dedup()) {
                    String first = byHash.putIfAbsent(d.contentHash(), d.id());
                    if (first != null) {
                        duplicates.merge(first, 1, Integer::sum);
                        continue;
                    }
                }
                kept.add(hit);
            }
            if (paging.duplicates() == Dedup.NEAR) {
                collapseNear(kept, duplicates);
            }
            boolean exhausted = hits.size() < size || belowMin;
            if (kept.size() >= want || exhausted || fetch >= maxFetch) {
                break;
            }
            fetch = Math.min(fetch * 2, maxFetch);
        }
        if (byDate) {
            kept.sort(BY_DATE);
        }
        List<RankedImage> page = new ArrayList<>();
        int end = Math.min(kept.size(), paging.offset() + k);
        for (int i = paging.offset(); i < end; i++) {
            RetrievedHit hit = kept.get(i);
            page.add(RankedImage.of(hit, duplicates.getOrDefault(hit.document().id(), 0)));
        }
        return page;
    }

    /** Newest first, then best score, then id: a total order, so date-sorted pages are stable. */
    private static final Comparator<RetrievedHit> BY_DATE = Comparator.comparingLong(
                    (RetrievedHit h) -> -h.document().modified())
            .thenComparingDouble(h -> -h.score())
            .thenComparing(h -> h.document().id());

    /**
     * Collapses each hit whose embedding is within the near-duplicate distance of a better-ranked kept
     * hit into that hit (greedy, in rank order), moving its own collapsed copies along.
     */
    private void collapseNear(List<RetrievedHit> hits, Map<String, Integer> duplicates) {
        if (hits.size() < 2) {
            return;
        }
        List<String> ids = hits.stream().map(h -> h.document().id()).toList();
        Map<String, float[]> vectors = index.search(i -> {
            Map<String, float[]> found = new HashMap<>();
            for (String id : ids) {
                i.get(id).map(ImageDocument::vector).ifPresent(v -> found.put(id, v));
            }
            return found;
        });
        double minCosine = 1 - NearDuplicates.DEFAULT_MAX_DISTANCE;
        List<RetrievedHit> kept = new ArrayList<>();
        List<float[]> keptVectors = new ArrayList<>();
        for (RetrievedHit hit : hits) {
            String id = hit.document().id();
            float[] v = vectors.get(id);
            int into = -1;
            if (v != null) {
                for (int j = 0; j < kept.size() && into < 0; j++) {
                    float[] other = keptVectors.get(j);
                    if (other != null && NearDuplicates.cosine(v, other) >= minCosine) {
                        into = j;
                    }
                }
            }
            if (into < 0) {
                kept.add(hit);
                keptVectors.add(v);
            } else {
                int moved = 1 + duplicates.getOrDefault(id, 0);
                duplicates.remove(id);
                duplicates.merge(kept.get(into).document().id(), moved, Integer::sum);
            }
        }
        hits.clear();
        hits.addAll(kept);
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
        if (paging.sort() == SortOrder.DATE && paging.offset() + k > SortOrder.DATE_DEPTH) {
            throw new InvalidRequestException(
                    "offset",
                    "offset + k = " + (paging.offset() + k) + " is over the " + SortOrder.DATE_DEPTH
                            + " hits that sort=date orders");
        }
        Float minScore = paging.minScore();
        if (minScore != null && !(minScore >= -1f && minScore <= 1f)) {
            throw new InvalidRequestException("minScore", minScore + " is not in [-1, 1]");
        }
        return k;
    }
}
