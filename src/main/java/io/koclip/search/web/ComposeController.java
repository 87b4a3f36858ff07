package io.koclip.search.web;

import io.koclip.search.image.ImageRejectedException;
import io.koclip.search.search.ComposeTerm;
import io.koclip.search.search.Dedup;
import io.koclip.search.search.FilterRequest;
import io.koclip.search.search.InvalidRequestException;
import io.koclip.search.search.Paging;
import io.koclip.search.search.SearchService;
import io.koclip.search.search.SortOrder;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * Composed queries: weighted texts, indexed images and uploads summed into one query vector
 * (docs/api.md, "Composed queries"). Without uploads the request is a JSON body; with uploads it is
 * multipart/form-data with the same JSON in a part named {@code query} and each image in a part whose
 * name a term's {@code upload} gives.
 */
@RestController
@RequestMapping(path = "/api/v1/search/compose", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "search")
@ProblemResponse(status = 503, description = OpenApiConfiguration.NOT_READY_OR_BUSY)
@ProblemResponse(status = 404, description = "A term's imageId names no indexed image (image-not-found)")
class ComposeController {
    private final SearchService search;
    private final ObjectMapper json;

    ComposeController(SearchService search, ObjectMapper json) {
        this.search = search;
        this.json = json;
    }

    /**
     * A composed query.
     *
     * @param terms the weighted terms, 1–{@value ComposeTerm#MAX_TERMS}
     * @param k hits per page, 1–1000 (default 24)
     * @param offset hits to skip
     * @param minScore drop hits below this cosine similarity to the composed vector
     * @param template prompt template of the texts: absent for the bundle's, {@code none}, or one with {}
     * @param dedup {@code true} (default), {@code false} or {@code near}
     * @param sort {@code relevance} (default) or {@code date}
     * @param filter the search filters
     */
    @Schema(name = "ComposeRequest", description = "A composed query: the normalized weighted sum of the terms")
    record Body(
            @Schema(
                    description = "1 to " + ComposeTerm.MAX_TERMS + " terms; at least one weight positive",
                    requiredMode = Schema.RequiredMode.REQUIRED)
            @Nullable
            List<Term> terms,

            @Schema(description = "Hits per page, 1–1000 (default 24)") @Nullable
            Integer k,

            @Schema(description = "Hits to skip (paging), default 0") @Nullable
            Integer offset,

            @Schema(description = "Drop hits below this cosine similarity to the composed vector") @Nullable
            Float minScore,

            @Schema(description = "Prompt template of the texts: absent for the bundle's, 'none', or one with {}")
            @Nullable
            String template,

            @Schema(
                    description = SearchController.DEDUP,
                    allowableValues = {"true", "false", "near"})
            @Nullable
            String dedup,

            @Schema(
                    description = SearchController.SORT,
                    allowableValues = {"relevance", "date"})
            @Nullable
            String sort,

            @Schema(description = "The search filters, as the query parameters of GET /api/v1/search") @Nullable
            FilterRequest filter) {}

    /**
     * One term: exactly one of {@code text}, {@code imageId}, {@code upload}.
     *
     * @param text a text, embedded like a search query
     * @param imageId an indexed image's id
     * @param upload the name of the multipart part that holds an uploaded image
     * @param weight in [-10, 10], not 0; default 1; negative subtracts the term
     */
    @Schema(name = "ComposeTerm", description = "One weighted term: exactly one of text, imageId, upload")
    record Term(
            @Schema(description = "A text (at most 200 characters)", example = "바닷가") @Nullable
            String text,

            @Schema(description = "An indexed image's id") @Nullable
            String imageId,

            @Schema(description = "Name of the multipart part holding an uploaded image (multipart requests only)")
            @Nullable
            String upload,

            @Schema(
                    description = "Weight in [-" + ComposeTerm.MAX_WEIGHT + ", " + ComposeTerm.MAX_WEIGHT
                            + "], not 0; default 1; negative subtracts the term",
                    example = "1")
            @Nullable
            Double weight) {}

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Images that match a weighted sum of texts and indexed images",
            description = "The query vector is the normalized weighted sum of the terms' unit embeddings"
                    + " (rclip's `2:cat + ./x.jpg - dog`); positive image terms are left out of the hits."
                    + " Send uploads as multipart/form-data instead.")
    SearchResponse compose(@RequestBody Body body) throws ImageRejectedException {
        return run(body, Map.of());
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(
            summary = "A composed query with uploaded images",
            description = "Part `query`: the JSON of the application/json form. Every other part is an image"
                    + " that a term names in `upload`.")
    SearchResponse composeWithUploads(
            @Parameter(description = "The compose request as JSON (ComposeRequest)") @RequestPart("query") String query,
            MultipartHttpServletRequest request)
            throws IOException, ImageRejectedException {
        Body body;
        try {
            body = json.readValue(query, Body.class);
        } catch (JacksonException e) {
            throw new InvalidRequestException("query", "is not a compose request in JSON: " + e.getOriginalMessage());
        }
        Map<String, MultipartFile> files = request.getFileMap();
        return run(body, files);
    }

    private SearchResponse run(Body body, Map<String, MultipartFile> files) throws ImageRejectedException {
        List<Term> given = body.terms() == null ? List.of() : body.terms();
        List<ComposeTerm> terms = new ArrayList<>(given.size());
        for (int i = 0; i < given.size(); i++) {
            terms.add(term(i, given.get(i), files));
        }
        FilterRequest filter = body.filter() == null ? FilterRequest.NONE : body.filter();
        Paging paging = new Paging(
                body.k(),
                body.offset() == null ? 0 : body.offset(),
                body.minScore(),
                filter.toFilter(),
                Dedup.parse(body.dedup()),
                SortOrder.parse(body.sort()));
        return SearchResponse.of(search.compose(terms, body.template(), paging));
    }

    private static ComposeTerm term(int i, @Nullable Term term, Map<String, MultipartFile> files) {
        String name = "terms[" + i + "]";
        if (term == null) {
            throw new InvalidRequestException(name, "must not be null");
        }
        int kinds = (term.text() != null ? 1 : 0) + (term.imageId() != null ? 1 : 0) + (term.upload() != null ? 1 : 0);
        if (kinds != 1) {
            throw new InvalidRequestException(name, "needs exactly one of text, imageId, upload (has " + kinds + ")");
        }
        double weight = term.weight() == null ? 1.0 : term.weight();
        if (term.text() != null) {
            return new ComposeTerm.Text(term.text(), weight);
        }
        if (term.imageId() != null) {
            return new ComposeTerm.Image(term.imageId(), weight);
        }
        MultipartFile file = files.get(term.upload());
        if (file == null) {
            throw new InvalidRequestException(
                    name + ".upload",
                    files.isEmpty()
                            ? "'" + term.upload() + "': uploads need a multipart/form-data request"
                            : "'" + term.upload() + "' names no image part of the request");
        }
        try {
            return new ComposeTerm.Upload(file.getBytes(), file.getOriginalFilename(), weight);
        } catch (IOException e) {
            throw new InvalidRequestException(name + ".upload", "'" + term.upload() + "' could not be read");
        }
    }
}
