package io.koclip.search.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.koclip.search.search.RankedImage;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * One hit as the API returns it: the query service's {@link RankedImage} with the URLs that serve the
 * image ({@link ImageController}).
 *
 * @param id the image's stable id
 * @param path path relative to the source folder, '/'-separated
 * @param score what the ranking is sorted by: the cosine similarity in [-1, 1] in vector mode (and for
 *     image and similar-image searches), the BM25 score in lexical mode, the fused RRF score in hybrid
 * @param width upright width in pixels
 * @param height upright height in pixels
 * @param format detected format ({@code jpeg}, {@code png}, ...)
 * @param imageUrl the original image, served by id
 * @param thumbnailUrl a small JPEG of the image
 * @param duplicates other files with identical bytes collapsed into this hit (0 with {@code dedup=false})
 * @param scores how the hit was found: each side's score, null where the hit was not on that side
 * @param snippet where the hit's text matched the query's words (lexical and hybrid modes), omitted
 *     from the JSON when none did
 */
record SearchHit(
        String id,
        String path,
        float score,
        int width,
        int height,
        String format,
        String imageUrl,
        String thumbnailUrl,
        int duplicates,
        Scores scores,

        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(
                requiredMode = Schema.RequiredMode.NOT_REQUIRED,
                description = "The matching passage of the hit's text; absent when no text matched")
        @Nullable
        SnippetView snippet) {

    /**
     * The passage of a hit's text that matched.
     *
     * @param field the text source: {@code title}, {@code description}, {@code keywords}, {@code sidecar},
     *     {@code pathWords} or {@code caption}
     * @param html the passage, HTML-escaped, matched words in {@code <mark>…</mark>} (no other markup)
     */
    @Schema(name = "Snippet", description = "The passage of a hit's text that matched the query's words")
    record SnippetView(
            @Schema(
                    description = "Text source of the passage",
                    allowableValues = {"title", "description", "keywords", "sidecar", "pathWords", "caption"})
            String field,

            @Schema(
                    description =
                            "The passage, HTML-escaped, matched words wrapped in <mark>…</mark> (no other" + " markup)",
                    example = "<mark>경복궁</mark>에서 찍은 사진")
            String html) {}

    /**
     * Each side's score of a hit; null (written as JSON null) where the hit was not on that side's list.
     *
     * @param vector cosine similarity to the query embedding, in [-1, 1]
     * @param lexical BM25F score of the image's text fields for the query's words
     * @param fused Reciprocal Rank Fusion score (hybrid mode only)
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "HitScores", description = "How the hit was found: each side's score, null where absent")
    record Scores(
            @Schema(
                    types = {"number", "null"},
                    format = "float",
                    description = "Cosine similarity, in [-1, 1]")
            @Nullable
            Float vector,

            @Schema(
                    types = {"number", "null"},
                    format = "float",
                    description = "BM25F score of the text fields")
            @Nullable
            Float lexical,

            @Schema(
                    types = {"number", "null"},
                    format = "float",
                    description = "RRF score (hybrid mode)")
            @Nullable
            Float fused) {}

    /** Base path of the image endpoints. */
    static final String IMAGES = "/api/v1/images/";

    static SearchHit of(RankedImage hit) {
        return new SearchHit(
                hit.id(),
                hit.path(),
                hit.score(),
                hit.width(),
                hit.height(),
                hit.format(),
                IMAGES + hit.id(),
                IMAGES + hit.id() + "/thumbnail",
                hit.duplicates(),
                new Scores(
                        hit.scores().vector(),
                        hit.scores().lexical(),
                        hit.scores().fused()),
                hit.snippet() == null
                        ? null
                        : new SnippetView(hit.snippet().field(), hit.snippet().html()));
    }
}
