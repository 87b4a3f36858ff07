package io.koclip.search.web;

import io.koclip.search.search.DuplicatePage;
import io.koclip.search.search.NearDuplicates;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Near-duplicate groups of the index (docs/api.md, "Near-duplicates"). */
@RestController
@RequestMapping(path = "/api/v1/duplicates", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "duplicates", description = "Groups of near-duplicate images")
@ProblemResponse(status = 503, description = OpenApiConfiguration.NOT_READY)
class DuplicatesController {
    private final NearDuplicates duplicates;

    DuplicatesController(NearDuplicates duplicates) {
        this.duplicates = duplicates;
    }

    /**
     * A page of groups.
     *
     * @param model the bundle's name
     * @param tookMs server time for the request, in milliseconds
     * @param maxDistance the cosine distance that links two images
     * @param page 0-based page
     * @param size groups per page
     * @param totalGroups groups in the whole index
     * @param totalImages images in those groups
     * @param groups this page's groups
     */
    @Schema(name = "DuplicatesResponse")
    record Response(
            String model,
            long tookMs,
            double maxDistance,
            int page,
            int size,
            int totalGroups,
            int totalImages,
            List<Group> groups) {}

    /**
     * One group: at least two images, sorted by path; each hit's score is its cosine similarity to the
     * first image.
     */
    @Schema(name = "DuplicateGroup")
    record Group(int size, List<SearchHit> images) {}

    @GetMapping
    @Operation(
            summary = "Groups of images whose embeddings are within a cosine distance",
            description = "Each image's " + NearDuplicates.NEIGHBOURS + " nearest neighbours within maxDistance"
                    + " are linked and the links joined (union-find); groups largest first, then by first path.")
    Response duplicates(
            @Parameter(
                            description = "Cosine distance (1 - cosine) in [0, " + NearDuplicates.MAX_DISTANCE
                                    + "], default " + NearDuplicates.DEFAULT_MAX_DISTANCE)
                    @RequestParam(required = false)
                    @Nullable
                    Double maxDistance,
            @Parameter(description = "0-based page of groups") @RequestParam(defaultValue = "0") int page,
            @Parameter(
                            description = "Groups per page, 1–" + NearDuplicates.MAX_PAGE_SIZE + " (default "
                                    + NearDuplicates.DEFAULT_PAGE_SIZE + ")")
                    @RequestParam(required = false)
                    @Nullable
                    Integer size) {
        DuplicatePage found = duplicates.find(maxDistance, page, size);
        return new Response(
                found.model(),
                found.tookMs(),
                found.maxDistance(),
                found.page(),
                found.size(),
                found.totalGroups(),
                found.totalImages(),
                found.groups().stream()
                        .map(g -> new Group(
                                g.size(), g.stream().map(SearchHit::of).toList()))
                        .toList());
    }
}
