package io.koclip.search.index;

import org.jspecify.annotations.Nullable;

/**
 * One indexed image file: the document every backend stores (docs/architecture.md, "Index").
 *
 * @param id stable, URL-safe id derived from the path relative to the source root
 * @param path path relative to the source root, with '/' separators
 * @param contentHash SHA-256 of the file's bytes, hex
 * @param width upright width in pixels
 * @param height upright height in pixels
 * @param bytes file size
 * @param modified last-modified time, epoch milliseconds
 * @param format detected format (jpeg, png, webp, gif, bmp, tiff)
 * @param caption optional caption text
 * @param vector unit-length embedding; null in documents read back for display
 */
public record ImageDocument(
        String id,
        String path,
        String contentHash,
        int width,
        int height,
        long bytes,
        long modified,
        String format,
        @Nullable String caption,
        float @Nullable [] vector) {}
