package io.koclip.search.web;

import io.koclip.search.analysis.PatchAnalysis;
import io.koclip.search.analysis.PatchScorer;
import io.koclip.search.image.ImageRejectedException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** Text → patch: where in an image a text matches. */
@RestController
@Tag(name = "patches", description = "Text → patch scores over a grid, as JSON or a heatmap PNG")
class PatchController {
    /** Longest side of the heatmap PNG. */
    private static final int HEATMAP_SIDE = 1024;

    private final PatchScorer scorer;

    PatchController(PatchScorer scorer) {
        this.scorer = scorer;
    }

    @PostMapping(
            path = "/api/v1/patches",
            consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.IMAGE_PNG_VALUE})
    @Operation(
            summary = "Scores of a rows × cols grid of patches against a text",
            description = "JSON by default; with Accept: image/png the image with a heatmap overlay")
    @ProblemResponse(status = 503, description = OpenApiConfiguration.BUSY)
    ResponseEntity<?> patches(
            @RequestPart("image") MultipartFile image,
            @Parameter(description = "The text", example = "파란 네모") @RequestParam String q,
            @Parameter(description = "Grid rows, 1–8") @RequestParam(defaultValue = "3") int rows,
            @Parameter(description = "Grid columns, 1–8") @RequestParam(defaultValue = "3") int cols,
            @Parameter(description = "Overlap of neighbouring patches, a fraction of a patch's side (0–0.75)")
                    @RequestParam(defaultValue = "0")
                    double overlap,
            @Parameter(description = "Prompt template: absent for the bundle's, 'none', or one with {}")
                    @RequestParam(required = false)
                    @Nullable
                    String template,
            @RequestHeader(value = HttpHeaders.ACCEPT, required = false) @Nullable String accept)
            throws IOException, ImageRejectedException {
        boolean png = wantsPng(accept);
        PatchAnalysis analysis = scorer.patches(image.getBytes(), q, template, rows, cols, overlap);
        if (png) {
            return ResponseEntity.ok()
                    .contentType(MediaType.IMAGE_PNG)
                    .body(Heatmap.png(analysis.image(), analysis.response().patches(), HEATMAP_SIDE));
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(analysis.response());
    }

    /**
     * True when the client ranks image/png above JSON: the highest quality wins, a named type beats
     * a wildcard at equal quality, and an Accept without either (or absent) means JSON.
     */
    static boolean wantsPng(@Nullable String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        double png = -1;
        double json = -1;
        for (MediaType type : MediaType.parseMediaTypes(accept)) {
            double q = type.getQualityValue();
            double bonus = type.isWildcardSubtype() ? 0 : 0.0001;
            if (type.isWildcardType()) {
                json = Math.max(json, q);
            } else if (type.includes(MediaType.IMAGE_PNG)) {
                png = Math.max(png, q + bonus);
            } else if (type.includes(MediaType.APPLICATION_JSON)) {
                json = Math.max(json, q + bonus);
            }
        }
        return png > 0 && png > json;
    }
}
