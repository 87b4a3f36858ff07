package io.koclip.search.web;

import io.koclip.search.image.ImageRejectedException;
import io.koclip.search.search.Dedup;
import io.koclip.search.search.NearDuplicates;
import io.koclip.search.search.Paging;
import io.koclip.search.search.SearchMode;
import io.koclip.search.search.SearchService;
import io.koclip.search.search.SortOrder;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** Text → images and image → images. */
@RestController
@RequestMapping(path = "/api/v1/search", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "search", description = "Text → images and image → images")
@ProblemResponse(status = 503, description = OpenApiConfiguration.NOT_READY_OR_BUSY)
class SearchController {
    static final String DEDUP = "true (default): collapse files with identical bytes; near: also collapse images"
            + " within the near-duplicate distance (" + NearDuplicates.DEFAULT_MAX_DISTANCE
            + " cosine distance) of a better-ranked hit; false: every file";
    static final String SORT =
            "relevance (default): best score first; date: newest file first (modification time) among"
                    + " the best " + SortOrder.DATE_DEPTH + " hits that pass minScore, the filters and dedup"
                    + " (offset + k <= " + SortOrder.DATE_DEPTH + ")";

    private final SearchService search;

    SearchController(SearchService search) {
        this.search = search;
    }

    @GetMapping
    @Operation(summary = "Images that match a text (Korean or English)")
    SearchResponse byText(
            @Parameter(description = "The query; normalized (NFC, trimmed, whitespace collapsed)", example = "빨간 원")
                    @RequestParam
                    String q,
            @Parameter(description = "Hits per page, 1–1000 (default 24)") @RequestParam(required = false) @Nullable
                    Integer k,
            @Parameter(description = "Hits to skip (paging)") @RequestParam(defaultValue = "0") int offset,
            @Parameter(
                            description = "Drop hits below this cosine similarity (vector side: in hybrid mode hits "
                                    + "found only by their caption are kept; no effect in lexical mode)")
                    @RequestParam(required = false)
                    @Nullable
                    Float minScore,
            @Parameter(
                            description =
                                    "Prompt template: absent for the bundle's, 'none' for the raw text, or one with {}")
                    @RequestParam(required = false)
                    @Nullable
                    String template,
            @Parameter(
                            description =
                                    "vector: nearest embeddings; lexical: BM25F over the images' text fields (titles, tags, captions, sidecars, folder names) "
                                            + "(Korean analyzed with Nori); hybrid: both fused by Reciprocal Rank Fusion "
                                            + "(k = 60). Default vector",
                            schema = @Schema(allowableValues = {"vector", "lexical", "hybrid"}))
                    @RequestParam(required = false)
                    @Nullable
                    String mode,
            @Parameter(description = DEDUP, schema = @Schema(allowableValues = {"true", "false", "near"}))
                    @RequestParam(required = false)
                    @Nullable
                    String dedup,
            @Parameter(description = SORT, schema = @Schema(allowableValues = {"relevance", "date"}))
                    @RequestParam(required = false)
                    @Nullable
                    String sort,
            @ParameterObject FilterParams filter) {
        SearchMode.parse(mode); // refused here, naming the parameter, before any work
        return SearchResponse.of(
                search.searchText(q, template, mode, paging(k, offset, minScore, dedup, sort, filter)));
    }

    @PostMapping(path = "/image", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(summary = "Images similar to an uploaded image")
    SearchResponse byImage(
            @RequestPart("image") MultipartFile image,
            @RequestParam(required = false) @Nullable Integer k,
            @RequestParam(defaultValue = "0") int offset,
            @RequestParam(required = false) @Nullable Float minScore,
            @Parameter(description = DEDUP, schema = @Schema(allowableValues = {"true", "false", "near"}))
                    @RequestParam(required = false)
                    @Nullable
                    String dedup,
            @Parameter(description = SORT, schema = @Schema(allowableValues = {"relevance", "date"}))
                    @RequestParam(required = false)
                    @Nullable
                    String sort,
            @ParameterObject FilterParams filter)
            throws IOException, ImageRejectedException {
        Paging paging = paging(k, offset, minScore, dedup, sort, filter);
        return SearchResponse.of(search.searchImage(image.getBytes(), image.getOriginalFilename(), paging));
    }

    @GetMapping("/similar/{id}")
    @Operation(summary = "Images similar to an indexed image")
    @ProblemResponse(status = 404, description = "No indexed image has this id (image-not-found)")
    SearchResponse similar(
            @PathVariable String id,
            @RequestParam(required = false) @Nullable Integer k,
            @RequestParam(defaultValue = "0") int offset,
            @RequestParam(required = false) @Nullable Float minScore,
            @Parameter(description = DEDUP, schema = @Schema(allowableValues = {"true", "false", "near"}))
                    @RequestParam(required = false)
                    @Nullable
                    String dedup,
            @Parameter(description = SORT, schema = @Schema(allowableValues = {"relevance", "date"}))
                    @RequestParam(required = false)
                    @Nullable
                    String sort,
            @ParameterObject FilterParams filter) {
        return SearchResponse.of(search.similar(id, paging(k, offset, minScore, dedup, sort, filter)));
    }

    /** Parses the paging parameters, naming the one at fault. */
    static Paging paging(
            @Nullable Integer k,
            int offset,
            @Nullable Float minScore,
            @Nullable String dedup,
            @Nullable String sort,
            FilterParams filter) {
        return new Paging(k, offset, minScore, filter.toFilter(), Dedup.parse(dedup), SortOrder.parse(sort));
    }
}
