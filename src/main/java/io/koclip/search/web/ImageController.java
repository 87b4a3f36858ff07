package io.koclip.search.web;

import io.koclip.search.search.ImageStore;
import io.koclip.search.search.SearchProperties;
import io.koclip.search.search.StoredImage;
import io.koclip.search.search.Thumbnail;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Indexed images by id, never by a client-given path. Responses carry a strong ETag (the content
 * hash) so a conditional GET ({@code If-None-Match}) answers 304 without reading the file; {@link
 * SecurityHeaders} adds {@code X-Content-Type-Options: nosniff}, so a file is never sniffed into script.
 */
@RestController
@Tag(name = "images", description = "Indexed images and thumbnails, by id")
@ProblemResponse(status = 404, description = "No indexed image has this id, or its file is gone (image-not-found)")
@ProblemResponse(status = 503, description = OpenApiConfiguration.NOT_READY)
class ImageController {
    private static final String NOT_MODIFIED = "Not modified: If-None-Match names the current ETag";

    private final ImageStore images;
    private final CacheControl cacheControl;

    ImageController(ImageStore images, SearchProperties properties) {
        this.images = images;
        this.cacheControl =
                CacheControl.maxAge(properties.thumbnails().maxAge()).cachePublic();
    }

    @GetMapping("/api/v1/images/{id}")
    @Operation(summary = "The original image file")
    @ApiResponse(
            responseCode = "200",
            description = "The file as stored, with its own content type (JPEG, PNG, WebP, GIF, BMP or TIFF)",
            content = @Content(mediaType = "image/*", schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "304", description = NOT_MODIFIED, content = @Content)
    ResponseEntity<Resource> original(@PathVariable String id) {
        StoredImage image = images.original(id);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(image.contentType()))
                .eTag(image.etag())
                .cacheControl(cacheControl)
                .body(new FileSystemResource(image.file()));
    }

    @GetMapping(path = "/api/v1/images/{id}/thumbnail", produces = MediaType.IMAGE_JPEG_VALUE)
    @Operation(summary = "A JPEG thumbnail (longest side koclip.search.thumbnails.size)")
    @ApiResponse(responseCode = "200", description = "The thumbnail")
    @ApiResponse(responseCode = "304", description = NOT_MODIFIED, content = @Content)
    ResponseEntity<byte[]> thumbnail(@PathVariable String id) {
        Thumbnail thumbnail = images.thumbnail(id);
        return ResponseEntity.ok()
                .contentType(MediaType.IMAGE_JPEG)
                .eTag(thumbnail.etag())
                .cacheControl(cacheControl)
                .body(thumbnail.jpeg());
    }
}
